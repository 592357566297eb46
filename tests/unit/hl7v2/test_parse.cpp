// Parsing: the spec's referral sample, line ends, BOM, delimiters, and every
// way a byte string can fail to be a message.

#include <catch2/catch.hpp>

#include <string>

#include "rtw/hl7v2/message.h"
#include "samples.h"

using rtw::hl7v2::Message;
using rtw::hl7v2::ParseError;
using rtw::hl7v2::test::joinSegments;
using rtw::hl7v2::test::parseOrFail;
using rtw::hl7v2::test::referral;

namespace {

ParseError parseError(std::string_view bytes) {
  auto outcome = Message::parse(bytes);
  REQUIRE_FALSE(outcome.message.has_value());
  REQUIRE(outcome.error.has_value());
  return *outcome.error;
}

const std::string kMsh = R"(MSH|^~\&|APP|FAC|RTWGW|WSBC|20250301||ADT^A01|C1|P|2.5)";

}  // namespace

TEST_CASE("the spec's sample referral parses with its values", "[hl7v2][parse]") {
  Message m = parseOrFail(referral());
  CHECK(m.segmentCount() == 8);
  CHECK(m.segmentId(0) == "MSH");
  CHECK(m.segmentId(7) == "DG1");
  CHECK(m.segmentId(8).empty());
  CHECK(m.get("PID-3(2).1") == "12345678");
  CHECK(m.get("PID-3(1).5") == "JHN");
  CHECK(m.get("ACC-8") == "Lifting boxes & twisting");
  CHECK(m.get("MSH-9") == "REF");
  CHECK(m.getEncoded("MSH-9") == "REF^I12^REF_I12");
  CHECK(m.get("MSH-10") == "MSG0001");
  CHECK(m.messageType() == "REF^I12");
  CHECK(m.controlId() == "MSG0001");
  CHECK(m.version() == "2.5");
  CHECK(m.get("PID-5") == "Doe");
  CHECK(m.getEncoded("PID-5") == "Doe^Jane");
  CHECK(m.get("PID-11.5") == "V5K 0A1");
  CHECK(m.get("AUT-2.2") == "WorkSafeBC");
  CHECK(m.get("RF1-11.1") == "WR123456");
  CHECK(m.delimiters().field == '|');
  CHECK(m.delimiters().truncation == '\0');
}

TEST_CASE("CR or LF or CRLF or mixed line ends give the same message", "[hl7v2][parse]") {
  const std::string cr = referral("\r");
  for (std::string_view end : {"\n", "\r\n", "\r"}) {
    Message m = parseOrFail(referral(end));
    CHECK(m.serialize() == cr);
    CHECK(m.get("ACC-8") == "Lifting boxes & twisting");
  }
  std::string mixed = kMsh + "\r\nPID|1||X\nPV1|1|O\rZRW|done";
  Message m = parseOrFail(mixed);
  CHECK(m.segmentCount() == 4);
  CHECK(m.serialize() == kMsh + "\rPID|1||X\rPV1|1|O\rZRW|done\r");
  CHECK(m.bytes() == m.serialize());
}

TEST_CASE("a UTF-8 BOM, blank lines and trailing whitespace lines are skipped", "[hl7v2][parse]") {
  std::string text = "\xEF\xBB\xBF" + referral("\n") + "\n\n  \t\n\r\n";
  Message m = parseOrFail(text);
  CHECK(m.serialize() == referral());
  CHECK(m.segmentId(0) == "MSH");
  CHECK(m.get("MSH-3") == "CLINICEMR");

  // Trailing spaces inside the last segment are data and stay.
  Message spaced = parseOrFail(kMsh + "\nNTE|1||note   \n\n");
  CHECK(spaced.get("NTE-3") == "note   ");
  CHECK(spaced.serialize() == kMsh + "\rNTE|1||note   \r");
}

