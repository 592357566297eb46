// ACK rules: table 0357 codes and texts, which code answers which errors,
// MSH checks, and the acknowledgment mode from MSH-15/MSH-16.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "rtw/hl7v2/ack.h"
#include "samples.h"

using rtw::hl7v2::AckCode;
using rtw::hl7v2::ackCodeFor;
using rtw::hl7v2::AckCondition;
using rtw::hl7v2::AckError;
using rtw::hl7v2::AckKind;
using rtw::hl7v2::AcknowledgmentMode;
using rtw::hl7v2::checkHeader;
using rtw::hl7v2::HeaderRules;
using rtw::hl7v2::Message;
using rtw::hl7v2::test::parseOrFail;
using rtw::hl7v2::test::referral;

namespace {

Message withHeader(std::string_view tail) {
  return parseOrFail("MSH|^~\\&|APP|FAC|RTWGW|WSBC|" + std::string(tail) + "\rPID|1\r");
}

// "<field> <code> <text>" per error, for compact comparisons.
std::vector<std::string> summary(const std::vector<AckError>& errors) {
  std::vector<std::string> out;
  for (const AckError& e : errors) {
    CHECK(e.segment == "MSH");
    CHECK(e.severity == 'E');
    out.push_back(std::to_string(e.field) + " " + std::to_string(e.code) + " " + e.text);
  }
  return out;
}

AcknowledgmentMode modeOf(std::string_view accept, std::string_view application) {
  return AcknowledgmentMode::of(withHeader("20250301||ADT^A01|C1|P|2.5|||" + std::string(accept) +
                                           "|" + std::string(application)));
}

}  // namespace

TEST_CASE("table 0357 codes the gateway uses have their texts", "[hl7v2][ack][rules]") {
  const std::pair<int, const char*> codes[] = {
      {100, "Segment sequence error"},   {101, "Required field missing"},
      {102, "Data type error"},          {103, "Table value not found"},
      {200, "Unsupported message type"}, {201, "Unsupported event code"},
      {203, "Unsupported version id"},   {207, "Application internal error"},
  };
  Message original = parseOrFail(referral());
  for (const auto& [code, text] : codes) {
    INFO(code);
    CHECK(rtw::hl7v2::errorCodeText(code) == text);
    std::string ack =
        rtw::hl7v2::buildAck(original, AckCode::AE, {{"PID", 6, 3, code, 'E', ""}}, "A1", "T");
    CHECK(parseOrFail(ack).getEncoded("ERR-3") == std::to_string(code) + "^" + text + "^HL70357");
  }
}

TEST_CASE("structural and unsupported problems reject, content problems are errors",
          "[hl7v2][ack][rules]") {
  const AckError missing_pid3{"PID", 2, 3, 101, 'E', ""};
  const AckError bad_date{"PID", 2, 7, 102, 'E', ""};
  const AckError warning{"PID", 2, 8, 103, 'W', ""};
  const AckError missing_msh10{"MSH", 1, 10, 101, 'E', ""};
  const AckError sequence{"OBX", 3, 0, 100, 'E', ""};
  const AckError unsupported{"MSH", 1, 9, 200, 'E', ""};
  const AckError internal{"", 0, 0, 207, 'E', ""};
  const AckError fatal{"PID", 2, 3, 102, 'F', ""};
  using Errors = std::vector<AckError>;
  struct Case {
    Errors errors;
    AckCode application;
    AckCode commit;
  };
  const Case cases[] = {
      {{}, AckCode::AA, AckCode::CA},
      {{warning}, AckCode::AA, AckCode::CA},
      {{missing_pid3}, AckCode::AE, AckCode::CE},
      {{warning, bad_date}, AckCode::AE, AckCode::CE},
      {{missing_msh10}, AckCode::AR, AckCode::CR},
      {{sequence}, AckCode::AR, AckCode::CR},
      {{missing_pid3, unsupported}, AckCode::AR, AckCode::CR},
      {{internal}, AckCode::AR, AckCode::CR},
      {{fatal}, AckCode::AR, AckCode::CR},
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    INFO(i);
    CHECK(ackCodeFor(cases[i].errors, AckKind::kApplication) == cases[i].application);
    CHECK(ackCodeFor(cases[i].errors, AckKind::kCommit) == cases[i].commit);
  }
  Message original = parseOrFail(referral());
  CHECK(rtw::hl7v2::buildAckFor(original, AckKind::kCommit, {missing_pid3}, "A1", "T") ==
        "MSH|^~\\&|RTWGW|WSBC|CLINICEMR|CLINIC01|T||ACK^I12^ACK|A1|P|2.5\r"
        "MSA|CE|MSG0001\r"
        "ERR||PID^2^3|101^Required field missing^HL70357|E\r");
}

TEST_CASE("checkHeader accepts a complete header and the whole spec sample",
          "[hl7v2][ack][rules]") {
  CHECK(checkHeader(parseOrFail(referral())).empty());
  HeaderRules rules{{"REF"}, {"I12", "I14"}, {"P", "T"}, {"2.5", "2.5.1"}};
  CHECK(checkHeader(parseOrFail(referral()), rules).empty());
}

