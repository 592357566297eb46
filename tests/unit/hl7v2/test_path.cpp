// Reading by path: SEG[occurrence]-field(repetition).component.subcomponent.

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

Message structured() {
  return parseOrFail(joinSegments({
      R"(MSH|^~\&|APP|FAC|RTWGW|WSBC|20250301||DFT^P03|C1|P|2.5)",
      R"(PID|1||A1^^^AUTH&1.2.3&ISO^MR~B2^^^OTHER^PI||""|x||||A\S\B^C\T\D&E)",
      R"(FT1|1|||20250301|||97110^Therapeutic exercise^CPT|||2)",
      R"(FT1|2|||20250302)",
      R"(FT1|3|||20250303|||97140^Manual therapy^CPT|||1)",
      R"(ZRW|custom~~third)",
  }));
}

}  // namespace

TEST_CASE("repetitions, components and subcomponents", "[hl7v2][path]") {
  Message m = structured();
  CHECK(m.get("PID-3.1") == "A1");
  CHECK(m.get("PID-3(2).4") == "OTHER");
  CHECK(m.get("PID-3.4.2") == "1.2.3");
  CHECK(m.get("PID-3(1).4.3") == "ISO");
  CHECK(m.get("PID-3(2).4.1") == "OTHER");
  CHECK(m.get("PID-3(2).4.2").empty());
  CHECK(m.get("PID-3(3)").empty());
  CHECK(m.getAll("PID-3(*).5") == Strings{"MR", "PI"});
  CHECK(m.getAll("ZRW-1(*)") == Strings{"custom", "", "third"});
}

TEST_CASE("a path above the primitives reads the first one", "[hl7v2][path]") {
  Message m = structured();
  // PID-3(1) is A1^^^AUTH&1.2.3&ISO^MR: component 1, then subcomponent 1.
  CHECK(m.get("PID-3") == "A1");
  CHECK(m.get("PID-3(1)") == "A1");
  CHECK(m.get("PID-3(2)") == "B2");
  CHECK(m.get("PID-3.4") == "AUTH");  // a component with subcomponents
  CHECK(m.getAll("PID-3(*)") == Strings{"A1", "B2"});
  CHECK(m.getAll("PID-3(*).4") == Strings{"AUTH", "OTHER"});
  CHECK(m.getAll("FT1[*]-7") == Strings{"97110", "", "97140"});
}

TEST_CASE("a family name with subcomponents reads its surname", "[hl7v2][path]") {
  // XPN.1 is FN: surname & own surname prefix & own surname & ...
  Message m = parseOrFail(joinSegments({
      R"(MSH|^~\&|APP|FAC|RTWGW|WSBC|20250301||REF^I12|C1|P|2.5|||||||UNICODE UTF-8)",
      "PID|1||X1||Lefebvre-Ng&van&Ng^Chlo\xC3\xA9^^^^^L",
  }));
  CHECK(m.get("PID-5") == "Lefebvre-Ng");
  CHECK(m.get("PID-5.1") == "Lefebvre-Ng");
  CHECK(m.get("PID-5.1.1") == "Lefebvre-Ng");
  CHECK(m.get("PID-5.1.2") == "van");
  CHECK(m.get("PID-5.1.3") == "Ng");
  CHECK(m.get("PID-5.2") == "Chlo\xC3\xA9");
  CHECK(m.get("PID-5.7") == "L");
  CHECK(m.getEncoded("PID-5") == "Lefebvre-Ng&van&Ng^Chlo\xC3\xA9^^^^^L");
  CHECK(m.getEncoded("PID-5.1") == "Lefebvre-Ng&van&Ng");
  CHECK(m.getEncoded("PID-5.1.2") == "van");
}

TEST_CASE("other delimiters give the same values", "[hl7v2][path]") {
  // Field !, component @, repetition %, escape $, subcomponent *; the data
  // holds the standard characters, plain or escaped.
  Message m = parseOrFail(joinSegments({
      "MSH!@%$*!APP!FAC!RTWGW!WSBC!20250301!!REF@I12!C1!P!2.5!!!!!!8859/1",
      "PID!1!!A1@@@AUTH*1.2.3@MR%B2!!Lefebvre-Ng*van*Ng@Chlo\xE9!!!!!a^b&c|d~e\\f$S$g$T$h$X41$",
  }));
  CHECK(m.get("MSH-1") == "!");
  CHECK(m.get("MSH-2") == "@%$*");
  CHECK(m.get("MSH-9") == "REF");
  CHECK(m.get("PID-3") == "A1");
  CHECK(m.get("PID-3.4") == "AUTH");
  CHECK(m.get("PID-3(2)") == "B2");
  CHECK(m.get("PID-5") == "Lefebvre-Ng");
  CHECK(m.get("PID-5.2") == "Chlo\xC3\xA9");
  CHECK(m.get("PID-10") == "a^b&c|d~e\\f@g*hA");
  CHECK(m.getEncoded("PID-5") == "Lefebvre-Ng*van*Ng@Chlo\xC3\xA9");
}

