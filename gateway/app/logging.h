#pragma once
// One log format for the executables: time, level, source, text. The text
// never holds PHI: ids, states and reasons only.
//
// Lines are written by a logging thread (POCO's AsyncChannel): the threads
// that log (one per MLLP connection, the workers) only queue them. Writing
// each line from its own thread serialised them on the console channel's
// lock and a write(2) each: logging at "information" (a few lines per
// message) cost ≈ 12 % of the ACKed messages/s (BENCHMARKS.md). The lines
// queued when the process is killed are lost, and at most 100,000 wait; the
// journal is the record of what happened to each message.

#include <Poco/AsyncChannel.h>
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>

namespace rtw::app {

/// Sets the format, the level and the logging thread.
inline void setUpLogging(const std::string& level) {
  Poco::AutoPtr<Poco::PatternFormatter> formatter(
      new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t"));
  Poco::AutoPtr<Poco::AsyncChannel> writer(new Poco::AsyncChannel(new Poco::ConsoleChannel));
  // Bounded: if the log cannot keep up, lines are dropped (and their number
  // logged once there is room) rather than memory growing without end.
  writer->setProperty("queueSize", "100000");
  Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatter, writer));
  Poco::Logger::root().setChannel(channel);
  Poco::Logger::root().setLevel(level);
  // Loggers made before this call (static ones) follow the root.
  Poco::Logger::setChannel("", channel);
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

/// Writes out every queued line and stops the logging thread; a main()
/// holds one, so that the last lines are written however it returns.
class LogFlushOnExit {
 public:
  LogFlushOnExit() = default;
  LogFlushOnExit(const LogFlushOnExit&) = delete;
  LogFlushOnExit& operator=(const LogFlushOnExit&) = delete;
  ~LogFlushOnExit() {
    if (auto channel = Poco::Logger::root().getChannel()) {
      channel->close();  // a FormattingChannel closes the channel it feeds
    }
  }
};

}  // namespace rtw::app
