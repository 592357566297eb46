#include "rtw/pipeline/retention.h"

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

RetentionWorker::RetentionWorker(store::Journal& journal, int days)
    : journal_(journal),
      days_(days),
      // Once at start-up, then every hour; at the normal priority.
      pool_({"rtw-retention", days > 0 ? 1 : 0, kIntervalMs, {false, 0}}, logger()) {}

void RetentionWorker::start() {
  pool_.start([this]() -> WorkerPool::Round {
    return [this] {
      purgeOnce();
      return false;  // one purge per interval
    };
  });
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
