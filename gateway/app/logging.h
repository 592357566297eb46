#pragma once
// One log format for the executables: time, level, source, text. The text
// never holds PHI: ids, states and reasons only.
//
// Lines are queued and written by a logging thread (log_writer.h).

#include <Poco/AutoPtr.h>
#include <Poco/Logger.h>

#include "log_writer.h"

namespace rtw::app {

/// Sets the format, the level and the logging thread.
inline void setUpLogging(const std::string& level) {
  Poco::AutoPtr<LogWriter> channel(new LogWriter(LogWriter::Options{}));
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
      channel->close();
    }
  }
};

}  // namespace rtw::app