TEST_CASE("escapes decode inside the primitive and never cut it", "[hl7v2][path]") {
  Message m = structured();
  // PID-10 is A\S\B^C\T\D&E: the escaped ^ and & are data.
  CHECK(m.get("PID-10") == "A^B");
  CHECK(m.get("PID-10.1") == "A^B");
  CHECK(m.get("PID-10.2") == "C&D");
  CHECK(m.get("PID-10.2.1") == "C&D");
  CHECK(m.get("PID-10.2.2") == "E");
  CHECK(m.raw("PID-10") == R"(A\S\B^C\T\D&E)");
  CHECK(m.raw("PID-10.2.1") == R"(C\T\D)");
}

TEST_CASE("getEncoded keeps the separators and decodes each primitive", "[hl7v2][path]") {
  Message m = structured();
  CHECK(m.getEncoded("PID-3") == "A1^^^AUTH&1.2.3&ISO^MR");
  CHECK(m.getEncoded("PID-3(2)") == "B2^^^OTHER^PI");
  CHECK(m.getEncoded("PID-3.4") == "AUTH&1.2.3&ISO");
  CHECK(m.getEncoded("PID-3.4.2") == "1.2.3");
  CHECK(m.getAllEncoded("PID-3(*)") == Strings{"A1^^^AUTH&1.2.3&ISO^MR", "B2^^^OTHER^PI"});
  CHECK(m.getAllEncoded("FT1[*]-7") ==
        Strings{"97110^Therapeutic exercise^CPT", "", "97140^Manual therapy^CPT"});
  // Escaped separators become data and then read like the real ones.
  CHECK(m.getEncoded("PID-10") == "A^B^C&D&E");
  CHECK(m.getEncoded("PID-10.2") == "C&D&E");
  CHECK(m.getEncoded("PID-5") == "\"\"");
  CHECK(m.getEncoded("PID-99").empty());
  CHECK(m.getEncoded("PID-3(3)").empty());
  CHECK(m.getEncoded("MSH-2") == R"(^~\&)");
  CHECK(m.getAllEncoded("PID[").empty());
}

TEST_CASE("the explicit null is returned as two quote characters", "[hl7v2][path]") {
  Message m = parseOrFail(joinSegments({
      R"(MSH|^~\&|APP|FAC|RTWGW|WSBC|20250301||DFT^P03|C1|P|2.5)",
      R"(PID|1||""||""|x||""^Jane~""|&x^y)",
  }));
  CHECK(m.get("PID-3") == "\"\"");
  CHECK(m.has("PID-3"));
  CHECK(m.get("PID-4").empty());
  CHECK(m.has("PID-4"));            // present, empty
  CHECK(m.get("PID-8") == "\"\"");  // the first primitive of ""^Jane
  CHECK(m.get("PID-8(2)") == "\"\"");
  CHECK(m.get("PID-8.2") == "Jane");
  CHECK(m.get("PID-9").empty());  // &x^y: its first primitive is empty
  CHECK(m.get("PID-9.1.2") == "x");
}

TEST_CASE("MSH fields are numbered from the field separator", "[hl7v2][path]") {
  Message m = parseOrFail(referral());
  CHECK(m.get("MSH-1") == "|");
  CHECK(m.get("MSH-2") == R"(^~\&)");
  CHECK(m.get("MSH-2.1") == R"(^~\&)");  // the delimiters: never split nor decoded
  CHECK(m.get("MSH-2.2").empty());
  CHECK(m.raw("MSH-2") == R"(^~\&)");
  CHECK(m.get("MSH-3") == "CLINICEMR");
  CHECK(m.get("MSH-4") == "CLINIC01");
  CHECK(m.get("MSH-7") == "20250301101500-0800");
  CHECK(m.get("MSH-9") == "REF");
  CHECK(m.getEncoded("MSH-9") == "REF^I12^REF_I12");
  CHECK(m.get("MSH-9.1") == "REF");
  CHECK(m.get("MSH-9.3") == "REF_I12");
  CHECK(m.get("MSH-12") == "2.5");
  CHECK(m.get("MSH-16") == "AL");
  CHECK(m.has("MSH-2"));
  CHECK(m.has("MSH-2.1"));
  CHECK_FALSE(m.has("MSH-2.2"));  // the encoding characters are not split
  CHECK_FALSE(m.has("MSH-17"));
}