TEST_CASE("custom delimiters come from MSH-1 and MSH-2", "[hl7v2][parse]") {
  std::string text = joinSegments({
      "MSH#$%@!#APP#FAC#RTWGW#WSBC#20250301##ADT$A04#C9#P#2.4",
      "PID#1##ID1$$$AUTH%ID2$$$AUTH2##Doe$Jane!Q##x@F@y|z^w~v&u\\t",
  });
  Message m = parseOrFail(text);
  const auto& d = m.delimiters();
  CHECK(d.field == '#');
  CHECK(d.component == '$');
  CHECK(d.repetition == '%');
  CHECK(d.escape == '@');
  CHECK(d.subcomponent == '!');
  CHECK(m.get("MSH-1") == "#");
  CHECK(m.get("MSH-2") == "$%@!");
  CHECK(m.messageType() == "ADT^A04");
  CHECK(m.get("PID-3(2).4") == "AUTH2");
  CHECK(m.get("PID-5.2.1") == "Jane");
  CHECK(m.get("PID-5.2.2") == "Q");
  // The default delimiters are plain data here; @F@ is the field separator.
  CHECK(m.get("PID-7") == "x#y|z^w~v&u\\t");
}

TEST_CASE("a fifth encoding character is the v2.7 truncation character", "[hl7v2][parse]") {
  Message m = parseOrFail(R"(MSH|^~\&#|A|B|C|D|20250301||ADT^A01|C1|P|2.7)"
                          "\rNTE|1||cut\\P\\ here\r");
  CHECK(m.delimiters().truncation == '#');
  CHECK(m.get("MSH-2") == "^~\\&#");
  CHECK(m.get("NTE-3") == "cut# here");
}

TEST_CASE("batch headers before the MSH are kept and do not get in the way", "[hl7v2][parse]") {
  std::string text =
      joinSegments({R"(FHS|^~\&|APP)", R"(BHS|^~\&|APP)", kMsh, "PID|1||X", "BTS|1", "FTS|1"});
  Message m = parseOrFail(text);
  CHECK(m.segmentId(0) == "FHS");
  CHECK(m.segmentId(2) == "MSH");
  CHECK(m.controlId() == "C1");
  CHECK(m.get("FHS-1") == "|");
  CHECK(m.get("FHS-3") == "APP");
  CHECK(m.serialize() == text);

  ParseError e = parseError(joinSegments({R"(FHS|^~\&|APP)", R"(BHS|^~\&|APP)"}));
  CHECK(e.segment == "MSH");
  CHECK(e.segment_index == 3);
}

TEST_CASE("NUL bytes and other binary data in values are kept", "[hl7v2][parse]") {
  std::string text = kMsh + "\rOBX|1|ED|||" + std::string("a\0b\x01\xff", 5) + "\r";
  Message m = parseOrFail(text);
  CHECK(m.get("OBX-5") == std::string("a\0b\x01\xff", 5));
  CHECK(m.serialize() == text);
}

TEST_CASE("empty input is rejected as a missing MSH", "[hl7v2][parse][error]") {
  for (std::string_view text : {"", "\r\n", "\xEF\xBB\xBF", " \n\t\r\n"}) {
    ParseError e = parseError(text);
    CHECK_THAT(e.message, Catch::Contains("empty"));
    CHECK(e.segment == "MSH");
    CHECK(e.segment_index == 1);
    CHECK(e.field == 0);
  }
}

TEST_CASE("a message must start with MSH", "[hl7v2][parse][error]") {
  ParseError e = parseError("PID|1||X\r" + kMsh);
  CHECK_THAT(e.message, Catch::Contains("does not start with MSH"));
  CHECK(e.segment == "PID");
  CHECK(e.segment_index == 1);
  CHECK(e.field == 0);

  ParseError garbage = parseError("hello world");
  CHECK_THAT(garbage.message, Catch::Contains("does not start with MSH"));
  CHECK(garbage.segment.empty());  // not a segment id: not echoed

  ParseError batch = parseError(R"(FHS|^~\&)"
                                "\rPID|1\r");
  CHECK(batch.segment == "PID");
  CHECK(batch.segment_index == 2);
}

