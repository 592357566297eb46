#pragma once
// The HTTPS server's open connections: which wait for a request (idle) and
// which are in one (busy), for a graceful stop, and the deadline of each
// request head being read. POCO reads a head in many socket reads, each with
// its own timeout, so a client sending a byte now and then would hold a
// thread for ever; a watchdog thread shuts down the socket of a head not
// received in time, which ends the reads (the connection is closed: TLS
// cannot write an answer after that).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace rtw::transport::detail {

class ConnectionTable {
 public:
  using Clock = std::chrono::steady_clock;
  class Slot;

  explicit ConnectionTable(std::chrono::milliseconds head_timeout);
  ~ConnectionTable();
  ConnectionTable(const ConnectionTable&) = delete;
  ConnectionTable& operator=(const ConnectionTable&) = delete;

  /// A new connection on socket `fd`; nullptr once stopping.
  std::unique_ptr<Slot> open(int fd);

  /// No new requests: idle connections are shut down now, busy ones finish
  /// their request and close.
  void beginStop();
  bool stopping() const;
  /// Waits until every slot is gone; false after `timeout`.
  bool waitUntilEmpty(std::chrono::milliseconds timeout);
  /// Shuts down every connection's socket (their reads and writes fail).
  void shutDownAll();
  int size() const;

 private:
  friend class Slot;
  void watch();
  void disarm(Slot& slot);  // with mutex_ held

  const std::chrono::milliseconds head_timeout_;
  mutable std::mutex mutex_;
  std::condition_variable wake_watchdog_;
  std::condition_variable emptied_;
  std::set<Slot*> slots_;
  // Heads being read, by deadline. Every deadline is armed head_timeout_
  // after its request began, so one armed later is never earlier: the
  // watchdog needs no wake-up for it.
  std::multimap<Clock::time_point, Slot*> deadlines_;
  bool stopping_ = false;
  bool quit_ = false;
  std::thread watchdog_;
};

class ConnectionTable::Slot {
 public:
  Slot(ConnectionTable& table, int fd) : table_(table), fd_(fd) {}
  ~Slot();
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

  /// Waiting for a request; false once the server stops.
  bool idle();
  /// A request began (its first byte is there): its head must be whole by
  /// the head timeout. False once the server stops and this connection was
  /// idle (it has been shut down).
  bool busy();
  /// The head is whole: no more deadline for it.
  void headReceived();
  /// True when the watchdog shut this connection down.
  bool timedOut() const;

 private:
  friend class ConnectionTable;
  ConnectionTable& table_;
  const int fd_;
  bool busy_ = false;
  bool timed_out_ = false;
  bool armed_ = false;
  std::multimap<Clock::time_point, Slot*>::iterator deadline_;
};

}  // namespace rtw::transport::detail
