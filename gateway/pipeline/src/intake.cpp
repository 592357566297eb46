#include "rtw/pipeline/intake.h"

#include <atomic>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>
#include <Poco/Timestamp.h>

#include "rtw/hl7v2/ack.h"
#include "rtw/hl7v2/charset.h"
#include "rtw/hl7v2/message.h"
#include "rtw/pipeline/kill_point.h"

namespace rtw::pipeline {
namespace {

constexpr std::size_t kMaxErrorText = 500;

Poco::Logger& logger() { return Poco::Logger::get("rtw.intake"); }

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

/// What to send when a message is refused before it is journaled: AR/AE in
/// original mode, CR/CE in enhanced mode (and then only if MSH-15 asks).
void reject(const hl7v2::Message& message, const std::vector<hl7v2::AckError>& problems,
            AckSink& sink) {
  const auto mode = hl7v2::AcknowledgmentMode::of(message);
  if (mode.enhanced && !hl7v2::wantsCommitAck(mode, false)) {
    return;
  }
  const auto kind = mode.enhanced ? hl7v2::AckKind::kCommit : hl7v2::AckKind::kApplication;
  sink.send(hl7v2::buildAckFor(message, kind, problems, newControlId(), hl7Now()));
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
  // A message type the partner has no mapping for is a reject (AR, 200);
  // content the board would refuse is an error (AE, 207) the sender can fix.
  return hl7v2::buildAck(
      *parsed.message, outcome.unsupported ? hl7v2::AckCode::AR : hl7v2::AckCode::AE,
      {error("", 0, outcome.unsupported ? 200 : 207, outcome.reason)}, newControlId(), hl7Now());
}

/// The application ACK for `outcome`, when the sender's MSH-16 asks for one.
void sendApplicationAck(AckSink& sink, const hl7v2::AcknowledgmentMode& mode,
                        const hl7v2::ParseOptions& options, const std::string& payload,
                        const TranslationOutcome& outcome) {
  if (hl7v2::wantsApplicationAck(mode, outcome.accepted)) {
    sink.send(applicationAck(payload, options, outcome));
  }
}

}  // namespace

std::string newControlId() {
  // Unique within this process run and across restarts (time prefix).
  static std::atomic<std::uint64_t> counter{0};
  return "RTW" + std::to_string(Poco::Timestamp().epochMicroseconds()) + "-" +
         std::to_string(counter.fetch_add(1));
}

std::string hl7Now() {
  return Poco::DateTimeFormatter::format(Poco::DateTime(), "%Y%m%d%H%M%S+0000");
}

hl7v2::ParseOptions parseOptionsFor(const security::Partner& partner) {
  hl7v2::ParseOptions options;
  if (!partner.charset.empty()) {
    options.charset = hl7v2::charsetFromName(partner.charset);
  }
  return options;
}

Hl7Intake::Hl7Intake(store::Journal& journal, std::function<void()> on_recorded)
    : journal_(journal), on_recorded_(std::move(on_recorded)) {}

/// A message that passed the checks, on its way into the journal.
struct Hl7Intake::Prepared {
  hl7v2::ParseOptions options;
  hl7v2::Message message;  // for an AE/CE built from its MSH
  hl7v2::AcknowledgmentMode mode;
  store::InboundMessage inbound;  // partner, control id, type: for the logs too
};

std::unique_ptr<Hl7Intake::Prepared> Hl7Intake::prepare(const security::Partner& partner,
                                                        std::string_view bytes, AckSink& sink) {
  const hl7v2::ParseOptions options = parseOptionsFor(partner);
  hl7v2::ParseOutcome parsed = hl7v2::Message::parse(bytes, options);
  if (!parsed.message) {
    const hl7v2::ParseError& e = *parsed.error;
    logger().warning(
        "partner=%s rejected unparseable message (%z bytes): %s at segment %d field %d", partner.id,
        bytes.size(), e.message, e.segment_index, e.field);
    sink.send(hl7v2::buildRejectForUnparsed(bytes, e, {}, newControlId(), hl7Now()));
    return nullptr;
  }
  const hl7v2::Message& message = *parsed.message;
  const std::string control_id = message.controlId();
  const std::vector<hl7v2::AckError> header_problems = hl7v2::checkHeader(message);
  // Warnings alone still accept (AA); anything else refuses the message.
  if (hl7v2::ackCodeFor(header_problems, hl7v2::AckKind::kApplication) != hl7v2::AckCode::AA) {
    logger().warning("partner=%s refused a message with %z MSH problem(s), first: %s", partner.id,
                     header_problems.size(), header_problems.front().text);
    reject(message, header_problems, sink);
    return nullptr;
  }
  const std::string facility = message.get("MSH-4.1");
  if (!security::sendsAs(partner, facility)) {
    logger().warning("partner=%s control_id=%s refused: sending facility not bound to the partner",
                     partner.id, control_id);
    reject(message,
           {error("MSH", 4, 207, "sending facility is not registered for this certificate")}, sink);
    return nullptr;
  }

  const auto mode = hl7v2::AcknowledgmentMode::of(message);
  store::InboundMessage inbound;
  inbound.partner = partner.id;
  inbound.channel = "mllp";
  inbound.sender = message.get("MSH-3.1") + "|" + facility;
  inbound.control_id = control_id;
  inbound.message_type = message.messageType();
  inbound.payload = std::string(message.bytes());
  inbound.ack = hl7v2::buildAck(message, mode.enhanced ? hl7v2::AckCode::CA : hl7v2::AckCode::AA,
                                {}, newControlId(), hl7Now());
  return std::unique_ptr<Prepared>(
      new Prepared{options, std::move(*parsed.message), mode, std::move(inbound)});
}

void Hl7Intake::receive(const security::Partner& partner, std::string_view bytes,
                        const std::shared_ptr<AckSink>& sink) {
  std::unique_ptr<Prepared> prepared = prepare(partner, bytes, *sink);
  if (!prepared) {
    return;
  }
  store::RecordResult recorded;
  try {
    recorded = journal_.record(prepared->inbound);  // returns after the commit that holds it
  } catch (const std::exception& e) {
    notRecorded(*prepared, e, *sink);
    return;
  }
  answer(*prepared, recorded, sink);
}

bool Hl7Intake::receiveAsync(const security::Partner& partner, std::string_view bytes,
                             const std::shared_ptr<AckSink>& sink,
                             std::function<void(std::function<void()>)> finish) {
  std::shared_ptr<Prepared> prepared = prepare(partner, bytes, *sink);
  if (!prepared) {
    return false;
  }
  try {
    // The journal shares the message held by `prepared` (no copy of it).
    journal_.recordAsync(std::shared_ptr<const store::InboundMessage>(prepared, &prepared->inbound),
                         [this, prepared, sink, finish = std::move(finish)](
                             const store::RecordResult& recorded, std::exception_ptr error) {
                           finish([this, prepared, sink, recorded, error] {
                             if (!error) {
                               answer(*prepared, recorded, sink);
                               return;
                             }
                             try {
                               std::rethrow_exception(error);
                             } catch (const std::exception& e) {
                               notRecorded(*prepared, e, *sink);
                             }
                           });
                         });
  } catch (const std::exception& e) {
    notRecorded(*prepared, e, *sink);
    return false;
  }
  return true;
}

void Hl7Intake::notRecorded(const Prepared& prepared, const std::exception& e, AckSink& sink) {
  // Not on disk, so not accepted: AE (original) or CE (enhanced), never AA/CA.
  logger().error("partner=%s control_id=%s not accepted, journal unavailable: %s",
                 prepared.inbound.partner, prepared.inbound.control_id, std::string(e.what()));
  if (!prepared.mode.enhanced || hl7v2::wantsCommitAck(prepared.mode, false)) {
    sink.send(hl7v2::buildAck(
        prepared.message, prepared.mode.enhanced ? hl7v2::AckCode::CE : hl7v2::AckCode::AE,
        {error("", 0, 207, "the gateway cannot store messages now; resend later")}, newControlId(),
        hl7Now()));
  }
}

void Hl7Intake::answer(const Prepared& prepared, const store::RecordResult& recorded,
                       const std::shared_ptr<AckSink>& sink) {
  const auto& mode = prepared.mode;
  const bool send_now = !mode.enhanced || hl7v2::wantsCommitAck(mode, true);
  if (recorded.duplicate) {
    logger().information("partner=%s control_id=%s duplicate of message %?d: original ACK resent",
                         prepared.inbound.partner, prepared.inbound.control_id, recorded.id);
    if (send_now) {
      sink->send(recorded.ack);
    }
    if (mode.enhanced) {
      answerDuplicate(recorded, mode, prepared.options, sink);
    }
    return;
  }
  if (logger().information()) {
    // Spelled out: Poco::format builds an ostringstream per number (≈ 7 % of
    // a connection loop's time at 14,000 messages/s).
    logger().information("partner=" + prepared.inbound.partner + " control_id=" +
                         prepared.inbound.control_id + " type=" + prepared.inbound.message_type +
                         " journaled as message " + std::to_string(recorded.id));
  }
  killPoint("after-commit-before-ack");
  if (send_now) {
    sink->send(recorded.ack);
  }
  if (mode.enhanced) {
    // After the commit ACK, so that an outcome already there follows it.
    awaitOutcome(recorded.id, sink, mode, prepared.options, prepared.inbound.payload);
  }
  killPoint("after-ack-before-translate");
  on_recorded_();
}

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
      pending_[id] = Pending{sink, mode, options};  // translated() answers
      return;
    }
    outcome = std::move(early->second);
    early_.erase(early);
  }
  sendApplicationAck(*sink, mode, options, payload, outcome);
}

void Hl7Intake::answerDuplicate(const store::RecordResult& recorded,
                                const hl7v2::AcknowledgmentMode& mode,
                                const hl7v2::ParseOptions& options,
                                const std::shared_ptr<AckSink>& sink) {
  const std::optional<store::JournalEntry> entry = journal_.message(recorded.id);
  if (!entry) {
    return;
  }
  if (entry->state == store::MessageState::kReceived) {
    awaitOutcome(recorded.id, sink, mode, options, entry->payload);
    return;
  }
  TranslationOutcome outcome;
  outcome.accepted = entry->state != store::MessageState::kRejected;
  outcome.reason = entry->reason;
  sendApplicationAck(*sink, mode, options, entry->payload, outcome);
}

void Hl7Intake::translated(std::int64_t message_id, const TranslationOutcome& outcome) {
  // Enough for the moments between a commit and its answer at any rate this
  // gateway takes; the oldest go first.
  constexpr std::size_t kEarlyOutcomes = 4096;
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
    sink->send(applicationAck(entry->payload, pending.options, outcome));
  }
}

}  // namespace rtw::pipeline