TEST_CASE("occurrence indexes and '*'", "[hl7v2][path]") {
  Message m = parseOrFail(referral());
  CHECK(m.get("PRD-1.1") == "RP");
  CHECK(m.get("PRD[1]-1.1") == "RP");
  CHECK(m.get("PRD[2]-1.1") == "RT");
  CHECK(m.get("PRD[2]-2") == "Harbour Physiotherapy");
  CHECK(m.get("PRD[3]-1").empty());
  CHECK_FALSE(m.has("PRD[3]-1"));
  CHECK(m.getAll("PRD[*]-1.1") == Strings{"RP", "RT"});
  CHECK(m.getAll("PRD[*]-2.2") == Strings{"Morgan", ""});
  CHECK(m.get("PRD[*]-2") == "Case");
  CHECK(m.getEncoded("PRD[*]-2") == "Case^Morgan");
  CHECK(m.count("PRD") == 2);
  CHECK(m.count("OBX") == 0);
}

TEST_CASE("getAll lines up occurrences even where a field is absent", "[hl7v2][path]") {
  Message m = structured();
  CHECK(m.getAll("FT1[*]-1") == Strings{"1", "2", "3"});
  CHECK(m.getAll("FT1[*]-7.1") == Strings{"97110", "", "97140"});
  CHECK(m.getAll("FT1[*]-10") == Strings{"2", "", "1"});
  CHECK(m.getAll("FT1[*]-7(*).2") == Strings{"Therapeutic exercise", "", "Manual therapy"});
  CHECK(m.getAll("FT1[2]-7").size() == 1);
  CHECK(m.getAll("FT1[4]-7").empty());
  CHECK(m.getAll("OBX[*]-5").empty());
  // get() with '*' returns the first position that exists.
  CHECK(m.get("FT1[*]-10") == "2");
  CHECK(m.has("FT1[*]-10"));
  CHECK_FALSE(m.has("FT1[*]-30"));
}

TEST_CASE("has() tells an existing position from an absent one", "[hl7v2][path]") {
  Message m = parseOrFail(referral());
  CHECK(m.has("PID-5"));
  CHECK(m.has("PID-5.2"));
  CHECK_FALSE(m.has("PID-5.3"));
  CHECK(m.has("PID-5.2.1"));
  CHECK_FALSE(m.has("PID-5.2.2"));
  CHECK(m.has("PID-3(2)"));
  CHECK_FALSE(m.has("PID-3(3)"));
  CHECK(m.has("PID-3(*)"));
  CHECK(m.has("PRD[1]-10"));  // trailing empty fields exist
  CHECK_FALSE(m.has("PRD[1]-11"));
  CHECK_FALSE(m.has("PID-99"));
  CHECK_FALSE(m.has("ZZZ-1"));
  CHECK(m.get("PID-99").empty());
  CHECK(m.get("ZZZ-1").empty());
}

TEST_CASE("invalid paths read as absent and isValidPath says so", "[hl7v2][path]") {
  Message m = parseOrFail(referral());
  const char* invalid[] = {
      "",        "PID",         "PID-",         "PID-0",       "PID-a",       "pid-3",
      "PI-3",    "PIDX-3",      "PID-3.",       "PID-3..1",    "PID[0]-3",    "PID[]-3",
      "PID[1-3", "PID-3(0)",    "PID-3()",      "PID-3(1",     "PID-3.*",     "PID-3 ",
      " PID-3",  "PID-3.1.1.1", "PID-12345678", "PID-3(*)(1)", "PID[*][1]-3", "PID-*",
      "PID-3.0", "PID-3.1.0",   "PID.3",        "PID-3-1",     "MSH-9^1",     "PID-+3"};
  for (const char* path : invalid) {
    INFO(path);
    CHECK_FALSE(Message::isValidPath(path));
    CHECK(m.get(path).empty());
    CHECK(m.getAll(path).empty());
    CHECK_FALSE(m.has(path));
    CHECK(m.raw(path).empty());
    CHECK(m.getEncoded(path).empty());
  }
  const char* valid[] = {"MSH-10",   "PID-3(2).1", "PID-3.4.2",       "OBX[3]-5", "FT1[*]-7.1",
                         "PID-3(*)", "Z01-1",      "PID[1]-3(1).1.1", "OBX-0005"};
  for (const char* path : valid) {
    INFO(path);
    CHECK(Message::isValidPath(path));
  }
}

TEST_CASE("segment text and ids by index", "[hl7v2][path]") {
  Message m = parseOrFail(referral());
  CHECK(m.segmentText(6) == R"(ACC|20250115||||Y|||Lifting boxes \T\ twisting)");
  CHECK(m.segmentText(99).empty());
  CHECK(m.raw("ACC-8") == R"(Lifting boxes \T\ twisting)");
}
