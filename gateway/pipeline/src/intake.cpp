#include "rtw/pipeline/intake.h"

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include <openssl/evp.h>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>
#include <Poco/Timestamp.h>

#include "application_ack.h"
#include "rtw/hl7v2/ack.h"
#include "rtw/hl7v2/charset.h"
#include "rtw/hl7v2/message.h"
#include "rtw/pipeline/error_codes.h"
#include "rtw/pipeline/kill_point.h"

namespace rtw::pipeline {
using detail::error;

namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.intake"); }

/// What the duplicate check compares: the message as received but for MSH-7
/// (its date/time), which some senders set anew when they resend. The first
/// 128 bits of SHA-256, in hex.
std::string contentDigest(const hl7v2::Message& message) {
  const std::string_view bytes = message.bytes();
  const std::string_view sent_at = message.raw("MSH-7");
  const std::size_t cut = sent_at.empty() ? bytes.size() : sent_at.data() - bytes.data();
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                        &EVP_MD_CTX_free);
  const std::size_t rest = cut + sent_at.size();
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), bytes.data(), cut) != 1 ||
      EVP_DigestUpdate(context.get(), bytes.data() + rest, bytes.size() - rest) != 1 ||
      EVP_DigestFinal_ex(context.get(), hash, &length) != 1 || length < 16) {
    return {};  // compares as the same content: the original answer, as before digests
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string digest;
  for (std::size_t i = 0; i < 16; ++i) {
    digest.push_back(kHex[hash[i] >> 4]);
    digest.push_back(kHex[hash[i] & 0xF]);
  }
  return digest;
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

/// A message that passed the checks, on its way into the journal.
struct Hl7Intake::Prepared {
  hl7v2::ParseOptions options;
  hl7v2::Message message;  // for an AE/CE built from its MSH
  hl7v2::AcknowledgmentMode mode;
  store::InboundMessage inbound;  // partner, control id, type: for the logs too
};

std::unique_ptr<Hl7Intake::Prepared> Hl7Intake::prepare(const security::Binding& binding,
                                                        std::string_view bytes, AckSink& sink) {
  if (binding.partner == nullptr) {
    throw std::invalid_argument("intake was handed a certificate bound to no partner");
  }
  const security::Partner& partner = *binding.partner;
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
  if (binding.refusal == security::Refusal::kNoChannel) {
    // Its certificate is ours, but its file does not let it send HL7 over MLLP.
    logger().warning("partner=%s control_id=%s refused: the partner has no mllp channel",
                     partner.id, control_id);
    reject(message,
           {error("MSH", 0, err::kApplicationError,
                  "partner " + partner.id +
                      " may not send over MLLP (its file in the gateway's partner registry has "
                      "no mllp section)")},
           sink);
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

  if (!security::sendsFrom(partner, message.get("MSH-3.1"))) {
    logger().warning(
        "partner=%s control_id=%s refused: sending application not bound to the partner",
        partner.id, control_id);
    reject(message,
           {error("MSH", 3, 207, "sending application is not registered for this certificate")},
           sink);
    return nullptr;
  }

  const auto mode = hl7v2::AcknowledgmentMode::of(message);
  store::InboundMessage inbound;
  inbound.partner = partner.id;
  inbound.channel = "mllp";
  inbound.format = std::string(formatName(sdk::Format::kHl7v2));
  inbound.sender = message.get("MSH-3.1") + "|" + facility;
  inbound.control_id = control_id;
  inbound.message_type = message.messageType();
  inbound.payload = std::string(message.bytes());
  inbound.digest = contentDigest(message);
  inbound.ignored = security::ignores(partner, inbound.message_type);
  inbound.ack = hl7v2::buildAck(message, mode.enhanced ? hl7v2::AckCode::CA : hl7v2::AckCode::AA,
                                {}, newControlId(), hl7Now());
  return std::unique_ptr<Prepared>(
      new Prepared{options, std::move(*parsed.message), mode, std::move(inbound)});
}

void Hl7Intake::receive(const security::Binding& binding, std::string_view bytes,
                        const std::shared_ptr<AckSink>& sink) {
  std::unique_ptr<Prepared> prepared = prepare(binding, bytes, *sink);
  if (!prepared) {
    return;
  }
  store::RecordResult recorded;
  try {
    recorded = core_.record(prepared->inbound);  // returns after the commit that holds it
  } catch (const std::exception& e) {
    notRecorded(*prepared, e, *sink);
    return;
  }
  answer(*prepared, recorded, sink);
}

bool Hl7Intake::receiveAsync(const security::Binding& binding, std::string_view bytes,
                             const std::shared_ptr<AckSink>& sink,
                             std::function<void(std::function<void()>)> finish) {
  std::shared_ptr<Prepared> prepared = prepare(binding, bytes, *sink);
  if (!prepared) {
    return false;
  }
  try {
    // The journal shares the message held by `prepared` (no copy of it).
    core_.recordAsync(std::shared_ptr<const store::InboundMessage>(prepared, &prepared->inbound),
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
        {error("", 0, err::kStoreUnavailable,
               "the gateway cannot store messages now; resend later (not a problem with the "
               "message)")},
        newControlId(), hl7Now()));
  }
}

void Hl7Intake::answer(const Prepared& prepared, const store::RecordResult& recorded,
                       const std::shared_ptr<AckSink>& sink) {
  const auto& mode = prepared.mode;
  const bool send_now = !mode.enhanced || hl7v2::wantsCommitAck(mode, true);
  if (recorded.duplicate && !recorded.same_content) {
    // Not a retry: a corrected message under the old control id would be
    // answered as if it were the first, and never processed.
    logger().warning(
        "partner=%s control_id=%s reused with other content (message %?d holds the first): "
        "refused",
        prepared.inbound.partner, prepared.inbound.control_id, recorded.id);
    reject(prepared.message,
           {error("MSH", 10, err::kDuplicateKey,
                  "MSH-10 " + prepared.inbound.control_id +
                      " was already received with other content; a corrected or new message "
                      "needs a new control id")},
           *sink);
    return;
  }
  if (recorded.duplicate) {
    logger().information("partner=%s control_id=%s duplicate of message %?d: original ACK resent",
                         prepared.inbound.partner, prepared.inbound.control_id, recorded.id);
    if (send_now) {
      sink->send(recorded.ack);
    }
    if (mode.enhanced) {
      answerDuplicate(prepared, recorded, sink);
    }
    return;
  }
  if (logger().information()) {
    // Spelled out: Poco::format builds an ostringstream per number (≈ 7 % of
    // a connection loop's time at 14,000 messages/s).
    logger().information(
        "partner=" + prepared.inbound.partner + " control_id=" + prepared.inbound.control_id +
        " type=" + prepared.inbound.message_type +
        (prepared.inbound.ignored ? " journaled as ignored, message " : " journaled as message ") +
        std::to_string(recorded.id));
  }
  if (recorded.state == store::MessageState::kIgnored) {
    // Taken and kept, nothing to translate: the application ACK is due now.
    if (send_now) {
      sink->send(recorded.ack);
    }
    if (mode.enhanced) {
      detail::sendApplicationAck(*sink, mode, prepared.options, prepared.inbound.payload, {true});
    }
    return;
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
  core_.answered();
}

void Hl7Intake::answerDuplicate(const Prepared& prepared, const store::RecordResult& recorded,
                                const std::shared_ptr<AckSink>& sink) {
  // The original's state came with the duplicate check (no journal read on
  // the connection's thread); the application ACK is built from this copy,
  // which has the same MSH.
  const std::optional<TranslationOutcome> original = IntakeCore::originalOutcome(recorded);
  if (!original) {
    awaitOutcome(recorded.id, sink, prepared.mode, prepared.options, prepared.inbound.payload);
    return;
  }
  // As the original was answered: a message set aside by translation (dead,
  // no documents) got AR; one whose documents the board refused later had
  // been translated, and got AA.
  detail::sendApplicationAck(*sink, prepared.mode, prepared.options, prepared.inbound.payload,
                             *original);
}

}  // namespace rtw::pipeline
