#pragma once
// The channel-neutral half of intake, which every channel's adapter (HL7
// over MLLP today; FHIR and files next) uses the same way: a message is
// recorded in the journal and answered only after the commit that holds it;
// a duplicate gets what the journal says of its original; and a sender that
// waits for the translation's outcome is told it when the translate worker
// (or another instance on a shared journal) ends it, or forgotten when it
// goes away. The adapters parse, check and answer in their own format.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "rtw/store/journal.h"

namespace rtw::pipeline {

/// How a translation ended, for the sender's answer.
struct TranslationOutcome {
  bool accepted = false;
  /// Refused for a reason that is not the values the message holds (its
  /// type is not mapped for the partner, or the translation itself failed
  /// and the message was set aside): HL7 answers AR rather than AE.
  bool reject = false;
  std::string reason = {};   // why not (no PHI)
  int code = 207;            // HL7 table 0357 (error_codes.h)
  std::string segment = {};  // where known: segment, occurrence, field (HL7 ERR-2)
  int occurrence = 0;
  int field = 0;
};

/// A sender waiting for a message's outcome (the adapter's answer to send).
class OutcomeWaiter {
 public:
  virtual ~OutcomeWaiter() = default;
  /// False once nobody can be told any more (its connection closed): forgotten.
  virtual bool waiting() const = 0;
  /// Called at most once, from a translate thread or the poller.
  virtual void tell(std::int64_t message_id, const TranslationOutcome& outcome) = 0;
};

class IntakeCore {
 public:
  /// `on_recorded` wakes the translate workers once a new message is answered.
  IntakeCore(store::Journal& journal, std::function<void()> on_recorded);
  ~IntakeCore() { stopOutcomePolling(); }
  IntakeCore(const IntakeCore&) = delete;
  IntakeCore& operator=(const IntakeCore&) = delete;

  store::Journal& journal() { return journal_; }

  /// Journals `message`; returns after the commit that holds it (or throws:
  /// then nothing was stored and the sender must not be told it was).
  store::RecordResult record(const store::InboundMessage& message) {
    return journal_.record(message);
  }
  /// As record() without waiting: `done` runs once the commit ended.
  void recordAsync(std::shared_ptr<const store::InboundMessage> message,
                   store::Journal::RecordDone done) {
    journal_.recordAsync(std::move(message), std::move(done));
  }
  /// A new message was answered: the translate workers may take it.
  void answered() { on_recorded_(); }

  /// How a duplicate's original ended, as the duplicate check read it with
  /// the key; nothing while it is still to be translated.
  static std::optional<TranslationOutcome> originalOutcome(const store::RecordResult& recorded);

  /// Tells `waiter` the outcome of message `id` once it is known; when it
  /// already is (a translate thread finished the message between its commit
  /// and this call), returns it instead, for the caller to answer at once.
  /// At most 65,536 wait: past that the oldest is forgotten, with a warning.
  std::optional<TranslationOutcome> awaitOutcome(std::int64_t id,
                                                 std::shared_ptr<OutcomeWaiter> waiter);
  /// Called by the translate worker when it ends a message.
  void translated(std::int64_t message_id, const TranslationOutcome& outcome);

  /// Every `interval_ms`, on a thread of its own: pollOutcomes(interval_ms).
  void startOutcomePolling(int interval_ms);
  void stopOutcomePolling();
  /// Forgets the waiters nobody can be told any more, and tells those
  /// waiting longer than `older_than_ms` whose message the journal shows
  /// finished: translated by another instance on a shared journal (or while
  /// this one has no translate workers), which cannot call translated()
  /// here. Returns how many were told.
  std::size_t pollOutcomes(std::int64_t older_than_ms);
  std::size_t waitingForOutcome() const;

 private:
  struct Waiting {
    std::shared_ptr<OutcomeWaiter> waiter;
    std::int64_t since_ms = 0;  // steady clock
  };

  store::Journal& journal_;
  std::function<void()> on_recorded_;
  mutable std::mutex mutex_;
  std::map<std::int64_t, Waiting> waiting_;
  std::uint64_t forgotten_ = 0;
  // Outcomes that found nobody waiting: the last few thousand, for a sender
  // remembered just after its message was translated (most belong to
  // messages whose sender waits for no outcome, and are forgotten).
  std::map<std::int64_t, TranslationOutcome> early_;

  std::thread poller_;
  std::mutex poller_mutex_;
  std::condition_variable poller_cv_;
  bool poller_stop_ = false;
};

}  // namespace rtw::pipeline
