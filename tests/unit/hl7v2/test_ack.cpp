// ACK building: AA/AE/AR answering a parsed message, and AR for bytes that
// did not parse at all.

#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "rtw/hl7v2/ack.h"
#include "samples.h"

using rtw::hl7v2::AckCode;
using rtw::hl7v2::AckError;
using rtw::hl7v2::AckIdentity;
using rtw::hl7v2::buildAck;
using rtw::hl7v2::buildRejectForUnparsed;
using rtw::hl7v2::errorCodeFor;
using rtw::hl7v2::errorCodeText;
using rtw::hl7v2::Message;
using rtw::hl7v2::ParseError;
using rtw::hl7v2::test::parseOrFail;
using rtw::hl7v2::test::referral;

namespace {

constexpr const char* kTimestamp = "20250301101600-0800";

std::string rejectFor(std::string_view raw) {
  auto outcome = Message::parse(raw);
  REQUIRE(outcome.error.has_value());
  return buildRejectForUnparsed(raw, *outcome.error, AckIdentity{}, "ACK9", kTimestamp);
}

}  // namespace

TEST_CASE("an AA swaps sender and receiver and echoes the control id", "[hl7v2][ack]") {
  Message original = parseOrFail(referral());
  std::string ack = buildAck(original, AckCode::AA, {}, "ACK0001", kTimestamp);
  CHECK(ack ==
        "MSH|^~\\&|RTWGW|WSBC|CLINICEMR|CLINIC01|20250301101600-0800||ACK^I12^ACK|ACK0001|P|2.5\r"
        "MSA|AA|MSG0001\r");
  Message parsed = parseOrFail(ack);
  CHECK(parsed.get("MSA-2") == original.controlId());
  CHECK(parsed.messageType() == "ACK^I12");
}

TEST_CASE("an AR carries one ERR per error", "[hl7v2][ack]") {
  Message original = parseOrFail(referral());
  std::vector<AckError> errors = {
      {"PID", 6, 3, 101, 'E', "PID-3 is required | see spec"},
      {"", 0, 0, 207, 'E', ""},
      {"ACC", 7, 0, 102, 'W', "date & time"},
      {"PID", 6, 0, 999, 'I', "odd"},
  };
  std::string ack = buildAck(original, AckCode::AR, errors, "ACK0002", kTimestamp);
  CHECK(ack ==
        "MSH|^~\\&|RTWGW|WSBC|CLINICEMR|CLINIC01|20250301101600-0800||ACK^I12^ACK|ACK0002|P|2.5\r"
        "MSA|AR|MSG0001\r"
        "ERR||PID^6^3|101^Required field missing^HL70357|E||||PID-3 is required \\F\\ see spec\r"
        "ERR|||207^Application internal error^HL70357|E\r"
        "ERR||ACC^7|102^Data type error^HL70357|W||||date \\T\\ time\r"
        "ERR||PID^6|999^^HL70357|I||||odd\r");
  Message parsed = parseOrFail(ack);
  CHECK(parsed.getAll("ERR[*]-3.1") == std::vector<std::string>{"101", "207", "102", "999"});
  CHECK(parsed.get("ERR[1]-8") == "PID-3 is required | see spec");
}

TEST_CASE("an ACK keeps the original's delimiters, version and processing id", "[hl7v2][ack]") {
  Message original = parseOrFail("MSH#$%@!#APP#FAC#RTWGW#WSBC#20250301##ADT$A04#C9#T#2.4\r");
  std::string ack =
      buildAck(original, AckCode::AE, {{"PID", 1, 3, 101, 'E', "x#y"}}, "A1", kTimestamp);
  CHECK(ack ==
        "MSH#$%@!#RTWGW#WSBC#APP#FAC#20250301101600-0800##ACK$A04$ACK#A1#T#2.4\r"
        "MSA#AE#C9\r"
        "ERR##PID$1$3#101$Required field missing$HL70357#E####x@F@y\r");

  Message old = parseOrFail("MSH|^~\\&|A|B|C|D|2001||ACK|C1|P|2.3\r");
  CHECK(buildAck(old, AckCode::CA, {}, "A2", "2001") ==
        "MSH|^~\\&|C|D|A|B|2001||ACK|A2|P|2.3\rMSA|CA|C1\r");

  Message v27 = parseOrFail("MSH|^~\\&#|A|B|C|D|2020||ORU^R01^ORU_R01|C1|P|2.7.1^CAN\r");
  CHECK(buildAck(v27, AckCode::AA, {}, "A3", "2020") ==
        "MSH|^~\\&#|C|D|A|B|2020||ACK^R01^ACK|A3|P|2.7.1^CAN\rMSA|AA|C1\r");
}

TEST_CASE("control bytes copied from the original cannot break MLLP framing", "[hl7v2][ack]") {
  Message original =
      parseOrFail(std::string("MSH|^~\\&|A\x0b|B|C|D|2001||ADT^A01|C\x1c"
                              "1|P|2.5\r"));
  std::string ack = buildAck(original, AckCode::AA, {}, "A\x1c", "2001");
  CHECK(ack.find('\x1c') == std::string::npos);
  CHECK(ack.find('\x0b') == std::string::npos);
  CHECK(ack == "MSH|^~\\&|C|D|A\\X0B\\|B|2001||ACK^A01^ACK|A\\X1C\\|P|2.5\rMSA|AA|C\\X1C\\1\r");
}

