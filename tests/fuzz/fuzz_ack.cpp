// The ACK builder on what a partner sent: a parsed message answered with
// the problems checkHeader() finds, or unparsable bytes answered with
// buildRejectForUnparsed(). Whatever came in, the ACK must parse, hold one
// MSH, one MSA and one ERR per problem, carry no byte that could end its
// MLLP frame or a line inside a field, and echo MSH-10.

#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "rtw/hl7v2/ack.h"
#include "rtw/hl7v2/message.h"

namespace {

namespace hl7 = rtw::hl7v2;

constexpr std::string_view kControlId = "RTW00000001";
constexpr std::string_view kTimestamp = "20240101120000+0000";

// The ACK's structure: segments MSH, MSA, then `errors` ERR, each ending
// with CR and holding no other control byte.
hl7::Message checkAck(const std::string& ack, std::size_t errors) {
  RTW_FUZZ_CHECK(!ack.empty() && ack.back() == '\r');
  for (char c : ack) {
    const auto byte = static_cast<unsigned char>(c);
    RTW_FUZZ_CHECK(byte >= 0x20 || c == '\r');
    RTW_FUZZ_CHECK(byte != 0x7f);
  }
  auto parsed = hl7::Message::parse(ack);
  RTW_FUZZ_CHECK(parsed.message.has_value());
  const hl7::Message& message = *parsed.message;
  RTW_FUZZ_CHECK(message.segmentCount() == 2 + errors);
  RTW_FUZZ_CHECK(message.segmentId(0) == "MSH" && message.segmentId(1) == "MSA");
  for (std::size_t i = 2; i < message.segmentCount(); ++i) {
    RTW_FUZZ_CHECK(message.segmentId(i) == "ERR");
  }
  RTW_FUZZ_CHECK(message.controlId() == kControlId);
  RTW_FUZZ_CHECK(message.get("MSH-7") == kTimestamp);
  return std::move(*parsed.message);
}

void answerParsed(const hl7::Message& original) {
  const std::vector<hl7::AckError> errors = hl7::checkHeader(original);
  for (const auto kind : {hl7::AckKind::kCommit, hl7::AckKind::kApplication}) {
    const std::string ack = hl7::buildAckFor(original, kind, errors, kControlId, kTimestamp);
    const hl7::Message message = checkAck(ack, errors.size());
    RTW_FUZZ_CHECK(message.get("MSA-1") == hl7::toString(hl7::ackCodeFor(errors, kind)));
    // MSA-2 is the original's MSH-10 as it stood (control bytes are
    // written as hex escapes).
    const std::string_view original_id = original.raw("MSH-10");
    if (std::all_of(original_id.begin(), original_id.end(),
                    [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; })) {
      RTW_FUZZ_CHECK(message.raw("MSA-2") == original_id);
    }
    for (std::size_t i = 0; i < errors.size(); ++i) {
      const std::string path = "ERR[" + std::to_string(i + 1) + "]-8";
      RTW_FUZZ_CHECK(message.get(path) == errors[i].text);
    }
  }
  const auto mode = hl7::AcknowledgmentMode::of(original);
  (void)hl7::wantsCommitAck(mode, true);
  (void)hl7::wantsApplicationAck(mode, false);
}

void answerUnparsed(std::string_view raw, const hl7::ParseError& error) {
  for (const auto code : {hl7::AckCode::AR, hl7::AckCode::CR}) {
    const std::string ack =
        hl7::buildRejectForUnparsed(raw, error, {}, kControlId, kTimestamp, code);
    const hl7::Message message = checkAck(ack, 1);
    RTW_FUZZ_CHECK(message.get("MSA-1") == hl7::toString(code));
    RTW_FUZZ_CHECK(message.get("ERR-3.1") == std::to_string(hl7::errorCodeFor(error)));
    RTW_FUZZ_CHECK(message.get("ERR-8") == error.message);
    RTW_FUZZ_CHECK(message.raw("MSA-2").size() <= 5 * 256);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw = rtw::fuzz::asText(data, size);
  const auto outcome = hl7::Message::parse(raw);
  if (outcome.message) {
    answerParsed(*outcome.message);
    // A message that parsed can still be refused later (a partner's rules):
    // the reject built from its bytes must hold as well.
    answerUnparsed(raw, {"message refused", "MSH", 1, 9, 200});
  } else {
    answerUnparsed(raw, *outcome.error);
  }
  return 0;
}
