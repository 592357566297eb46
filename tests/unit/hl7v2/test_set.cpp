// Writing by path: set() escapes and creates what is missing, setRaw()
// writes ER7 that must stay in its position, serialize() shows the result.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "rtw/hl7v2/message.h"
#include "samples.h"

using rtw::hl7v2::Message;
using rtw::hl7v2::test::joinSegments;
using rtw::hl7v2::test::parseOrFail;
using rtw::hl7v2::test::referral;
using Strings = std::vector<std::string>;

namespace {

const std::string kMsh = R"(MSH|^~\&|APP|FAC|RTWGW|WSBC|20250301||ADT^A01|C1|P|2.5)";

Message small() { return parseOrFail(joinSegments({kMsh, "PID|1||A1^^^AUTH^MR||Doe^Jane"})); }

}  // namespace

TEST_CASE("set replaces an existing field, component and subcomponent", "[hl7v2][set]") {
  Message m = small();
  REQUIRE(m.set("PID-5.2", "John"));
  REQUIRE(m.set("PID-3.4", "WSBC"));
  REQUIRE(m.set("PID-1", "7"));
  CHECK(m.serialize() == kMsh + "\rPID|7||A1^^^WSBC^MR||Doe^John\r");
  REQUIRE(m.set("PID-3.4.2", "1.2.3"));
  CHECK(m.getEncoded("PID-3") == "A1^^^WSBC&1.2.3^MR");
  CHECK(m.get("PID-3.4.2") == "1.2.3");
  // A whole repetition is replaced by one plain value.
  REQUIRE(m.set("PID-5", "Roe"));
  CHECK(m.segmentText(1) == "PID|7||A1^^^WSBC&1.2.3^MR||Roe");
}

TEST_CASE("set creates missing fields, repetitions, components and subcomponents", "[hl7v2][set]") {
  Message m = small();
  REQUIRE(m.set("PID-8", "F"));
  CHECK(m.segmentText(1) == "PID|1||A1^^^AUTH^MR||Doe^Jane|||F");
  REQUIRE(m.set("PID-3(3).1", "B2"));
  CHECK(m.get("PID-3(2)").empty());
  CHECK(m.getAll("PID-3(*).1") == Strings{"A1", "", "B2"});
  REQUIRE(m.set("PID-11.5", "V5K 0A1"));
  CHECK(m.raw("PID-11") == "^^^^V5K 0A1");
  REQUIRE(m.set("PID-13.4.3", "ISO"));
  CHECK(m.raw("PID-13") == "^^^&&ISO");
  CHECK(m.segmentText(1) == "PID|1||A1^^^AUTH^MR~~B2||Doe^Jane|||F|||^^^^V5K 0A1||^^^&&ISO");
  // Whatever was set reads back, and the text parses to the same message.
  Message again = parseOrFail(m.serialize());
  CHECK(again.serialize() == m.serialize());
  CHECK(again.get("PID-11.5") == "V5K 0A1");
}

TEST_CASE("set escapes delimiters, line ends and the escape character", "[hl7v2][set]") {
  Message m = small();
  REQUIRE(m.set("PID-5.1", "O'Brien|Smith^Jr~x&y\\z\r\n"));
  CHECK(m.raw("PID-5.1") == R"(O'Brien\F\Smith\S\Jr\R\x\T\y\E\z\X0D\\X0A\)");
  CHECK(m.get("PID-5.1") == "O'Brien|Smith^Jr~x&y\\z\r\n");
  CHECK(m.segmentCount() == 2);
  // The explicit null is written as the sender would.
  REQUIRE(m.set("PID-7", "\"\""));
  CHECK(m.raw("PID-7") == "\"\"");

  Message custom = parseOrFail("MSH#$%@!#A#B#C#D#T##ADT$A01#C1#P#2.4\rNTE#1\r");
  REQUIRE(custom.set("NTE-3", "a#b$c|d"));
  CHECK(custom.raw("NTE-3") == "a@F@b@S@c|d");
  CHECK(custom.get("NTE-3") == "a#b$c|d");
}

