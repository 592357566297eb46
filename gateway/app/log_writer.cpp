#include "log_writer.h"

#include <pthread.h>

#include <cerrno>
#include <ctime>
#include <utility>

namespace rtw::app {
namespace {

// Enough lines to be worth waking the writer before `gather` has passed.
constexpr std::size_t kWakeAtLines = 4096;

const char* priorityName(Poco::Message::Priority priority) {
  switch (priority) {
    case Poco::Message::PRIO_FATAL:
      return "Fatal";
    case Poco::Message::PRIO_CRITICAL:
      return "Critical";
    case Poco::Message::PRIO_ERROR:
      return "Error";
    case Poco::Message::PRIO_WARNING:
      return "Warning";
    case Poco::Message::PRIO_NOTICE:
      return "Notice";
    case Poco::Message::PRIO_INFORMATION:
      return "Information";
    case Poco::Message::PRIO_DEBUG:
      return "Debug";
    case Poco::Message::PRIO_TRACE:
      return "Trace";
  }
  return "Information";
}

void writeAll(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;  // nowhere left to say so: the log is lost, the gateway goes on
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

void appendLogLine(std::string& out, const Poco::Timestamp& time, Poco::Message::Priority priority,
                   const std::string& source, const std::string& text) {
  const Poco::Timestamp::TimeVal micros = time.epochMicroseconds();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char stamp[40];
  const std::size_t length = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  out.append(stamp, length);
  const auto millis = static_cast<int>((micros / 1000) % 1000);
  out += '.';
  out += static_cast<char>('0' + millis / 100);
  out += static_cast<char>('0' + millis / 10 % 10);
  out += static_cast<char>('0' + millis % 10);
  out += "Z ";
  out += priorityName(priority);
  out += ' ';
  out += source;
  out += ": ";
  out += text;
  out += '\n';
}

LogWriter::LogWriter(Options options) : options_(options) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "rtw-log");
    run();
  });
}

LogWriter::~LogWriter() { close(); }

void LogWriter::log(const Poco::Message& message) {
  // Copied before the lock: the queue's lock is held for a move only.
  Line line{message.getTime(), message.getPriority(), message.getSource(), message.getText()};
  std::unique_lock lock(mutex_);
  if (stopped_) {
    lock.unlock();
    const std::lock_guard writing(write_mutex_);
    writeOut({std::move(line)}, 0);
    return;
  }
  if (queue_.size() >= options_.max_queued) {
    ++dropped_;
    return;
  }
  queue_.push_back(std::move(line));
  if (idle_ || queue_.size() == kWakeAtLines) {
    idle_ = false;
    wake_.notify_one();
  }
}

void LogWriter::close() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
    wake_.notify_one();
  }
  thread_.join();
}

void LogWriter::run() {
  std::vector<Line> batch;
  std::unique_lock lock(mutex_);
  while (true) {
    idle_ = queue_.empty();
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    idle_ = false;
    if (!stopping_ && queue_.size() < kWakeAtLines) {
      // The first line of a burst: the others follow it within `gather`
      // and go out with it in one write.
      wake_.wait_for(lock, options_.gather,
                     [&] { return stopping_ || queue_.size() >= kWakeAtLines; });
    }
    batch.swap(queue_);
    const std::uint64_t dropped = std::exchange(dropped_, 0);
    const bool stop = stopping_;
    if (stop) {
      stopped_ = true;  // from now on loggers write their own lines
    }
    {
      // Taken before the queue is let go: after a stop, a logger's own line
      // still comes after the last batch.
      const std::lock_guard writing(write_mutex_);
      lock.unlock();
      writeOut(batch, dropped);
    }
    batch.clear();
    if (stop) {
      return;
    }
    lock.lock();
  }
}

void LogWriter::writeOut(const std::vector<Line>& lines, std::uint64_t dropped) {
  std::string out;
  out.reserve(lines.size() * 128);
  for (const Line& line : lines) {
    appendLogLine(out, line.time, line.priority, line.source, line.text);
  }
  if (dropped > 0) {
    appendLogLine(
        out, Poco::Timestamp(), Poco::Message::PRIO_WARNING, "rtw.log",
        std::to_string(dropped) + " log line(s) dropped: more were waiting than the log keeps");
  }
  writeAll(options_.fd, out);
}

}  // namespace rtw::app
