#include "rtw/pipeline/intake.h"

#include <atomic>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>
#include <Poco/Timestamp.h>

#include "rtw/hl7v2/ack.h"
#include "rtw/hl7v2/message.h"

namespace rtw::pipeline {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.intake"); }

hl7v2::AckError error(std::string segment, int field, int code, std::string text) {
  hl7v2::AckError e;
  e.segment = std::move(segment);
  e.segment_index = 1;
  e.field = field;
  e.code = code;
  e.text = std::move(text);
  return e;
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

Hl7Intake::Hl7Intake(store::Journal& journal, std::function<void()> on_recorded)
    : journal_(journal), on_recorded_(std::move(on_recorded)) {}

std::string Hl7Intake::receive(const security::Partner& partner, std::string_view bytes) {
  hl7v2::ParseOutcome parsed = hl7v2::Message::parse(bytes);
  if (!parsed.message) {
    const hl7v2::ParseError& e = *parsed.error;
    logger().warning(
        "partner=%s rejected unparseable message (%z bytes): %s at segment %d field %d", partner.id,
        bytes.size(), e.message, e.segment_index, e.field);
    return hl7v2::buildRejectForUnparsed(bytes, e, {}, newControlId(), hl7Now());
  }
  const hl7v2::Message& message = *parsed.message;
  const std::string control_id = message.controlId();
  if (control_id.empty()) {
    logger().warning("partner=%s rejected message without MSH-10", partner.id);
    return hl7v2::buildAck(message, hl7v2::AckCode::AR,
                           {error("MSH", 10, 101, "MSH-10 message control id is required")},
                           newControlId(), hl7Now());
  }
  const std::string facility = message.get("MSH-4.1");
  if (!security::sendsAs(partner, facility)) {
    logger().warning("partner=%s control_id=%s refused: sending facility not bound to the partner",
                     partner.id, control_id);
    return hl7v2::buildAck(
        message, hl7v2::AckCode::AR,
        {error("MSH", 4, 207, "sending facility is not registered for this certificate")},
        newControlId(), hl7Now());
  }

  store::InboundMessage inbound;
  inbound.partner = partner.id;
  inbound.channel = "mllp";
  inbound.sender = message.get("MSH-3.1") + "|" + facility;
  inbound.control_id = control_id;
  inbound.message_type = message.messageType();
  inbound.payload = std::string(message.bytes());
  inbound.ack = hl7v2::buildAck(message, hl7v2::AckCode::AA, {}, newControlId(), hl7Now());

  const store::RecordResult recorded = journal_.record(inbound);  // returns after the commit
  if (recorded.duplicate) {
    logger().information("partner=%s control_id=%s duplicate of message %?d: original ACK resent",
                         partner.id, control_id, recorded.id);
  } else {
    logger().information("partner=%s control_id=%s type=%s journaled as message %?d", partner.id,
                         control_id, inbound.message_type, recorded.id);
    on_recorded_();
  }
  return recorded.ack;
}

}  // namespace rtw::pipeline