TEST_CASE("set adds missing segment occurrences where they belong", "[hl7v2][set]") {
  Message m = parseOrFail(joinSegments({kMsh, "PID|1", "OBX|1|ST|||a", "NTE|1"}));
  REQUIRE(m.set("OBX[3]-5", "c"));
  CHECK(m.serialize() ==
        joinSegments({kMsh, "PID|1", "OBX|1|ST|||a", "OBX", "OBX|||||c", "NTE|1"}));
  CHECK(m.count("OBX") == 3);
  CHECK(m.getAll("OBX[*]-5") == Strings{"a", "", "c"});
  REQUIRE(m.set("ZRW-1", "z"));
  CHECK(m.segmentId(m.segmentCount() - 1) == "ZRW");
  CHECK(m.get("NTE-1") == "1");  // later segments still found after the splices

  // A new segment id goes before batch trailers kept in a message.
  Message batched = parseOrFail(joinSegments({kMsh, "PID|1", "BTS|1", "FTS|1"}));
  REQUIRE(batched.set("PV1-2", "O"));
  CHECK(batched.serialize() == joinSegments({kMsh, "PID|1", "PV1||O", "BTS|1", "FTS|1"}));
}

TEST_CASE("set refuses what it cannot write and changes nothing", "[hl7v2][set]") {
  Message m = small();
  const std::string before = m.serialize();
  for (const char* path : {"PID-*", "PID[*]-1", "PID-3(*)", "MSH-1", "MSH-2", "MSH[2]-3", "FHS-3",
                           "BHS-4", "pid-1", "PID-0", "PID-3..1", ""}) {
    INFO(path);
    CHECK_FALSE(m.set(path, "x"));
  }
  CHECK(m.serialize() == before);
  // Nothing to create for an empty value at an absent position.
  CHECK(m.set("PID-20.3", ""));
  CHECK(m.set("ZZZ[4]-1", ""));
  CHECK(m.serialize() == before);
  // An existing position is emptied and keeps its neighbours.
  REQUIRE(m.set("PID-5.1", ""));
  CHECK(m.raw("PID-5") == "^Jane");
  // MSH fields from 3 on are writable.
  REQUIRE(m.set("MSH-10", "C2"));
  CHECK(m.controlId() == "C2");
  CHECK(m.get("MSH-2") == "^~\\&");
}

TEST_CASE("setRaw writes ER7 that stays inside its position", "[hl7v2][set]") {
  Message m = small();
  REQUIRE(m.setRaw("PID-3(2)", "B2^^^OTHER&1.2&ISO^PI"));
  CHECK(m.get("PID-3(2).4.2") == "1.2");
  REQUIRE(m.setRaw("PID-5.1", "Doe&Van"));
  CHECK(m.get("PID-5.1.2") == "Van");
  REQUIRE(m.setRaw("PID-6", R"(a\S\b)"));
  CHECK(m.get("PID-6") == "a^b");
  const std::string before = m.serialize();
  CHECK_FALSE(m.setRaw("PID-3", "a|b"));
  CHECK_FALSE(m.setRaw("PID-3", "a~b"));
  CHECK_FALSE(m.setRaw("PID-3.1", "a^b"));
  CHECK_FALSE(m.setRaw("PID-3.4.1", "a&b"));
  CHECK_FALSE(m.setRaw("PID-3", "a\rPV1|1"));
  CHECK_FALSE(m.setRaw("PID-3", "a\nb"));
  CHECK(m.serialize() == before);
}

TEST_CASE("the referral can be written field by field from an empty header", "[hl7v2][set]") {
  Message m = parseOrFail(R"(MSH|^~\&|||||||REF^I12^REF_I12|MSG0001|P|2.5)");
  Message reference = parseOrFail(referral());
  for (const char* path : {"MSH-3", "MSH-4", "MSH-5", "MSH-6", "MSH-7", "MSH-15", "MSH-16"}) {
    REQUIRE(m.set(path, reference.get(path)));
  }
  REQUIRE(m.set("PID-1", "1"));
  REQUIRE(m.setRaw("PID-3(1)", "9698658215^^^BC^JHN"));
  REQUIRE(m.set("PID-3(2).1", "12345678"));
  REQUIRE(m.set("PID-3(2).4", "WSBC"));
  REQUIRE(m.set("PID-3(2).5", "WCN"));
  REQUIRE(m.set("PID-5.1", "Doe"));
  REQUIRE(m.set("PID-5.2", "Jane"));
  REQUIRE(m.set("ACC-1", "20250115"));
  REQUIRE(m.set("ACC-8", "Lifting boxes & twisting"));
  CHECK(m.serialize() == joinSegments({reference.segmentText(0),
                                       "PID|1||9698658215^^^BC^JHN~12345678^^^WSBC^WCN||Doe^Jane",
                                       R"(ACC|20250115|||||||Lifting boxes \T\ twisting)"}));
}