TEST_CASE("a reject for garbage uses default delimiters and an empty MSA-2", "[hl7v2][ack]") {
  std::string raw = std::string("\x01\x02 garbage \xff", 12);
  CHECK(rejectFor(raw) ==
        "MSH|^~\\&|RTWGW|RTW|||20250301101600-0800||ACK|ACK9|P|2.5\r"
        "MSA|AR|\r"
        "ERR||^1|100^Segment sequence error^HL70357|E||||message does not start with MSH\r");
  CHECK(rejectFor("") ==
        "MSH|^~\\&|RTWGW|RTW|||20250301101600-0800||ACK|ACK9|P|2.5\r"
        "MSA|AR|\r"
        "ERR||MSH^1|100^Segment sequence error^HL70357|E||||empty message: no MSH segment\r");
  AckIdentity identity{"RTW|GW", "F^1"};
  std::string ack =
      buildRejectForUnparsed("x", ParseError{"too big", "", 0, 0}, identity, "A", "T");
  CHECK(ack ==
        "MSH|^~\\&|RTW\\F\\GW|F\\S\\1|||T||ACK|A|P|2.5\rMSA|AR|\r"
        "ERR|||207^Application internal error^HL70357|E||||too big\r");
}

TEST_CASE("a reject for a truncated MSH salvages what it can", "[hl7v2][ack]") {
  std::string raw = "MSH|^~\\&|CLINICEMR|CLINIC01|RTWGW|WSBC|20250301||REF^I12|MSG77\nPID|1\n";
  CHECK(rejectFor(raw) ==
        "MSH|^~\\&|RTWGW|RTW|CLINICEMR|CLINIC01|20250301101600-0800||ACK^I12^ACK|ACK9|P|2.5\r"
        "MSA|AR|MSG77\r"
        "ERR||MSH^1^12|101^Required field missing^HL70357|E||||"
        "MSH-12 (version id) is missing: the MSH segment is truncated\r");
}

TEST_CASE("a reject for bad encoding characters reads fields as plain text", "[hl7v2][ack]") {
  std::string raw = "MSH|^^\\&|APP|FAC|R|F|T||ADT^A01|CT~RL|P|2.4\r";
  CHECK(rejectFor(raw) ==
        "MSH|^~\\&|RTWGW|RTW|APP|FAC|20250301101600-0800||ACK|ACK9|P|2.4\r"
        "MSA|AR|CT\\R\\RL\r"
        "ERR||MSH^1^2|102^Data type error^HL70357|E||||"
        "MSH-2 encoding characters must differ from each other and from MSH-1\r");
}

TEST_CASE("a reject finds an MSH inside framing junk and uses its delimiters", "[hl7v2][ack]") {
  std::string raw = "\x0bjunk MSH#$%@!#A#B#C#D#T##ORU$R01#X1#P#2.5\x1c\r";
  CHECK(rejectFor(raw) ==
        "MSH#$%@!#RTWGW#RTW#A#B#20250301101600-0800##ACK$R01$ACK#ACK9#P#2.5\r"
        "MSA#AR#X1\r"
        "ERR##$1#100$Segment sequence error$HL70357#E####message does not start with MSH\r");
}

TEST_CASE("a reject for any bytes is itself a valid message", "[hl7v2][ack]") {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 300);
  const std::string seeds[] = {"", "MSH|^~\\&|", "MSH#$%@!#", "MSH|^~\\&|A|B|C|D|E||F^G|"};
  for (int i = 0; i < 2000; ++i) {
    std::string raw = seeds[i % 4];
    for (int n = length(random); n > 0; --n) {
      raw.push_back(static_cast<char>(byte(random)));
    }
    ParseError error{"bad", std::string(1, raw.empty() ? 'x' : raw.back()), i, i % 13};
    std::string ack = buildRejectForUnparsed(raw, error, AckIdentity{}, "A", "T");
    INFO(i);
    REQUIRE(ack.find_first_of(std::string("\x0b\x1c\n\0", 4)) == std::string::npos);
    Message parsed = parseOrFail(ack);
    CHECK(parsed.segmentCount() == 3);
    CHECK(parsed.get("MSA-1") == "AR");
    CHECK(parsed.get("ERR-8") == "bad");
  }
}

TEST_CASE("parse errors map to table 0357 codes", "[hl7v2][ack]") {
  CHECK(errorCodeFor(ParseError{"empty", "MSH", 1, 0}) == 100);
  CHECK(errorCodeFor(ParseError{"bad id", "", 4, 0}) == 100);
  CHECK(errorCodeFor(ParseError{"MSH-1", "MSH", 1, 1}) == 102);
  CHECK(errorCodeFor(ParseError{"MSH-2", "MSH", 1, 2}) == 102);
  CHECK(errorCodeFor(ParseError{"MSH-10", "MSH", 1, 10}) == 101);
  CHECK(errorCodeFor(ParseError{"too big", "", 0, 0}) == 207);
  CHECK(errorCodeText(100) == "Segment sequence error");
  CHECK(errorCodeText(207) == "Application internal error");
  CHECK(errorCodeText(12345).empty());
  CHECK(rtw::hl7v2::toString(AckCode::CR) == "CR");
}