TEST_CASE("unusable encoding characters are reported as MSH-1 or MSH-2", "[hl7v2][parse][error]") {
  struct Case {
    std::string text;
    int field;
    const char* says;
  };
  const Case cases[] = {
      {"MSH", 1, "MSH-1"},
      {"MSHA^~\\&A", 1, "MSH-1"},
      {"MSH\x01^~\\&\x01", 1, "MSH-1"},
      {"MSH|", 2, "MSH-2"},
      {"MSH||APP", 2, "MSH-2"},
      {"MSH|^~\\|APP|FAC", 2, "MSH-2"},
      {"MSH|^~\\&*!|APP", 2, "more than 5"},
      {"MSH|^~^&|APP|FAC|R|F|T||ADT^A01|C|P|2.5", 2, "differ"},
      {"MSH|^~\\^|APP", 2, "differ"},
      {"MSH|^A\\&|APP|FAC|R|F|T||ADT^A01|C|P|2.5", 2, "letters or digits"},
      {"MSH|^ \\&|APP", 2, "printable"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    ParseError e = parseError(c.text);
    CHECK(e.segment == "MSH");
    CHECK(e.segment_index == 1);
    CHECK(e.field == c.field);
    CHECK_THAT(e.message, Catch::Contains(c.says));
  }
}

TEST_CASE("a truncated MSH names the first missing required field", "[hl7v2][parse][error]") {
  struct Case {
    std::string text;
    int field;
  };
  const Case cases[] = {
      {R"(MSH|^~\&)", 9},
      {R"(MSH|^~\&|APP|FAC)", 9},
      {R"(MSH|^~\&|APP|FAC|R|F|20250301|)", 9},
      {R"(MSH|^~\&|APP|FAC|R|F|20250301||ADT^A01)", 10},
      {R"(MSH|^~\&|APP|FAC|R|F|20250301||ADT^A01|C1)", 12},
      {R"(MSH|^~\&|APP|FAC|R|F|20250301||ADT^A01|C1|P)", 12},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    ParseError e = parseError(c.text + "\rPID|1\r");
    CHECK(e.segment == "MSH");
    CHECK(e.segment_index == 1);
    CHECK(e.field == c.field);
    CHECK_THAT(e.message, Catch::Contains("MSH-" + std::to_string(c.field)));
  }
  // Twelve fields, the last one empty, is complete enough.
  CHECK(Message::parse(R"(MSH|^~\&|APP|FAC|R|F|20250301||ADT^A01|C1|P|)").message.has_value());
}

TEST_CASE("a bad segment id is reported with its position", "[hl7v2][parse][error]") {
  struct Case {
    std::string bad;
    int index;
  };
  const Case cases[] = {
      {"PI|1", 3}, {"PIDX|1", 3}, {"pid|1", 3},   {"P-D|1", 3}, {std::string("P\0D|1", 5), 3},
      {"AB", 3},   {"PID^1", 3},  {"  PID|1", 3},
  };
  for (const Case& c : cases) {
    INFO(c.bad);
    ParseError e = parseError(joinSegments({kMsh, "EVN|A01", c.bad, "PV1|1"}));
    CHECK(e.segment_index == c.index);
    CHECK(e.field == 0);
    CHECK(e.segment.empty());
    CHECK_THAT(e.message, Catch::Contains("segment 3"));
  }
  ParseError later = parseError(joinSegments({kMsh, "EVN|A01", "PV1|1", "", "?|x"}));
  CHECK(later.segment_index == 4);  // the blank line does not count
}

TEST_CASE("segments without fields and Z-segments are accepted", "[hl7v2][parse]") {
  Message m = parseOrFail(joinSegments({kMsh, "NTE", "ZRW|1|custom^value", "Z01|x"}));
  CHECK(m.segmentCount() == 4);
  CHECK(m.segmentId(1) == "NTE");
  CHECK(m.has("NTE-1") == false);
  CHECK(m.get("ZRW-2.2") == "value");
  CHECK(m.get("Z01-1") == "x");
}

TEST_CASE("big inputs parse in one pass without trouble", "[hl7v2][parse]") {
  std::string text = kMsh + "\r";
  for (int i = 0; i < 100000; ++i) {
    text += "OBX|" + std::to_string(i + 1) + "|NM|code^name^LN||" + std::to_string(i) + "\r";
  }
  Message m = parseOrFail(text);
  CHECK(m.segmentCount() == 100001);
  CHECK(m.count("OBX") == 100000);
  CHECK(m.get("OBX[100000]-5") == "99999");
  CHECK(m.serialize() == text);

  std::string junk(20 * 1024 * 1024, 'A');
  CHECK_THAT(parseError(junk).message, Catch::Contains("does not start with MSH"));
  std::string lines(20 * 1024 * 1024, '\n');
  CHECK_THAT(parseError(lines).message, Catch::Contains("empty"));
}
