#include <algorithm>
#include <exception>
#include <random>

#include <Poco/Logger.h>

#include "rtw/pipeline/kill_point.h"
#include "rtw/pipeline/workers.h"

namespace rtw::pipeline {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.delivery"); }

/// Documents claimed at once by a worker, posted one after another and their
/// outcomes committed together: one commit (one fdatasync) per batch, not
/// per document. Small while messages are arriving (an ACK may wait behind
/// this commit), larger with intake idle, as in translate_worker.cpp.
constexpr std::size_t kBatch = 4;
constexpr std::size_t kIdleBatch = 16;
constexpr std::int64_t kIntakeIdleMs = 100;

}  // namespace

DeliveryWorker::DeliveryWorker(store::Journal& journal, ClientFactory make_client,
                               RetryPolicy policy, int threads)
    : journal_(journal),
      make_client_(std::move(make_client)),
      policy_(policy),
      pool_({"rtw-delivery", std::max(threads, 0), 200, {}}, logger()) {}

DeliveryWorker::~DeliveryWorker() { stop(); }

void DeliveryWorker::start() {
  pool_.start([this]() -> WorkerPool::Round {
    // One connection per thread; retries come due without a notification,
    // so the pool polls at a short interval.
    std::shared_ptr<BoardClient> board = make_client_();
    return [this, board] { return deliverBatch(*board); };
  });
}

std::int64_t DeliveryWorker::backoffMs(int attempts, const DeliveryResult& result) {
  // Capped exponential backoff with "equal jitter": half fixed, half random,
  // so that many documents failing together do not retry together.
  const int exponent = std::min(attempts, 20);
  const std::int64_t capped = std::min<std::int64_t>(
      static_cast<std::int64_t>(policy_.base_backoff_ms) << exponent, policy_.max_backoff_ms);
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_int_distribution<std::int64_t> jitter(0, capped / 2);
  std::int64_t delay = capped / 2 + jitter(random);
  if (result.retry_after_s) {
    delay = std::max<std::int64_t>(delay, static_cast<std::int64_t>(*result.retry_after_s) * 1000);
  }
  return delay;
}

bool DeliveryWorker::deliverBatch(BoardClient& board) {
  std::vector<store::OutboxItem> items =
      journal_.nextDue(nowMs(), journal_.recordedWithin(kIntakeIdleMs) ? kBatch : kIdleBatch);
  if (items.empty()) {
    return false;
  }
  std::vector<store::DeliveryResultRecord> records;
  std::vector<DeliveryResult> answers;
  std::exception_ptr failure;
  std::size_t posted = 0;
  for (; posted < items.size() && !pool_.stopping(); ++posted) {
    const store::OutboundDocument& doc = items[posted].document;
    try {
      answers.push_back(board.post(doc.document_type, doc.document_id, doc.body));
    } catch (...) {
      failure = std::current_exception();
      break;
    }
    records.push_back(recordFor(items[posted], answers.back()));
    if (answers.back().outcome == DeliveryResult::Outcome::kAccepted) {
      killPoint("after-board-2xx-before-delivered");
    }
  }
  for (std::size_t i = posted; i < items.size(); ++i) {
    journal_.release(items[i].id);  // not tried: the next round takes it, nothing is stuck
  }
  try {
    journal_.finishDeliveries(records);
  } catch (const std::exception& e) {
    // The journal cannot take the outcomes (disk full): the documents stay
    // pending and are posted again after a pause; their Idempotency-Keys make
    // the board answer 200 with the first receipt, never a second copy.
    for (std::size_t i = 0; i < posted; ++i) {
      journal_.release(items[i].id);
      logger().error(
          "outbox %?d %s: the board answered HTTP %d but the journal could not record it "
          "(%s); sent again shortly",
          items[i].id, items[i].document.document_id, answers[i].http_status,
          std::string(e.what()));
    }
    return false;
  }
  for (std::size_t i = 0; i < posted; ++i) {
    logOutcome(items[i], answers[i], records[i]);
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
  return true;
}

store::DeliveryResultRecord DeliveryWorker::recordFor(const store::OutboxItem& item,
                                                      const DeliveryResult& result) {
  using Kind = store::DeliveryResultRecord::Kind;
  switch (result.outcome) {
    case DeliveryResult::Outcome::kAccepted:
      return {item.id, Kind::kDelivered, result.receipt};
    case DeliveryResult::Outcome::kRejected:
      return {item.id, Kind::kDead,
              "board answered " + std::to_string(result.http_status) + ": " + result.reason};
    case DeliveryResult::Outcome::kRetry:
      break;
  }
  const std::int64_t age_s = item.queued_ms > 0 ? (nowMs() - item.queued_ms) / 1000 : 0;
  const bool too_old = policy_.max_age_s > 0 && age_s >= policy_.max_age_s;
  if (item.attempts + 1 >= policy_.max_attempts || too_old) {
    return {item.id, Kind::kDead,
            "gave up after " + std::to_string(item.attempts + 1) + " attempts in " +
                std::to_string(age_s) + " s; last: " + result.reason};
  }
  return {item.id, Kind::kRetry, result.reason, nowMs() + backoffMs(item.attempts, result)};
}

void DeliveryWorker::logOutcome(const store::OutboxItem& item, const DeliveryResult& result,
                                const store::DeliveryResultRecord& record) {
  const store::OutboundDocument& doc = item.document;
  using Kind = store::DeliveryResultRecord::Kind;
  if (record.kind == Kind::kDelivered) {
    if (logger().information()) {  // spelled out: see the intake's line
      logger().information("outbox " + std::to_string(item.id) + " " + doc.document_type + " " +
                           doc.document_id + " delivered (HTTP " +
                           std::to_string(result.http_status) + ")");
    }
  } else if (record.kind == Kind::kRetry) {
    logger().warning("outbox %?d %s attempt %d failed (%s); retry in %?d ms", item.id,
                     doc.document_id, item.attempts + 1, result.reason,
                     record.next_attempt_ms - nowMs());
  } else if (result.outcome == DeliveryResult::Outcome::kRejected) {
    logger().warning("outbox %?d %s %s refused by the board (HTTP %d): dead", item.id,
                     doc.document_type, doc.document_id, result.http_status);
  } else {
    logger().error("outbox %?d %s dead after %d attempts", item.id, doc.document_id,
                   item.attempts + 1);
  }
}

}  // namespace rtw::pipeline
