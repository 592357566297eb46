#pragma once
// The executables' log channel: threads that log only queue their line; one
// writing thread formats the lines and writes them out together.
//
// POCO's AsyncChannel woke its thread for every line (a futex wake and a
// context switch each) and its ConsoleChannel wrote every line with its own
// write(2); with three lines per message at "information" that was ≈ 13 % of
// the gateway's CPU time while a backlog drained (BENCHMARKS.md). Here the
// writer is woken once for a burst, waits `gather` for the lines that follow
// the first, and writes them all with one write(2).
//
// At most `max_queued` lines wait: past that, lines are dropped and their
// number written once there is room. Lines still queued when the process is
// killed are lost; the journal is the record of each message.

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Channel.h>
#include <Poco/Message.h>
#include <Poco/Timestamp.h>

namespace rtw::app {

class LogWriter final : public Poco::Channel {
 public:
  struct Options {
    int fd = STDERR_FILENO;
    std::size_t max_queued = 100000;
    std::chrono::milliseconds gather{10};
  };
  explicit LogWriter(Options options);

  void log(const Poco::Message& message) override;
  /// Writes what is queued and stops the thread; lines logged afterwards
  /// are written at once by the thread that logs them.
  void close() override;

 protected:
  ~LogWriter() override;

 private:
  struct Line {
    Poco::Timestamp time;
    Poco::Message::Priority priority = Poco::Message::PRIO_INFORMATION;
    std::string source;
    std::string text;
  };

  void run();
  /// Formats and writes the lines; the caller holds write_mutex_.
  void writeOut(const std::vector<Line>& lines, std::uint64_t dropped);

  const Options options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Line> queue_;
  std::uint64_t dropped_ = 0;
  bool idle_ = false;  // the writer waits for a first line
  bool stopping_ = false;
  bool stopped_ = false;
  std::mutex write_mutex_;  // one writeOut at a time (the thread, or loggers after close)
  std::thread thread_;
};

/// Appends "2026-11-22T11:16:28.443Z Information rtw.intake: text\n" (the
/// format of every log line).
void appendLogLine(std::string& out, const Poco::Timestamp& time, Poco::Message::Priority priority,
                   const std::string& source, const std::string& text);

}  // namespace rtw::app
