// Files and batches: FHS/BHS/BTS/FTS, counts, several messages without an
// envelope, and bad messages among good ones.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "rtw/hl7v2/batch.h"
#include "samples.h"

using rtw::hl7v2::BatchFile;
using rtw::hl7v2::BatchProblem;
using rtw::hl7v2::parseBatch;
using rtw::hl7v2::test::joinSegments;
using Strings = std::vector<std::string>;

namespace {

std::string msh(std::string_view control_id) {
  return R"(MSH|^~\&|APP|FAC|RTWGW|WSBC|20250301||ADT^A04|)" + std::string(control_id) + "|P|2.5";
}

// Control ids of the messages that parsed, in order.
Strings controlIds(const BatchFile& file) {
  Strings ids;
  for (const auto* message : file.messages()) {
    ids.push_back(message->controlId());
  }
  return ids;
}

Strings problemTexts(const BatchFile& file) {
  Strings texts;
  for (const BatchProblem& problem : file.problems) {
    texts.push_back(std::to_string(problem.line) + " " + problem.segment + "-" +
                    std::to_string(problem.field) + " " + problem.message);
  }
  return texts;
}

}  // namespace

TEST_CASE("a file with one batch gives its messages and envelope", "[hl7v2][batch]") {
  std::string text = joinSegments(
      {R"(FHS|^~\&|CLINICEMR|CLINIC01|RTWGW|WSBC|20250301120000||claims.hl7|nightly|F001)",
       R"(BHS|^~\&|CLINICEMR|CLINIC01|RTWGW|WSBC|20250301120000||DFT|batch \T\ one|B001|B000)",
       msh("M1"), "PID|1||A1", msh("M2"), "PID|1||A2", "FT1|1", msh("M3"), "BTS|3|done",
       "FTS|1|end of file"},
      "\r\n");
  BatchFile file = parseBatch(text);
  CHECK(file.problems.empty());
  CHECK(controlIds(file) == Strings{"M1", "M2", "M3"});
  REQUIRE(file.batches.size() == 1);
  const auto& batch = file.batches.front();
  CHECK(file.header.present);
  CHECK(file.header.line == 1);
  CHECK(file.header.sending_application == "CLINICEMR");
  CHECK(file.header.receiving_facility == "WSBC");
  CHECK(file.header.created == "20250301120000");
  CHECK(file.header.name == "claims.hl7");
  CHECK(file.header.comment == "nightly");
  CHECK(file.header.control_id == "F001");
  CHECK(batch.header.name == "DFT");
  CHECK(batch.header.comment == "batch & one");
  CHECK(batch.header.control_id == "B001");
  CHECK(batch.header.reference_control_id == "B000");
  CHECK(batch.trailer.count == 3u);
  CHECK(batch.trailer.comment == "done");
  CHECK(batch.trailer.line == 9);
  CHECK(file.trailer.count == 1u);
  CHECK(file.trailer.comment == "end of file");
  CHECK(file.trailer.text == "FTS|1|end of file");
  // Each message holds only its own segments.
  REQUIRE(batch.entries.size() == 3);
  CHECK(batch.entries[1].line == 5);
  CHECK(batch.entries[1].outcome.message->serialize() ==
        joinSegments({msh("M2"), "PID|1||A2", "FT1|1"}));
  CHECK(batch.entries[2].outcome.message->segmentCount() == 1);
}

TEST_CASE("counts that do not match are reported, not fatal", "[hl7v2][batch]") {
  std::string text = joinSegments({R"(FHS|^~\&)", R"(BHS|^~\&)", msh("M1"), msh("M2"), "BTS|3",
                                   R"(BHS|^~\&)", msh("M3"), "BTS|x", "FTS|1"});
  BatchFile file = parseBatch(text);
  CHECK(controlIds(file) == Strings{"M1", "M2", "M3"});
  CHECK(file.batches.size() == 2);
  CHECK_FALSE(file.batches[1].trailer.count.has_value());
  CHECK(problemTexts(file) == Strings{"5 BTS-1 BTS-1 says 3 messages, the batch holds 2",
                                      "8 BTS-1 BTS-1 is not a count",
                                      "9 FTS-1 FTS-1 says 1 batches, the file holds 2"});
}

TEST_CASE("several messages without batch segments", "[hl7v2][batch]") {
  // LF line ends, blank lines between messages, a BOM: as files arrive.
  std::string text =
      "\xEF\xBB\xBF" + msh("M1") + "\nPID|1\n\n\n" + msh("M2") + "\nPID|2\n" + msh("M3") + "\n\n";
  BatchFile file = parseBatch(text);
  CHECK(file.problems.empty());
  CHECK_FALSE(file.header.present);
  REQUIRE(file.batches.size() == 1);
  CHECK_FALSE(file.batches[0].header.present);
  CHECK(controlIds(file) == Strings{"M1", "M2", "M3"});
  CHECK(file.batches[0].entries[1].line == 5);
  CHECK(file.batches[0].entries[2].line == 7);
  CHECK(file.messages()[0]->serialize() == msh("M1") + "\rPID|1\r");

  BatchFile single = parseBatch(msh("ONLY") + "\r");
  CHECK(single.problems.empty());
  CHECK(single.entryCount() == 1);
}

