#pragma once
// The MLLP connections' one thread: every authenticated connection is served
// from an epoll loop, its socket non-blocking. A frame goes to intake without
// waiting for its commit; the journal's committer hands the answer back to
// the loop, which writes the ACK. One thread instead of one per connection:
// under 16 connections a message cost two sleeps and two wake-ups of its
// connection's thread, and those context switches were ≈ 28 % of the
// gateway's CPU (BENCHMARKS.md).
//
// Per connection, as before: frames are answered in order and one at a
// time (the next frame is handled once the previous one's ACK is queued),
// an oversize frame is answered AR, bytes outside a frame close the
// connection, and the frame and idle timeouts close it.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <Poco/Net/SecureStreamSocket.h>

#include "mailbox.h"
#include "rtw/pipeline/intake.h"
#include "rtw/security/binding.h"
#include "rtw/transport/mllp_server.h"

namespace rtw::transport::detail {

class LoopConnection;

class MllpEventLoop {
 public:
  /// `open_connections` counts the connections of every loop of a server.
  MllpEventLoop(const MllpServerOptions& options, pipeline::Hl7Intake& intake,
                std::atomic<int>& open_connections);
  ~MllpEventLoop();
  MllpEventLoop(const MllpEventLoop&) = delete;
  MllpEventLoop& operator=(const MllpEventLoop&) = delete;

  void start();
  /// Closes every connection and ends the thread.
  void stop();
  /// Serves an authenticated connection (called from a handshake thread).
  void adopt(const Poco::Net::SecureStreamSocket& socket,
             std::unique_ptr<security::ConnectionBinding> binding, const std::string& peer);

  // The loop thread's side, used by its connections.
  /// The loop's thread (set by start(), before any connection is adopted).
  std::thread::id threadId() const { return thread_.get_id(); }
  const std::shared_ptr<Mailbox>& mailbox() const { return mailbox_; }
  void flush(LoopConnection& connection);

 private:
  void run();
  void runTasks();
  void add(const std::shared_ptr<LoopConnection>& connection);
  void onEvent(LoopConnection& connection, std::uint32_t events);
  void read(LoopConnection& connection);
  void handleFrames(LoopConnection& connection);
  void answered(const std::shared_ptr<LoopConnection>& connection);
  void watch(LoopConnection& connection);
  void close(LoopConnection& connection, const std::string& why, bool warn);
  /// Closes a connection whose handling threw (a bug or the store), logged.
  void fail(LoopConnection& connection, const std::exception& e);
  void checkTimeouts();

  const MllpServerOptions& options_;
  pipeline::Hl7Intake& intake_;
  std::atomic<int>& open_connections_;
  std::shared_ptr<Mailbox> mailbox_;
  int epoll_fd_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::unordered_map<int, std::shared_ptr<LoopConnection>> connections_;  // by socket fd
  std::vector<std::shared_ptr<LoopConnection>> retired_;  // closed in this round of events
  std::vector<char> buffer_;
  std::chrono::steady_clock::time_point last_timeout_check_;
};

}  // namespace rtw::transport::detail
