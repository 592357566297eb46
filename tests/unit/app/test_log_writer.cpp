#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Message.h>

#include "log_writer.h"

namespace {

using rtw::app::LogWriter;

/// A log file in a fresh folder, read back whole.
class LogFile {
 public:
  LogFile() {
    char dir[] = "/tmp/rtw-log-test-XXXXXX";
    REQUIRE(::mkdtemp(dir) != nullptr);
    path_ = std::string(dir) + "/gateway.log";
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    REQUIRE(fd_ >= 0);
  }
  ~LogFile() {
    ::close(fd_);
    std::remove(path_.c_str());
  }
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  int fd() const { return fd_; }
  std::vector<std::string> lines() const {
    std::ifstream in(path_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
      lines.push_back(line);
    }
    return lines;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

Poco::Message message(const std::string& source, const std::string& text,
                      Poco::Message::Priority priority = Poco::Message::PRIO_INFORMATION) {
  return Poco::Message(source, text, priority);
}

Poco::AutoPtr<LogWriter> writerFor(
    const LogFile& file, std::size_t max_queued = 100000,
    std::chrono::milliseconds gather = std::chrono::milliseconds(10)) {
  return Poco::AutoPtr<LogWriter>(new LogWriter(LogWriter::Options{file.fd(), max_queued, gather}));
}

}  // namespace

TEST_CASE("a log line reads: UTC time to the millisecond, level, source, text") {
  std::string out;
  // 2026-11-22T11:16:28.443Z
  const Poco::Timestamp time(Poco::Timestamp::TimeVal(1795346188443512));
  rtw::app::appendLogLine(out, time, Poco::Message::PRIO_WARNING, "rtw.mllp", "connection ended");
  CHECK(out == "2026-11-22T11:16:28.443Z Warning rtw.mllp: connection ended\n");
  out.clear();
  rtw::app::appendLogLine(out, Poco::Timestamp(Poco::Timestamp::TimeVal(7000)),
                          Poco::Message::PRIO_INFORMATION, "Application", "x");
  CHECK(out == "1970-01-01T00:00:00.007Z Information Application: x\n");
}

TEST_CASE("queued lines are all written, in the order logged, by the time the log is closed") {
  LogFile file;
  auto writer = writerFor(file);
  for (int i = 0; i < 1000; ++i) {
    writer->log(message("rtw.test", "line " + std::to_string(i)));
  }
  writer->close();
  const auto lines = file.lines();
  REQUIRE(lines.size() == 1000);
  const std::regex shape(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z Information rtw\.test: line \d+)");
  for (int i = 0; i < 1000; ++i) {
    INFO(lines[static_cast<std::size_t>(i)]);
    CHECK(std::regex_match(lines[static_cast<std::size_t>(i)], shape));
    CHECK(lines[static_cast<std::size_t>(i)].ends_with(": line " + std::to_string(i)));
  }
}

TEST_CASE("lines logged from many threads at once are each written once, whole") {
  LogFile file;
  auto writer = writerFor(file);
  constexpr int kThreads = 4;
  constexpr int kLinesEach = 10000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&writer, t] {
      for (int i = 0; i < kLinesEach; ++i) {
        writer->log(message("rtw.test", std::to_string(t) + "/" + std::to_string(i)));
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  writer->close();
  std::set<std::string> seen;
  for (const auto& line : file.lines()) {
    seen.insert(line.substr(line.rfind(' ') + 1));
  }
  CHECK(seen.size() == kThreads * kLinesEach);
  CHECK(file.lines().size() == kThreads * kLinesEach);
}

TEST_CASE("a line is written within moments, without waiting for more lines or for close") {
  LogFile file;
  auto writer = writerFor(file);
  writer->log(message("rtw.test", "alone"));
  for (int i = 0; i < 200 && file.lines().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(file.lines().size() == 1);
  CHECK(file.lines()[0].ends_with("rtw.test: alone"));
  writer->close();
}

TEST_CASE("past the queue's bound lines are dropped, and how many is written once there is room") {
  LogFile file;
  // The writer takes its first batch a whole second after the first line:
  // the ten lines logged at once find room for three.
  auto writer = writerFor(file, 3, std::chrono::milliseconds(1000));
  for (int i = 0; i < 10; ++i) {
    writer->log(message("rtw.test", "line " + std::to_string(i)));
  }
  writer->close();
  const auto lines = file.lines();
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].ends_with(": line 0"));
  CHECK(lines[2].ends_with(": line 2"));
  CHECK(lines[3].find(" Warning rtw.log: 7 log line(s) dropped") != std::string::npos);
}

TEST_CASE("a line logged after close is written at once by the thread that logs it") {
  LogFile file;
  auto writer = writerFor(file);
  writer->log(message("rtw.test", "before"));
  writer->close();
  writer->log(message("rtw.test", "after", Poco::Message::PRIO_ERROR));
  const auto lines = file.lines();
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].ends_with(" Information rtw.test: before"));
  CHECK(lines[1].ends_with(" Error rtw.test: after"));
  writer->close();  // a second close does nothing
}