TEST_CASE("a bad message is an entry with its error and bytes", "[hl7v2][batch]") {
  std::string bad = R"(MSH|^~\&|APP|FAC)";
  std::string text = joinSegments({R"(BHS|^~\&)", msh("M1"), bad, "PID|1", msh("M3"), "BTS|3"});
  BatchFile file = parseBatch(text);
  CHECK(file.problems.empty());  // the count includes the bad message
  REQUIRE(file.entryCount() == 3);
  const auto& entry = file.batches[0].entries[1];
  REQUIRE(entry.outcome.error.has_value());
  CHECK(entry.outcome.error->field == 9);
  CHECK(entry.line == 3);
  CHECK(entry.unparsed == bad + "\rPID|1\r");
  CHECK(file.batches[0].entries[0].unparsed.empty());
  CHECK(controlIds(file) == Strings{"M1", "M3"});

  // Segments before the first MSH form an entry that is not a message.
  BatchFile stray = parseBatch(joinSegments({R"(BHS|^~\&)", "PID|1", msh("M1"), "BTS|2"}));
  REQUIRE(stray.entryCount() == 2);
  CHECK_THAT(stray.batches[0].entries[0].outcome.error->message,
             Catch::Contains("does not start with MSH"));
}

TEST_CASE("envelope segments out of place are reported", "[hl7v2][batch]") {
  BatchFile unclosed = parseBatch(joinSegments({R"(FHS|^~\&)", R"(BHS|^~\&)", msh("M1")}));
  CHECK(problemTexts(unclosed) ==
        Strings{"2 BHS-0 BHS on line 2 has no BTS", "1 FHS-0 FHS on line 1 has no FTS"});
  CHECK(controlIds(unclosed) == Strings{"M1"});

  BatchFile late = parseBatch(joinSegments({msh("M1"), R"(FHS|^~\&)", "FTS|0", msh("M2")}));
  CHECK(problemTexts(late) == Strings{"2 FHS-0 FHS must be the first segment of the file",
                                      "3 FTS-1 FTS-1 says 0 batches, the file holds 1",
                                      "4 FTS-0 segments follow the FTS"});
  CHECK(controlIds(late) == Strings{"M1", "M2"});

  BatchFile orphan = parseBatch(joinSegments({"BTS|0", "FTS"}));
  CHECK(problemTexts(orphan) ==
        Strings{"1 BTS-0 BTS closes no batch (no BHS and no message before it)",
                "2 FTS-0 FTS without FHS", "0 -0 no MSH segment: the input holds no HL7 message"});

  BatchFile bad_header = parseBatch(joinSegments({"BHS|^~", msh("M1"), "BTS|1"}));
  CHECK(problemTexts(bad_header) ==
        Strings{"1 BHS-2 BHS-2 must hold the encoding characters (component, repetition, escape, "
                "subcomponent)"});
  CHECK(bad_header.batches[0].header.present);
  CHECK(bad_header.batches[0].header.text == "BHS|^~");
}

TEST_CASE("empty input and garbage are not HL7", "[hl7v2][batch]") {
  CHECK(problemTexts(parseBatch("")) ==
        Strings{"0 -0 no MSH segment: the input holds no HL7 message"});
  CHECK(problemTexts(parseBatch("\r\n\n")) ==
        Strings{"0 -0 no MSH segment: the input holds no HL7 message"});
  BatchFile garbage = parseBatch("hello\nworld\n");
  CHECK(garbage.problems.empty());
  REQUIRE(garbage.entryCount() == 1);
  CHECK(garbage.messages().empty());
  CHECK(garbage.batches[0].entries[0].unparsed == "hello\nworld\n");
}

TEST_CASE("batch envelopes honour their own delimiters and the charset", "[hl7v2][batch]") {
  std::string text = joinSegments({"BHS#$%@!#APP$X#FAC#R#F#T##N#caf\xE9 @T@ bar#B9",
                                   "MSH#$%@!#A#B#C#D#T##ADT$A04#M1#P#2.4", "BTS#1"});
  BatchFile file = parseBatch(text, {rtw::hl7v2::Charset::kLatin1});
  CHECK(file.problems.empty());
  const auto& header = file.batches[0].header;
  CHECK(header.sending_application == "APP$X");  // a whole field: separators kept
  CHECK(header.comment == "caf\xC3\xA9 ! bar");
  CHECK(header.control_id == "B9");
  CHECK(file.batches[0].trailer.count == 1u);
  CHECK(controlIds(file) == Strings{"M1"});
}