TEST_CASE("checkHeader reports missing, malformed and unsupported header values",
          "[hl7v2][ack][rules]") {
  CHECK(summary(checkHeader(withHeader("2025||^A01|||"))) ==
        std::vector<std::string>{"9 101 MSH-9 (message type) is required",
                                 "10 101 MSH-10 (message control id) is required",
                                 "11 101 MSH-11 (processing id) is required",
                                 "12 101 MSH-12 (version id) is required"});
  CHECK(summary(checkHeader(withHeader("2025-13-01||ADT^A01|C1|P|2.5|||XX|AL"))) ==
        std::vector<std::string>{"7 102 MSH-7 (date/time of message) is not a valid date/time",
                                 "15 103 MSH-15 'XX' is not in table 0155 (AL, NE, ER, SU)"});
  HeaderRules rules{{"REF"}, {"I12"}, {"P"}, {"2.5"}};
  CHECK(summary(checkHeader(withHeader("20250301||ADT^A01|C1|T|2.3"), rules)) ==
        std::vector<std::string>{"9 200 message type 'ADT' is not supported",
                                 "9 201 trigger event 'A01' is not supported",
                                 "11 202 processing id 'T' is not supported",
                                 "12 203 version '2.3' is not supported"});
  // An empty trigger is reported as unsupported when events are listed;
  // values too long or odd to echo are left out of the text.
  CHECK(summary(checkHeader(withHeader("20250301||REF|C1|P|2.5.1.0.0.0.0.0.0.0.0.0.0.0"), rules)) ==
        std::vector<std::string>{"9 201 trigger event '' is not supported",
                                 "12 203 version is not supported"});
  // Composite header fields are read by their first component: a processing
  // mode or an internationalization code beside it is fine, a missing id is not.
  CHECK(checkHeader(withHeader("20250301||REF^I12|C1|P^T|2.5^CAN|||AL^x|NE"), rules).empty());
  CHECK(summary(checkHeader(withHeader("20250301||REF^I12|C1|^T|^CAN"), rules)) ==
        std::vector<std::string>{"11 101 MSH-11 (processing id) is required",
                                 "12 101 MSH-12 (version id) is required"});
  // In an ACK, an unsupported header makes an AR naming MSH-9.
  Message adt = withHeader("20250301||ADT^A01|C1|P|2.5");
  std::string ack = rtw::hl7v2::buildAckFor(adt, AckKind::kApplication,
                                            checkHeader(adt, {{"REF"}, {}, {}, {}}), "A1", "T");
  CHECK(ack ==
        "MSH|^~\\&|RTWGW|WSBC|APP|FAC|T||ACK^A01^ACK|A1|P|2.5\r"
        "MSA|AR|C1\r"
        "ERR||MSH^1^9|200^Unsupported message type^HL70357|E||||message type 'ADT' is not "
        "supported\r");
}

TEST_CASE("MSH-15 and MSH-16 give the acknowledgment mode", "[hl7v2][ack][rules]") {
  AcknowledgmentMode original = modeOf("", "");
  CHECK_FALSE(original.enhanced);
  CHECK(original.accept == AckCondition::kNever);
  CHECK(original.application == AckCondition::kAlways);
  CHECK_FALSE(modeOf("  ", "").enhanced);  // spaces only: as good as empty

  AcknowledgmentMode both = modeOf("AL", "ER");
  CHECK(both.enhanced);
  CHECK(both.accept == AckCondition::kAlways);
  CHECK(both.application == AckCondition::kOnError);
  CHECK(modeOf("NE", "SU").accept == AckCondition::kNever);
  CHECK(modeOf("NE", "SU").application == AckCondition::kOnSuccess);
  // In enhanced mode, empty or unknown counts as AL.
  CHECK(modeOf("", "NE").accept == AckCondition::kAlways);
  CHECK(modeOf("ZZ", "NE").accept == AckCondition::kAlways);
  CHECK(modeOf("NE", "").application == AckCondition::kAlways);
  // The spec sample asks for both, always.
  AcknowledgmentMode sample = AcknowledgmentMode::of(parseOrFail(referral()));
  CHECK(sample.enhanced);
  CHECK(sample.accept == AckCondition::kAlways);
  CHECK(sample.application == AckCondition::kAlways);
}

TEST_CASE("which acknowledgments each mode wants", "[hl7v2][ack][rules]") {
  struct Case {
    const char* accept;
    const char* application;
    bool commit_ok, commit_failed, application_ok, application_failed;
  };
  const Case cases[] = {
      {"", "", false, false, true, true},  // original mode: the application ACK only
      {"AL", "AL", true, true, true, true},   {"NE", "NE", false, false, false, false},
      {"ER", "SU", false, true, true, false}, {"SU", "ER", true, false, false, true},
      {"AL", "NE", true, true, false, false},
  };
  for (const Case& c : cases) {
    INFO(c.accept << "/" << c.application);
    AcknowledgmentMode mode = modeOf(c.accept, c.application);
    CHECK(rtw::hl7v2::wantsCommitAck(mode, true) == c.commit_ok);
    CHECK(rtw::hl7v2::wantsCommitAck(mode, false) == c.commit_failed);
    CHECK(rtw::hl7v2::wantsApplicationAck(mode, true) == c.application_ok);
    CHECK(rtw::hl7v2::wantsApplicationAck(mode, false) == c.application_failed);
  }
  CHECK(rtw::hl7v2::ackConditionFromCode("SU") == AckCondition::kOnSuccess);
  CHECK_FALSE(rtw::hl7v2::ackConditionFromCode("al").has_value());
}

TEST_CASE("a reject for unparsed bytes can be a commit reject", "[hl7v2][ack][rules]") {
  rtw::hl7v2::ParseError error{"message does not start with MSH", "", 1, 0};
  std::string ack = rtw::hl7v2::buildRejectForUnparsed("junk", error, {}, "A1", "T", AckCode::CR);
  CHECK(ack ==
        "MSH|^~\\&|RTWGW|RTW|||T||ACK|A1|P|2.5\r"
        "MSA|CR|\r"
        "ERR||^1|100^Segment sequence error^HL70357|E||||message does not start with MSH\r");
}
