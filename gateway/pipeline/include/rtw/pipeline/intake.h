#pragma once
// The HL7 v2 adapter of intake (IntakeCore is the channel-neutral half): an
// inbound message is parsed, its MSH checked against the partner, and it
// becomes a journal row, and only then an ACK. Bad bytes get AR (or CR) with
// an ERR segment and touch nothing.
//
// Original mode (MSH-15 and MSH-16 empty): one ACK, AA after the commit.
// Enhanced mode: a commit ACK (CA/CR) as MSH-15 asks, after the commit; then
// an application ACK (AA/AE) as MSH-16 asks, once the message is translated
// or rejected, sent on the connection it came on while that is still open.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "rtw/hl7v2/ack.h"
#include "rtw/pipeline/intake_core.h"
#include "rtw/pipeline/payload.h"
#include "rtw/security/binding.h"
#include "rtw/store/journal.h"

namespace rtw::pipeline {

/// The connection a message came on, for ACKs. send() is thread-safe and a
/// no-op once the connection is closed.
class AckSink {
 public:
  virtual ~AckSink() = default;
  virtual void send(const std::string& ack) = 0;
};

class Hl7Intake {
 public:
  explicit Hl7Intake(IntakeCore& core) : core_(core) {}

  /// Parses, checks and journals a message and sends the ACK(s) due now to
  /// `sink`. Never throws for bad input; when the journal cannot commit, the
  /// answer is AE (or CE), never a positive ACK. `binding` is the sender's
  /// certificate bound for "mllp" (security::bindPartner): a partner, or a
  /// partner refused because it has no mllp channel, which is answered AR
  /// (CR) like any other refusal. A binding without a partner (unknown or
  /// ambiguous certificate) is not for intake: the listener closes those.
  void receive(const security::Binding& binding, std::string_view bytes,
               const std::shared_ptr<AckSink>& sink);

  /// As receive(), without waiting for the commit (an event-driven server).
  /// A message refused by its checks, or not taken while the journal is
  /// unhealthy, is answered before this returns false. Otherwise (true) the
  /// journal's committer thread calls `finish` with the step that answers
  /// it once the commit ended (its ACK, or AE/CE if the commit failed):
  /// `finish` runs that step where the sink's socket lives. The ACK still
  /// comes only after the commit holding the message.
  bool receiveAsync(const security::Binding& binding, std::string_view bytes,
                    const std::shared_ptr<AckSink>& sink,
                    std::function<void(std::function<void()>)> finish);

  Hl7Intake(const Hl7Intake&) = delete;
  Hl7Intake& operator=(const Hl7Intake&) = delete;

 private:
  struct Prepared;
  /// Parses and checks; answers and returns null when the message is refused.
  std::unique_ptr<Prepared> prepare(const security::Binding& binding, std::string_view bytes,
                                    AckSink& sink);
  /// Answers a message once its commit ended.
  void answer(const Prepared& prepared, const store::RecordResult& recorded,
              const std::shared_ptr<AckSink>& sink);
  void notRecorded(const Prepared& prepared, const std::exception& e, AckSink& sink);

  /// The application ACK once the message's translation ends (at once when it
  /// already has: a translate thread may claim a message as soon as its
  /// commit is done and finish it before the sender is remembered).
  void awaitOutcome(std::int64_t id, const std::shared_ptr<AckSink>& sink,
                    const hl7v2::AcknowledgmentMode& mode, const hl7v2::ParseOptions& options,
                    const std::string& payload);
  void answerDuplicate(const Prepared& prepared, const store::RecordResult& recorded,
                       const std::shared_ptr<AckSink>& sink);

  IntakeCore& core_;
};

/// A fresh ACK control id and an HL7 timestamp for now.
std::string newControlId();
std::string hl7Now();

}  // namespace rtw::pipeline
