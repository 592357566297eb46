// The channel-neutral intake: the senders waiting for their message's
// translation, told when it ends here, by another instance (a shared
// PostgreSQL journal), or forgotten when they go away.

#include "rtw/pipeline/intake_core.h"

#include <pthread.h>

#include <chrono>
#include <vector>

#include <Poco/Logger.h>

#include "rtw/pipeline/error_codes.h"

namespace rtw::pipeline {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.intake"); }

// Outcomes that found nobody waiting: enough for the moments between a
// commit and its answer at any rate this gateway takes; the oldest go first.
constexpr std::size_t kEarlyOutcomes = 4096;
// Waiters at most: far more than the connections and their messages in
// flight; past it the oldest is forgotten (and logged).
constexpr std::size_t kMaxWaiting = 65536;

std::int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// How a message ended, from its state: a message set aside by translation
/// (dead, no documents) was refused; one whose documents the board refused
/// later had been translated, and was accepted.
TranslationOutcome outcomeOf(store::MessageState state, bool has_documents, std::string reason) {
  TranslationOutcome outcome;
  const bool set_aside = state == store::MessageState::kDead && !has_documents;
  outcome.accepted = state != store::MessageState::kRejected && !set_aside;
  outcome.reject = set_aside;
  outcome.reason = std::move(reason);
  outcome.code = err::kApplicationError;
  return outcome;
}

}  // namespace

IntakeCore::IntakeCore(store::Journal& journal, std::function<void()> on_recorded)
    : journal_(journal), on_recorded_(std::move(on_recorded)) {}

std::optional<TranslationOutcome> IntakeCore::originalOutcome(const store::RecordResult& recorded) {
  if (recorded.state == store::MessageState::kReceived) {
    return std::nullopt;
  }
  return outcomeOf(recorded.state, recorded.documents > 0, recorded.reason);
}

std::optional<TranslationOutcome> IntakeCore::awaitOutcome(std::int64_t id,
                                                           std::shared_ptr<OutcomeWaiter> waiter) {
  std::lock_guard lock(mutex_);
  const auto early = early_.find(id);
  if (early == early_.end()) {
    waiting_[id] = Waiting{std::move(waiter), steadyMs()};  // translated() tells it
    if (waiting_.size() > kMaxWaiting) {
      ++forgotten_;
      logger().warning(
          "%z senders wait for their message's outcome: the oldest (message %?d) is "
          "forgotten (%?u so far)",
          waiting_.size(), waiting_.begin()->first, forgotten_);
      waiting_.erase(waiting_.begin());
    }
    return std::nullopt;
  }
  TranslationOutcome outcome = std::move(early->second);
  early_.erase(early);
  return outcome;
}

void IntakeCore::translated(std::int64_t message_id, const TranslationOutcome& outcome) {
  std::shared_ptr<OutcomeWaiter> waiter;
  {
    std::lock_guard lock(mutex_);
    auto it = waiting_.find(message_id);
    if (it == waiting_.end()) {
      early_[message_id] = outcome;
      if (early_.size() > kEarlyOutcomes) {
        early_.erase(early_.begin());
      }
      return;
    }
    waiter = std::move(it->second.waiter);
    waiting_.erase(it);
  }
  if (waiter->waiting()) {
    waiter->tell(message_id, outcome);
  }
}

std::size_t IntakeCore::pollOutcomes(std::int64_t older_than_ms) {
  std::vector<std::int64_t> due;
  {
    std::lock_guard lock(mutex_);
    const std::int64_t now = steadyMs();
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (!it->second.waiter->waiting()) {
        it = waiting_.erase(it);  // gone: nobody to tell
        continue;
      }
      if (now - it->second.since_ms >= older_than_ms) {
        due.push_back(it->first);
      }
      ++it;
    }
  }
  std::size_t told = 0;
  for (const std::int64_t id : due) {
    const std::optional<store::JournalEntry> entry = journal_.message(id);
    if (!entry || entry->state == store::MessageState::kReceived) {
      continue;  // still to translate, here or elsewhere
    }
    const bool has_documents =
        entry->state != store::MessageState::kDead || !journal_.outbox(id).empty();
    translated(id, outcomeOf(entry->state, has_documents, entry->reason));
    ++told;
  }
  return told;
}

std::size_t IntakeCore::waitingForOutcome() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

void IntakeCore::startOutcomePolling(int interval_ms) {
  poller_ = std::thread([this, interval_ms] {
    pthread_setname_np(pthread_self(), "rtw-outcomes");
    std::unique_lock lock(poller_mutex_);
    while (!poller_stop_) {
      poller_cv_.wait_for(lock, std::chrono::milliseconds(interval_ms));
      if (poller_stop_) {
        break;
      }
      lock.unlock();
      try {
        pollOutcomes(interval_ms);
      } catch (const std::exception& e) {
        logger().error("outcome poll: %s", std::string(e.what()));
      }
      lock.lock();
    }
  });
}

void IntakeCore::stopOutcomePolling() {
  {
    std::lock_guard lock(poller_mutex_);
    poller_stop_ = true;
  }
  poller_cv_.notify_all();
  if (poller_.joinable()) {
    poller_.join();
  }
}

}  // namespace rtw::pipeline
