// CSV files as RFC 4180 says (and spreadsheets write them), and one record
// of them as a mapping source: a bad record is rejected alone, by its line.

#include <catch2/catch.hpp>

#include "mapping_fixture.h"
#include "rtw/mapping/csv_source.h"

using namespace rtw::mapping;
using namespace rtw::mapping::testing;
using Catch::Matchers::Contains;
using rtw::enrolment::CsvTable;
using rtw::enrolment::parseCsv;

namespace {

using Fields = std::vector<std::string>;

CsvTable parsed(const std::string& text) {
  std::string error;
  auto table = parseCsv(text, error);
  INFO(error);
  REQUIRE(table);
  return *table;
}

std::string parseError(const std::string& text) {
  std::string error;
  CHECK_FALSE(parseCsv(text, error));
  return error;
}

}  // namespace

TEST_CASE("quoted fields keep commas, doubled quotes and line breaks") {
  const CsvTable table = parsed(
      "id,name,note\n"
      "1,\"Tremblay, Luc\",\"said \"\"ok\"\"\"\n"
      "2,Ng,\"two\nlines\"\n"
      "3,Roy,\n");
  CHECK(table.header == Fields{"id", "name", "note"});
  REQUIRE(table.records.size() == 3);
  CHECK(table.records[0].fields == Fields{"1", "Tremblay, Luc", "said \"ok\""});
  CHECK(table.records[1].fields == Fields{"2", "Ng", "two\nlines"});
  CHECK(table.records[2].fields == Fields{"3", "Roy", ""});
  // A record starts on the line after the previous one ended, quoted breaks counted.
  CHECK(table.records[0].line == 2);
  CHECK(table.records[1].line == 3);
  CHECK(table.records[2].line == 5);
}

TEST_CASE("CRLF and LF, a BOM, blank lines and a missing last line break") {
  const CsvTable table = parsed("\xEF\xBB\xBFid,name\r\n1,\"A\r\nB\"\r\n\r\n2,C");
  CHECK(table.header == Fields{"id", "name"});
  REQUIRE(table.records.size() == 2);
  CHECK(table.records[0].fields == Fields{"1", "A\r\nB"});
  CHECK(table.records[1].fields == Fields{"2", "C"});
  CHECK(table.records[1].line == 5);
}

TEST_CASE("a broken file is refused with the line to look at") {
  CHECK_THAT(parseError(""), Contains("no header row"));
  CHECK_THAT(parseError("id,name\n1,\"open\n2,x\n"),
             Contains("line 2: a quoted field is not closed"));
  CHECK_THAT(parseError("id,name,id\n1,2,3\n"), Contains("names column 'id' twice"));
  CHECK_THAT(parseError("id,,name\n"), Contains("line 1: the header has an empty column name"));
}

TEST_CASE("a record with too few or too many fields names its line") {
  const CsvTable table = parsed("id,name\n1,A\n2\n3,C,extra\n");
  CHECK(table.problem(table.records[0]).empty());
  CHECK(table.problem(table.records[1]) == "line 3: the record has 1 fields, the header has 2");
  CHECK(table.problem(table.records[2]) == "line 4: the record has 3 fields, the header has 2");
}

TEST_CASE("a record reads columns by header name") {
  const CsvTable table = parsed("claim,family\n12345678,Tremblay\n");
  const CsvRecordSource record(table, table.records[0]);
  CHECK(record.serves(SourceKind::kCsv));
  CHECK_FALSE(record.serves(SourceKind::kHl7));
  CHECK(record.get("family") == "Tremblay");
  CHECK(record.has("claim"));
  CHECK_FALSE(record.has("Claim"));
  CHECK(record.get("given").empty());
  CHECK(record.line() == 2);
}

namespace {

const std::string kEnrolmentMapping = R"({
  "messages": {
    "csv:enrolment": {
      "document": "training-report",
      "fields": {
        "header/board": { "const": "WSIB" },
        "header/claimNumber": { "csv": "claim", "required": true },
        "student/family": { "csv": "family" },
        "student/given": { "csv": "given" }
      }
    }
  }
})";

struct RecordRun {
  int line;
  std::string problem;  // the record itself is broken
  Evaluation evaluation;
};

std::vector<RecordRun> mapRecords(const std::string& mapping_json, const std::string& csv) {
  MappingFolder folder;
  folder.write("mapping.json", mapping_json);
  const auto set = folder.load();
  const MessageMapping* mapping = set->find("csv:enrolment");
  REQUIRE(mapping);
  const CsvTable table = parsed(csv);
  std::vector<RecordRun> runs;
  for (const auto& record : table.records) {
    RecordRun run{record.line, table.problem(record), {}};
    if (run.problem.empty()) {
      auto document = schemas()->newDocument(mapping->document);
      run.evaluation = evaluate(*mapping, *set, CsvRecordSource(table, record), document);
    }
    runs.push_back(std::move(run));
  }
  return runs;
}

}  // namespace

TEST_CASE("a bad record is rejected alone, with its line, and the others map") {
  const auto runs = mapRecords(kEnrolmentMapping,
                               "claim,family,given\n"
                               "12345678,Tremblay,Luc\n"
                               ",\"Ng\nWong\",Ana\n"  // no claim number: required
                               "7654321,Roy\n"        // a field short
                               "23456789,Roy,Marie\n");
  REQUIRE(runs.size() == 4);
  CHECK_FALSE(runs[0].evaluation.hasErrors());
  CHECK(runs[1].line == 3);
  REQUIRE(runs[1].evaluation.hasErrors());
  CHECK_THAT(format(runs[1].evaluation.findings.front()),
             Contains("header/claimNumber: required, and its source claim gave no value"));
  CHECK(runs[2].problem == "line 5: the record has 2 fields, the header has 3");
  CHECK(runs[3].line == 6);
  CHECK_FALSE(runs[3].evaluation.hasErrors());
}

TEST_CASE("a column the file's header lacks is an error finding on every record") {
  const auto runs = mapRecords(kEnrolmentMapping, "claim,surname,given\n12345678,Tremblay,Luc\n");
  REQUIRE(runs.size() == 1);
  REQUIRE(runs[0].evaluation.hasErrors());
  CHECK_THAT(format(runs[0].evaluation.findings.front()),
             Contains("ERROR student/family: column 'family' is not in the file's header"));
}

TEST_CASE("an empty CSV value warns unless the rule says it is optional") {
  std::string mapping = kEnrolmentMapping;
  const auto runs = mapRecords(mapping, "claim,family,given\n12345678,Tremblay,\n");
  REQUIRE(runs.size() == 1);
  CHECK_FALSE(runs[0].evaluation.hasErrors());
  REQUIRE(runs[0].evaluation.findings.size() == 1);
  CHECK_THAT(format(runs[0].evaluation.findings.front()),
             Contains("WARNING student/given: left empty: its source given gave no value"));
}
