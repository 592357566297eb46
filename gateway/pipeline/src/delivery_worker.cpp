#include <algorithm>
#include <random>

#include <Poco/Logger.h>

#include "rtw/pipeline/kill_point.h"
#include "rtw/pipeline/workers.h"

namespace rtw::pipeline {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.delivery"); }

}  // namespace

DeliveryWorker::DeliveryWorker(store::Journal& journal, ClientFactory make_client,
                               RetryPolicy policy, int threads)
    : journal_(journal),
      make_client_(std::move(make_client)),
      policy_(policy),
      thread_count_(std::max(threads, 1)) {}

DeliveryWorker::~DeliveryWorker() { stop(); }

void DeliveryWorker::start() {
  for (int i = 0; i < thread_count_; ++i) {
    threads_.emplace_back([this] { run(); });
  }
}

void DeliveryWorker::stop() {
  wakeup_.stop();
  for (auto& thread : threads_) {
    if (thread.joinable()) {
      thread.join();
    }
  }
  threads_.clear();
}

void DeliveryWorker::run() {
  std::unique_ptr<BoardClient> board = make_client_();  // one connection per thread
  std::uint64_t seen = 0;
  while (!wakeup_.stopping()) {
    try {
      while (!wakeup_.stopping() && deliverOne(*board)) {
      }
    } catch (const std::exception& e) {
      logger().error("delivery loop: %s", std::string(e.what()));
    }
    // Retries come due without a notification: poll at a short interval.
    wakeup_.wait(200, seen);
  }
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

bool DeliveryWorker::deliverOne(BoardClient& board) {
  std::optional<store::OutboxItem> item = journal_.nextDue(nowMs());
  if (!item) {
    return false;
  }
  const store::OutboundDocument& doc = item->document;
  DeliveryResult result;
  try {
    result = board.post(doc.document_type, doc.document_id, doc.body);
  } catch (...) {
    journal_.release(item->id);  // tried again by the next round, not stuck
    throw;
  }
  try {
    record(*item, result);
  } catch (const std::exception& e) {
    // The journal cannot take the outcome (disk full): the document stays
    // pending and is posted again after a pause; its Idempotency-Key makes
    // the board answer 200 with the first receipt, never a second copy.
    journal_.release(item->id);
    logger().error(
        "outbox %?d %s: the board answered HTTP %d but the journal could not record it "
        "(%s); sent again shortly",
        item->id, doc.document_id, result.http_status, std::string(e.what()));
    return false;
  }
  return true;
}

void DeliveryWorker::record(const store::OutboxItem& item, const DeliveryResult& result) {
  const store::OutboundDocument& doc = item.document;
  const std::int64_t outbox_id = item.id;
  switch (result.outcome) {
    case DeliveryResult::Outcome::kAccepted:
      killPoint("after-board-2xx-before-delivered");
      journal_.markDelivered(item.id, result.receipt);
      logger().information("outbox %?d %s %s delivered (HTTP %d)", outbox_id, doc.document_type,
                           doc.document_id, result.http_status);
      break;
    case DeliveryResult::Outcome::kRejected:
      journal_.markDead(
          item.id, "board answered " + std::to_string(result.http_status) + ": " + result.reason);
      logger().warning("outbox %?d %s %s refused by the board (HTTP %d): dead", outbox_id,
                       doc.document_type, doc.document_id, result.http_status);
      break;
    case DeliveryResult::Outcome::kRetry: {
      const std::int64_t age_s = item.queued_ms > 0 ? (nowMs() - item.queued_ms) / 1000 : 0;
      const bool too_old = policy_.max_age_s > 0 && age_s >= policy_.max_age_s;
      if (item.attempts + 1 >= policy_.max_attempts || too_old) {
        journal_.markDead(item.id, "gave up after " + std::to_string(item.attempts + 1) +
                                       " attempts in " + std::to_string(age_s) +
                                       " s; last: " + result.reason);
        logger().error("outbox %?d %s dead after %d attempts in %?d s", outbox_id, doc.document_id,
                       item.attempts + 1, age_s);
      } else {
        const std::int64_t delay = backoffMs(item.attempts, result);
        journal_.scheduleRetry(item.id, nowMs() + delay, result.reason);
        logger().warning("outbox %?d %s attempt %d failed (%s); retry in %?d ms", outbox_id,
                         doc.document_id, item.attempts + 1, result.reason, delay);
      }
      break;
    }
  }
}

}  // namespace rtw::pipeline
