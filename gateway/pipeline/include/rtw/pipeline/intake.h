#pragma once
// Intake: an inbound HL7 v2 message becomes a journal row, and only then an
// ACK. Bad bytes get AR (or CR) with an ERR segment and touch nothing.
//
// Original mode (MSH-15 and MSH-16 empty): one ACK, AA after the commit.
// Enhanced mode: a commit ACK (CA/CR) as MSH-15 asks, after the commit; then
// an application ACK (AA/AE) as MSH-16 asks, once the message is translated
// or rejected, sent on the connection it came on while that is still open.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "rtw/hl7v2/ack.h"
#include "rtw/security/partners.h"
#include "rtw/store/journal.h"

namespace rtw::pipeline {

/// The connection a message came on, for ACKs. send() is thread-safe and a
/// no-op once the connection is closed.
class AckSink {
 public:
  virtual ~AckSink() = default;
  virtual void send(const std::string& ack) = 0;
};

/// How a translation ended, for the application ACK.
struct TranslationOutcome {
  bool accepted = false;
  /// AR rather than AE: refused for a reason that is not the values it
  /// holds (its type is not mapped for the partner, or the translation
  /// itself failed and the message was set aside).
  bool reject = false;
  std::string reason = {};   // why not (no PHI)
  int code = 207;            // HL7 table 0357 (error_codes.h)
  std::string segment = {};  // ERR-2 where known: segment, occurrence, field
  int occurrence = 0;
  int field = 0;
};

class Hl7Intake {
 public:
  /// `on_recorded` is called after each new message is committed (wakes the
  /// translate worker).
  Hl7Intake(store::Journal& journal, std::function<void()> on_recorded);

  /// Parses, checks and journals a message and sends the ACK(s) due now to
  /// `sink`. Never throws for bad input; when the journal cannot commit, the
  /// answer is AE (or CE), never a positive ACK.
  void receive(const security::Partner& partner, std::string_view bytes,
               const std::shared_ptr<AckSink>& sink);

  /// As receive(), without waiting for the commit (an event-driven server).
  /// A message refused by its checks, or not taken while the journal is
  /// unhealthy, is answered before this returns false. Otherwise (true) the
  /// journal's committer thread calls `finish` with the step that answers
  /// it once the commit ended (its ACK, or AE/CE if the commit failed):
  /// `finish` runs that step where the sink's socket lives. The ACK still
  /// comes only after the commit holding the message.
  bool receiveAsync(const security::Partner& partner, std::string_view bytes,
                    const std::shared_ptr<AckSink>& sink,
                    std::function<void(std::function<void()>)> finish);

  ~Hl7Intake() { stopOutcomePolling(); }
  Hl7Intake(const Hl7Intake&) = delete;
  Hl7Intake& operator=(const Hl7Intake&) = delete;

  /// Called by the translate worker: sends the application ACK when the
  /// message asked for one and its connection is still open.
  void translated(std::int64_t message_id, const TranslationOutcome& outcome);

  /// Every `interval_ms`, on a thread of its own: pollOutcomes(interval_ms).
  void startOutcomePolling(int interval_ms);
  void stopOutcomePolling();
  /// Forgets the senders whose connection closed, and answers those waiting
  /// longer than `older_than_ms` whose message the journal shows finished:
  /// translated by another instance on a shared journal (or while this one
  /// has no translate workers), which cannot call translated() here.
  /// Returns how many were answered.
  std::size_t pollOutcomes(std::int64_t older_than_ms);
  /// Senders waiting for an application ACK (at most 65,536: past that the
  /// oldest is forgotten, with a warning).
  std::size_t waitingForOutcome() const;

 private:
  struct Pending {
    std::weak_ptr<AckSink> sink;
    hl7v2::AcknowledgmentMode mode;
    hl7v2::ParseOptions options;
    std::int64_t since_ms = 0;  // steady clock
  };

  struct Prepared;
  /// Parses and checks; answers and returns null when the message is refused.
  std::unique_ptr<Prepared> prepare(const security::Partner& partner, std::string_view bytes,
                                    AckSink& sink);
  /// Answers a message once its commit ended.
  void answer(const Prepared& prepared, const store::RecordResult& recorded,
              const std::shared_ptr<AckSink>& sink);
  void notRecorded(const Prepared& prepared, const std::exception& e, AckSink& sink);

  /// Waits for the message's translation to answer the sender, or answers at
  /// once when it already ended: a translate thread may claim a message as
  /// soon as its commit is done and finish it before the sender is remembered.
  void awaitOutcome(std::int64_t id, const std::shared_ptr<AckSink>& sink,
                    const hl7v2::AcknowledgmentMode& mode, const hl7v2::ParseOptions& options,
                    const std::string& payload);
  void answerDuplicate(const Prepared& prepared, const store::RecordResult& recorded,
                       const std::shared_ptr<AckSink>& sink);

  store::Journal& journal_;
  std::function<void()> on_recorded_;
  mutable std::mutex mutex_;
  std::map<std::int64_t, Pending> pending_;
  std::uint64_t forgotten_ = 0;
  // Outcomes that found no sender waiting: the last few thousand, for a sender
  // remembered just after its message was translated (most belong to messages
  // whose sender wants no application ACK, and are forgotten).
  std::map<std::int64_t, TranslationOutcome> early_;

  std::thread poller_;
  std::mutex poller_mutex_;
  std::condition_variable poller_cv_;
  bool poller_stop_ = false;
};

/// How to parse this partner's HL7 (its configured character set).
hl7v2::ParseOptions parseOptionsFor(const security::Partner& partner);

/// A fresh ACK control id and an HL7 timestamp for now.
std::string newControlId();
std::string hl7Now();

}  // namespace rtw::pipeline
