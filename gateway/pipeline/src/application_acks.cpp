// Enhanced mode's second answer: the senders waiting for their message's
// translation, answered when it ends here, by another instance (a shared
// PostgreSQL journal), or forgotten when their connection closes.

#include <pthread.h>

#include <algorithm>
#include <chrono>

#include <Poco/Logger.h>

#include "application_ack.h"
#include "rtw/pipeline/error_codes.h"
#include "rtw/pipeline/intake.h"

namespace rtw::pipeline {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.intake"); }

constexpr std::size_t kMaxErrorText = 500;
// Outcomes that found no sender waiting: enough for the moments between a
// commit and its answer at any rate this gateway takes; the oldest go first.
constexpr std::size_t kEarlyOutcomes = 4096;
// Senders waiting at most: far more than the connections and their
// messages in flight; past it the oldest is forgotten (and logged).
constexpr std::size_t kMaxWaiting = 65536;

std::int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// How a message another instance finished was answered, from the journal.
TranslationOutcome outcomeFromJournal(const store::JournalEntry& entry, bool has_documents) {
  TranslationOutcome outcome;
  const bool set_aside = entry.state == store::MessageState::kDead && !has_documents;
  outcome.accepted = entry.state != store::MessageState::kRejected && !set_aside;
  outcome.reject = set_aside;
  outcome.reason = entry.reason;
  outcome.code = err::kApplicationError;
  return outcome;
}

}  // namespace

namespace detail {

hl7v2::AckError error(std::string segment, int field, int code, std::string text) {
  hl7v2::AckError e;
  e.segment_index = segment.empty() ? 0 : 1;
  e.segment = std::move(segment);
  e.field = field;
  e.code = code;
  if (text.size() > kMaxErrorText) {
    text.resize(kMaxErrorText);
  }
  e.text = std::move(text);
  return e;
}

std::string applicationAck(const std::string& payload, const hl7v2::ParseOptions& options,
                           const TranslationOutcome& outcome) {
  hl7v2::ParseOutcome parsed = hl7v2::Message::parse(payload, options);
  if (!parsed.message) {
    return {};
  }
  if (outcome.accepted) {
    return hl7v2::buildAck(*parsed.message, hl7v2::AckCode::AA, {}, newControlId(), hl7Now());
  }
  // A message type the partner has no mapping for is a reject (AR, 200/201);
  // content that is missing, malformed or refused by the board is an error
  // (AE, 101/102/103/207) the sender can fix.
  hl7v2::AckError problem = error(outcome.segment, outcome.field, outcome.code, outcome.reason);
  problem.segment_index = outcome.segment.empty() ? 0 : std::max(outcome.occurrence, 1);
  return hl7v2::buildAck(*parsed.message, outcome.reject ? hl7v2::AckCode::AR : hl7v2::AckCode::AE,
                         {problem}, newControlId(), hl7Now());
}

void sendApplicationAck(AckSink& sink, const hl7v2::AcknowledgmentMode& mode,
                        const hl7v2::ParseOptions& options, const std::string& payload,
                        const TranslationOutcome& outcome) {
  if (hl7v2::wantsApplicationAck(mode, outcome.accepted)) {
    sink.send(applicationAck(payload, options, outcome));
  }
}

}  // namespace detail

void Hl7Intake::awaitOutcome(std::int64_t id, const std::shared_ptr<AckSink>& sink,
                             const hl7v2::AcknowledgmentMode& mode,
                             const hl7v2::ParseOptions& options, const std::string& payload) {
  if (mode.application == hl7v2::AckCondition::kNever) {
    return;
  }
  TranslationOutcome outcome;
  {
    std::lock_guard lock(mutex_);
    const auto early = early_.find(id);
    if (early == early_.end()) {
      pending_[id] = Pending{sink, mode, options, steadyMs()};  // translated() answers
      if (pending_.size() > kMaxWaiting) {
        ++forgotten_;
        logger().warning(
            "%z senders wait for application ACKs: the oldest (message %?d) is "
            "forgotten (%?u so far)",
            pending_.size(), pending_.begin()->first, forgotten_);
        pending_.erase(pending_.begin());
      }
      return;
    }
    outcome = std::move(early->second);
    early_.erase(early);
  }
  detail::sendApplicationAck(*sink, mode, options, payload, outcome);
}

void Hl7Intake::translated(std::int64_t message_id, const TranslationOutcome& outcome) {
  Pending pending;
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(message_id);
    if (it == pending_.end()) {
      early_[message_id] = outcome;
      if (early_.size() > kEarlyOutcomes) {
        early_.erase(early_.begin());
      }
      return;
    }
    pending = std::move(it->second);
    pending_.erase(it);
  }
  std::shared_ptr<AckSink> sink = pending.sink.lock();
  if (!sink || !hl7v2::wantsApplicationAck(pending.mode, outcome.accepted)) {
    return;
  }
  const std::optional<store::JournalEntry> entry = journal_.message(message_id);
  if (entry) {
    sink->send(detail::applicationAck(entry->payload, pending.options, outcome));
  }
}

std::size_t Hl7Intake::pollOutcomes(std::int64_t older_than_ms) {
  std::vector<std::int64_t> due;
  {
    std::lock_guard lock(mutex_);
    const std::int64_t now = steadyMs();
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.sink.expired()) {
        it = pending_.erase(it);  // the connection closed: nobody to answer
        continue;
      }
      if (now - it->second.since_ms >= older_than_ms) {
        due.push_back(it->first);
      }
      ++it;
    }
  }
  std::size_t answered = 0;
  for (const std::int64_t id : due) {
    const std::optional<store::JournalEntry> entry = journal_.message(id);
    if (!entry || entry->state == store::MessageState::kReceived) {
      continue;  // still to translate, here or elsewhere
    }
    const bool has_documents =
        entry->state != store::MessageState::kDead || !journal_.outbox(id).empty();
    translated(id, outcomeFromJournal(*entry, has_documents));
    ++answered;
  }
  return answered;
}

std::size_t Hl7Intake::waitingForOutcome() const {
  std::lock_guard lock(mutex_);
  return pending_.size();
}

void Hl7Intake::startOutcomePolling(int interval_ms) {
  poller_ = std::thread([this, interval_ms] {
    pthread_setname_np(pthread_self(), "rtw-app-acks");
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
        logger().error("application ACK poll: %s", std::string(e.what()));
      }
      lock.lock();
    }
  });
}

void Hl7Intake::stopOutcomePolling() {
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
