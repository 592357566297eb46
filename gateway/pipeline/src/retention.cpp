#include "rtw/pipeline/retention.h"

#include <pthread.h>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>
#include <Poco/Timespan.h>

namespace rtw::pipeline {
namespace {

constexpr int kIntervalMs = 60 * 60 * 1000;

Poco::Logger& logger() { return Poco::Logger::get("rtw.retention"); }

}  // namespace

void RetentionWorker::start() {
  if (days_ <= 0) {
    return;
  }
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "rtw-retention");
    std::uint64_t seen = 0;
    do {
      try {
        purgeOnce();
      } catch (const std::exception& e) {
        logger().error("retention purge failed: %s", std::string(e.what()));
      }
    } while (wakeup_.wait(kIntervalMs, seen));
  });
}

void RetentionWorker::stop() {
  wakeup_.stop();
  if (thread_.joinable()) {
    thread_.join();
  }
}

std::int64_t RetentionWorker::purgeOnce() {
  const Poco::DateTime before = Poco::DateTime() - Poco::Timespan(days_, 0, 0, 0, 0);
  const std::int64_t purged = journal_.purgePayloads(
      Poco::DateTimeFormatter::format(before, Poco::DateTimeFormat::ISO8601_FRAC_FORMAT));
  if (purged > 0) {
    logger().information("purged the payloads of %?d delivered message(s) older than %d days",
                         purged, days_);
  }
  return purged;
}

}  // namespace rtw::pipeline
