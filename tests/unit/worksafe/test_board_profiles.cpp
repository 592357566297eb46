// Board profiles: the shipped WorkSafeBC and WSIB profiles, and every way a
// profile file can be wrong failing with the file and the key. A changed fee
// table or code list takes effect without a rebuild.

#include <catch2/catch.hpp>

#include <algorithm>

#include "example_fixture.h"

using namespace rtw::worksafe;
using namespace rtw::worksafe::test;

namespace {

std::string shippedProfile(const std::string& name) { return readText(boardsDir() / name); }

// The shipped profile with the first `from` replaced by `to`.
std::string editedProfile(const std::string& name, const std::string& from, const std::string& to) {
  std::string text = shippedProfile(name);
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// Writes the shipped profile `name` into `dir` with the first `from` replaced
// by `to`, and returns what an error about the edit starts with:
// "<file>: line <line of the edit>:".
std::string writeEdit(const TempDir& dir, const std::string& name, const std::string& from,
                      const std::string& to) {
  const std::string text = editedProfile(name, from, to);
  dir.write(name, text);
  const auto at = text.find(to);
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  return (dir.path() / name).string() + ": line " + std::to_string(line) + ":";
}

std::string loadError(const TempDir& dir) {
  try {
    BoardProfiles::load(dir.path());
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  FAIL("load() accepted the profile directory");
  return {};
}

}  // namespace

TEST_CASE("the shipped profiles hold the spec's programs, tables and rules", "[profiles]") {
  CHECK(profiles()->boards() == std::vector<std::string>{"WSBC", "WSIB"});
  const BoardProfile& wsbc = *profiles()->find("WSBC");
  CHECK(wsbc.program("CRRTW")->period.from == Date::parse("2024-11-01"));
  CHECK(wsbc.program("OR2")->after_until == Problem::Severity::kWarning);
  CHECK(wsbc.program("ASTD")->after_until == Problem::Severity::kError);
  const auto crrtw = wsbc.feeTables("CRRTW", "STANDARD");
  REQUIRE(crrtw.size() == 1);
  std::vector<std::string> codes;
  for (const auto& [code, fee] : crrtw.front()->codes) {
    codes.push_back(code);
    // Health services are GST-exempt; supplies (braces, supports) are not.
    CHECK(fee.gst == (code == "CRRTW-EQP"));
  }
  CHECK(codes == std::vector<std::string>{"CRRTW-ADM", "CRRTW-DIS", "CRRTW-EQP", "CRRTW-JSV",
                                          "CRRTW-RPT", "CRRTW-RTW", "CRRTW-TRT"});
  CHECK_FALSE(wsbc.electronic_billing_days);
  CHECK(wsbc.abilities_language->since == Date::parse("2023-05-01"));
  CHECK(wsbc.claim_number.description == "8 digits");

  const BoardProfile& wsib = *profiles()->find("WSIB");
  CHECK(wsib.electronic_billing_days == 31);
  CHECK(wsib.training_plan_max_years == 3);
  CHECK(wsib.claim_number.min_length == 7);
  CHECK(wsib.claim_number.max_length == 8);
  CHECK(wsib.claim_number.system == "https://rtw.gateway/NamingSystem/wsib-claim");
  CHECK(wsbc.claim_number.system == "https://rtw.gateway/NamingSystem/wsbc-claim");
  const Date day = *Date::parse("2025-06-10");
  REQUIRE(wsib.feeCode("WT_PLAN", "STANDARD", "WT-TUITION", day) != nullptr);
  CHECK_FALSE(wsib.feeCode("WT_PLAN", "STANDARD", "WT-TUITION", day)->gst);
  CHECK(wsib.feeCode("WT_PLAN", "STANDARD", "WT-BOOKS", day)->gst);
  CHECK(wsib.feeCode("MSK_POC", "STANDARD", "WT-BOOKS", day) == nullptr);
  CHECK(wsib.program("MSK_POC") != nullptr);
  CHECK(wsib.withdrawal_reasons.count("EMPLOYMENT") == 1);
  CHECK_FALSE(wsib.abilities_language);
  CHECK(profiles()->find("WCB") == nullptr);
}

TEST_CASE("a claim number matches the profile's pattern as a whole", "[profiles]") {
  const ClaimNumberRule& rule = profiles()->find("WSBC")->claim_number;
  REQUIRE(rule.pattern);
  CHECK(rule.pattern->fullMatch("12345678"));
  CHECK_FALSE(rule.pattern->fullMatch("1234567"));
  CHECK_FALSE(rule.pattern->fullMatch("123456789"));
  CHECK_FALSE(rule.pattern->fullMatch(std::string("1234567\0", 8)));
}

TEST_CASE("a claim-number pattern RE2 refuses is a load error with the file and line",
          "[profiles]") {
  TempDir dir;
  // A backreference: fine for POSIX and ECMAScript, refused by RE2 (it would
  // need backtracking).
  dir.write("wsbc.json", editedProfile("wsbc.json", "\"pattern\": \"^[0-9]{8}$\"",
                                       "\"pattern\": \"^([0-9])\\\\1{7}$\""));
  const std::string error = loadError(dir);
  CHECK_THAT(error, Catch::StartsWith((dir.path() / "wsbc.json").string() + ": line 15: " +
                                      "'claim_number.pattern' is not a valid regular expression"));
}

TEST_CASE("a profile with an unknown key fails with the file, its line and the key", "[profiles]") {
  TempDir dir;
  SECTION("at the top") {
    const std::string at = writeEdit(dir, "wsbc.json", "\"name\": \"WorkSafeBC\"",
                                     "\"name\": \"WorkSafeBC\", \"nmae\": 1");
    CHECK(loadError(dir) ==
          at + " unknown key 'nmae' (allowed: board, name, claim_number, programs, "
               "default_contract, fee_tables, discharge_statuses, decline_reasons, hold_reasons, "
               "withdrawal_reasons, deadlines, holidays, electronic_billing_days, "
               "training_plan_max_years, abilities_language)");
  }
  SECTION("in a program") {
    const std::string at = writeEdit(dir, "wsbc.json", "\"from\": \"2024-11-01\",\n      \"doc",
                                     "\"form\": \"2024-11-01\",\n      \"doc");
    CHECK(loadError(dir) == at + " unknown key 'programs.CRRTW.form' (allowed: name, from, until, "
                                 "after_until, note, documents, notices)");
  }
  SECTION("in a fee code") {
    const std::string at = writeEdit(dir, "wsib.json", "{ \"description\": \"Books\", \"gst\"",
                                     "{ \"description\": \"Books\", \"GST\"");
    CHECK(loadError(dir) ==
          at + " unknown key 'fee_tables[2].codes.WT-BOOKS.GST' (allowed: description, gst)");
  }
  SECTION("in a deadline") {
    const std::string at = writeEdit(dir, "wsbc.json", "\"initial_report\": { \"days\"",
                                     "\"initial_report\": { \"day\"");
    CHECK(loadError(dir) == at + " unknown key 'deadlines.initial_report.day' (allowed: days, "
                                 "working_days, severity)");
  }
}

TEST_CASE("a profile that is not JSON fails with the file, line and column", "[profiles]") {
  TempDir dir;
  dir.write("wsbc.json", "// a comment is fine\n{\n  \"board\": \"WSBC\"\n  \"name\": \"x\"\n}\n");
  const std::string error = loadError(dir);
  CHECK_THAT(error, Catch::StartsWith((dir.path() / "wsbc.json").string() +
                                      ": line 4: not valid JSON at column 3"));
  CHECK_THAT(error, Catch::Contains("Missing a comma"));
}

TEST_CASE("wrong, missing and inconsistent values name their key and its line", "[profiles]") {
  TempDir dir;
  const std::string file = (dir.path() / "wsib.json").string();
  SECTION("a number as a string") {
    const std::string at = writeEdit(dir, "wsib.json", "\"electronic_billing_days\": 31",
                                     "\"electronic_billing_days\": \"31\"");
    CHECK(loadError(dir) ==
          at + " 'electronic_billing_days' must be a whole number from 1 to 3650, not a string");
  }
  SECTION("a missing required key: the line of the object that lacks it") {
    const std::string text = editedProfile("wsib.json", "\"default_contract\": \"STANDARD\",", "");
    dir.write("wsib.json", text);
    const auto line = 1 + std::count(text.begin(), text.begin() + text.find("\n{"), '\n') + 1;
    CHECK(loadError(dir) ==
          file + ": line " + std::to_string(line) + ": 'default_contract' is required");
  }
  SECTION("a bad date") {
    const std::string at =
        writeEdit(dir, "wsbc.json", "\"from\": \"2024-11-01\"", "\"from\": \"2024-11-31\"");
    CHECK(loadError(dir) == at + " 'programs.CRRTW.from' must be a date (YYYY-MM-DD)");
  }
  SECTION("a regular expression that does not compile") {
    const std::string at = writeEdit(dir, "wsib.json", "\"^[0-9]+$\"", "\"^[0-9+$\"");
    CHECK_THAT(loadError(dir),
               Catch::StartsWith(at + " 'claim_number.pattern' is not a valid regular expression: "
                                      "missing ]"));
  }
  SECTION("a claim-number system that is not an absolute URI") {
    const std::string at = writeEdit(dir, "wsib.json", "\"system\": \"https://rtw.gateway/",
                                     "\"system\": \"rtw.gateway/");
    CHECK(loadError(dir) ==
          at + " 'claim_number.system' must be an absolute URI (http://, https:// or urn:)");
  }
  SECTION("a claim-number system with a space") {
    const std::string at =
        writeEdit(dir, "wsbc.json", "NamingSystem/wsbc-claim\"", "NamingSystem/wsbc claim\"");
    CHECK(loadError(dir) == at + " 'claim_number.system' must be a URI without spaces");
  }
  SECTION("a claim-number system that is not a string") {
    const std::string at =
        writeEdit(dir, "wsbc.json", "\"system\": \"https://rtw.gateway/NamingSystem/wsbc-claim\"",
                  "\"system\": 8");
    CHECK_THAT(loadError(dir), Catch::StartsWith(at + " 'claim_number.system' must be"));
  }
  SECTION("a fee table for a program the profile does not have") {
    const std::string at =
        writeEdit(dir, "wsib.json", "\"program\": \"MSK_POC\"", "\"program\": \"MSK\"");
    CHECK(loadError(dir) == at + " 'fee_tables[1].program' names a program that is not in "
                                 "'programs'");
  }
  SECTION("an unknown document type") {
    dir.write("wsib.json", editedProfile("wsib.json", "\"training-report\"", "\"training\""));
    CHECK_THAT(loadError(dir), Catch::Contains(": 'programs.WT_PLAN.documents' names an "
                                               "unknown document type 'training'"));
  }
  SECTION("a key given twice: the line of the second, and of the first") {
    const std::string text = editedProfile("wsib.json", "\"board\": \"WSIB\",",
                                           "\"board\": \"WSIB\",\n  \"board\": \"WSIB\",");
    dir.write("wsib.json", text);
    const auto first = 1 + std::count(text.begin(), text.begin() + text.find("\"board\""), '\n');
    CHECK(loadError(dir) == file + ": line " + std::to_string(first + 1) +
                                ": 'board' appears twice (first on line " + std::to_string(first) +
                                ")");
  }
  SECTION("a bad severity") {
    const std::string at =
        writeEdit(dir, "wsib.json", "\"severity\": \"warning\"", "\"severity\": \"fatal\"");
    CHECK(loadError(dir) ==
          at + " 'deadlines.initial_report.severity' must be \"error\" or \"warning\"");
  }
  SECTION("two files for one board") {
    dir.write("wsib.json", shippedProfile("wsib.json"));
    dir.write("wsib-copy.json", shippedProfile("wsib.json"));
    CHECK_THAT(loadError(dir), Catch::Contains("'board' WSIB is already defined by"));
  }
}

TEST_CASE("a profile directory must exist and hold profiles", "[profiles]") {
  TempDir dir;
  CHECK_THAT(loadError(dir), Catch::Contains("no board profile (*.json)"));
  CHECK_THROWS_WITH(BoardProfiles::load(dir.path() / "nowhere"),
                    Catch::Contains("nowhere") && Catch::Contains("missing"));
}

TEST_CASE("a changed fee table or discharge code takes effect without a rebuild", "[profiles]") {
  TempDir dir;
  dir.write("wsib.json", shippedProfile("wsib.json"));
  dir.write("wsbc.json", editedProfile("wsbc.json", "\"CRRTW-TRT\"", "\"CRRTW-TRX\""));
  const auto edited = BoardProfiles::load(dir.path());
  const auto checkWith = [&](const std::string& xml) {
    return validateDocument(*schemas(), *edited, xml, exampleToday());
  };
  const auto problems = checkWith(example("invoice-wsbc-crrtw.xml"));
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().path == "line[2]/feeCode");
  CHECK(problems.front().code == "FEE_CODE");
  CHECK(
      checkWith(variant("invoice-wsbc-crrtw.xml", {}, {{"line[2]/feeCode", "CRRTW-TRX"}})).empty());

  dir.write("wsbc.json", editedProfile("wsbc.json", "\"RTW_FULL\"", "\"RTW_COMPLETE\""));
  const auto renamed = BoardProfiles::load(dir.path());
  const auto report =
      validateDocument(*schemas(), *renamed, example("report-discharge-wsbc.xml"), exampleToday());
  REQUIRE(report.size() == 1);
  CHECK(report.front().code == "DISCHARGE_STATUS");
}

TEST_CASE("a profile without a claim-number system loads, with none", "[profiles]") {
  TempDir dir;
  dir.write(
      "wsib.json",
      editedProfile("wsib.json",
                    ",\n    // The gateway's own identifier system for these claim numbers in "
                    "FHIR\n    // (there is no public one); mappings read it as "
                    "%claimNumberSystem.\n    \"system\": "
                    "\"https://rtw.gateway/NamingSystem/wsib-claim\"",
                    ""));
  const auto loaded = BoardProfiles::load(dir.path());
  CHECK(loaded->find("WSIB")->claim_number.system.empty());
  CHECK(loaded->find("WSIB")->claim_number.description == "7 to 8 digits");
}
