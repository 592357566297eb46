// Every way a mapping can be wrong fails at load with the file, the line and
// the rule, as an integration engineer reads it.

#include <catch2/catch.hpp>

#include <optional>

#include "mapping_fixture.h"

using namespace rtw::mapping;
using namespace rtw::mapping::testing;

namespace {

// Loads a folder holding `text` as mapping.json; the error it fails with.
std::optional<MappingError> loadError(const std::string& text, MappingFolder& folder) {
  folder.write("mapping.json", text);
  try {
    folder.load();
  } catch (const MappingError& error) {
    return error;
  }
  return std::nullopt;
}

struct Expected {
  int line;
  std::string rule;
  std::string problem;
};

void checkError(const std::string& text, const Expected& expected) {
  MappingFolder folder;
  const auto error = loadError(text, folder);
  REQUIRE(error);
  CHECK(error->where().file == (folder.path() / "mapping.json").string());
  CHECK(error->where().line == expected.line);
  CHECK(error->where().rule == expected.rule);
  CHECK_THAT(error->problem(), Catch::Contains(expected.problem));
  // what() is what an operator sees: "FILE:LINE (rule RULE): problem".
  CHECK_THAT(std::string(error->what()),
             Catch::StartsWith((folder.path() / "mapping.json").string() + ":" +
                               std::to_string(expected.line) + " (rule " + expected.rule + ")"));
}

}  // namespace

TEST_CASE("a mapping that is not JSON names the line of the syntax error") {
  checkError("{\n  // comments are fine\n  \"messages\": {\n    \"REF^I12\": [1 2]\n  }\n}\n",
             {4, "file", "not valid JSON"});
}

TEST_CASE("JSON nested deeper than the cap is refused before it can exhaust the stack") {
  std::string deep = "{\"description\": ";
  for (int i = 0; i < 40; ++i) {
    deep += "[";
  }
  checkError(deep, {1, "file", "nests deeper than 32"});
}

TEST_CASE("an unknown key in a rule is named with its line") {
  checkError(referralMapping("\"referralId\": {\n\"hl7\": \"RF1-11\",\n\"requierd\": true }"),
             {8, "REF^I12 referralId", "unknown key 'requierd'"});
}

TEST_CASE("a key given twice is refused, not read as the last one") {
  // Two rules for one field: which one would win is not the engineer's intent.
  checkError(referralMapping("\"referralId\": \"RF1-11\",\n\"referralId\": \"RF1-6\""),
             {7, "file", "'messages.REF^I12.fields.referralId' appears twice (first on line 6)"});
}

TEST_CASE("an unknown key in a rule is named with the keys a rule takes") {
  checkError(referralMapping("\"referralId\": {\"hl7\": \"RF1-11\", \"requierd\": true }"),
             {6, "REF^I12 referralId", "(allowed: hl7, xpath, fhirpath, csv, field, where"});
}

TEST_CASE("an unknown target field names the element the schema lacks") {
  checkError(referralMapping("\"worker/nickname\": \"PID-5.3\""),
             {6, "REF^I12 worker/nickname", "unknown field 'worker/nickname'"});
}

TEST_CASE("a target with elements below it is not a field") {
  checkError(referralMapping("\"worker\": \"PID-5\""), {6, "REF^I12 worker", "is not a field"});
}

TEST_CASE("a bad HL7 path is refused at load") {
  checkError(referralMapping("\"referralId\": \"RF1-x.1\""),
             {6, "REF^I12 referralId", "'RF1-x.1' is not an HL7 path"});
}

TEST_CASE("a 'where' needs a path with one '*' to choose among") {
  checkError(referralMapping("\"header/claimNumber\": { \"hl7\": \"PID-3(2).1\", \"where\": "
                             "{ \".5\": \"WCN\" } }"),
             {6, "REF^I12 header/claimNumber", "exactly one '*'"});
}

TEST_CASE("'encoded' is true or false, on an HL7 field or component") {
  checkError(referralMapping("\"notes\": { \"hl7\": \"ACC-8\", \"encoded\": \"yes\" }"),
             {6, "REF^I12 notes", "'encoded' must be true or false"});
  checkError(referralMapping("\"notes\": { \"const\": \"x\", \"encoded\": true }"),
             {6, "REF^I12 notes",
              "'encoded' reads an HL7 field or component whole: it needs "
              "'hl7'"});
  checkError(referralMapping("\"notes\": { \"field\": \"referralId\", \"encoded\": true }"),
             {6, "REF^I12 notes", "it needs 'hl7'"});
  checkError(
      referralMapping("\"notes\": { \"hl7\": \"PID-5.1.2\", \"encoded\": true }"),
      {6, "REF^I12 notes", "'encoded' on PID-5.1.2: a subcomponent has no separators to keep"});
  MappingFolder folder;
  CHECK_FALSE(loadError(referralMapping("\"notes\": { \"hl7\": \"PID-5.1\", \"encoded\": true },\n"
                                        "\"service/description\": { \"hl7\": \"ACC-8\", "
                                        "\"encoded\": false }"),
                        folder));
}

TEST_CASE("an unknown code table is refused") {
  checkError(referralMapping("\"status\": { \"hl7\": \"RF1-1\", \"table\": \"statuses\" }"),
             {6, "REF^I12 status", "unknown code table 'statuses'"});
}

TEST_CASE("type mismatches: values the target cannot hold") {
  SECTION("a constant outside the target's enumeration") {
    checkError(referralMapping("\"status\": { \"const\": \"OPEN\" }"),
               {6, "REF^I12 status", "'OPEN' is not one of the values of status"});
  }
  SECTION("a code table whose values the target cannot hold") {
    checkError(
        referralMapping("\"status\": { \"hl7\": \"RF1-1\", \"table\": \"s\" }",
                        "\"tables\": { \"s\": { \"A\": \"ACCEPTED\", \"X\": \"Maybe\" } },\n"),
        {7, "REF^I12 status", "table 's' maps 'X' to 'Maybe'"});
  }
  SECTION("an HL7 timestamp into a date field without a date transform") {
    checkError(referralMapping("\"referralDate\": \"RF1-7\""),
               {6, "REF^I12 referralDate", "needs \"date\": \"date\""});
  }
  SECTION("a date transform into a text field") {
    checkError(referralMapping("\"notes\": { \"hl7\": \"ACC-1\", \"date\": \"date\" }"),
               {6, "REF^I12 notes", "'date' writes a date into 'notes'"});
  }
  SECTION("money into a text field") {
    checkError(referralMapping("\"notes\": { \"hl7\": \"FT1-11\", \"money\": true }"),
               {6, "REF^I12 notes", "not a number"});
  }
  SECTION("a default that is not a number for a number field") {
    checkError(
        referralMapping(
            "\"authorization/authorizedVisits\": { \"hl7\": \"AUT-9\", \"default\": \"x\" }"),
        {6, "REF^I12 authorization/authorizedVisits", "'x' is not a number"});
  }
}

TEST_CASE("fields the gateway fills cannot be mapped") {
  checkError(referralMapping("\"header/documentId\": { \"const\": \"x\" }"),
             {6, "REF^I12 header/documentId", "filled by the gateway"});
}

TEST_CASE("a repeat over an element that does not repeat is refused") {
  checkError(
      "{ \"messages\": { \"REF^I12\": { \"document\": \"referral\",\n"
      "  \"repeat\": [\n"
      "    { \"target\": \"worker\", \"each\": \"DG1[*]\", \"fields\": {} }\n"
      "  ] } } }\n",
      {3, "REF^I12 worker", "'worker' does not repeat"});
}

TEST_CASE("a rule with no source, or two, is refused") {
  checkError(referralMapping("\"notes\": { \"default\": \"none\" }"),
             {6, "REF^I12 notes", "needs a source"});
  checkError(referralMapping("\"notes\": { \"hl7\": \"ACC-8\", \"const\": \"x\" }"),
             {6, "REF^I12 notes", "exactly one source; this one has 2"});
}

TEST_CASE("an unknown document, a type mapped twice and a bad extends are refused") {
  checkError("{ \"messages\": {\n \"REF^I12\": {\n \"document\": \"memo\" } } }",
             {3, "REF^I12", "unknown document 'memo'"});
  MappingFolder folder;
  folder.write("a.json", referralMapping("\"notes\": \"ACC-8\""));
  folder.write("b.json", referralMapping("\"notes\": \"ACC-8\""));
  try {
    folder.load();
    FAIL("loaded a message type mapped twice");
  } catch (const MappingError& error) {
    CHECK(error.where().file == (folder.path() / "b.json").string());
    CHECK(error.where().line == 3);
    CHECK_THAT(error.problem(), Catch::Contains("REF^I12 is mapped twice"));
  }
  checkError(
      "{ \"messages\": {\n \"RRI^I12\": { \"document\": \"referral\",\n"
      " \"extends\": \"REF^I12\" } } }",
      {3, "RRI^I12", "'extends' names REF^I12, which is not mapped before"});
}

TEST_CASE("a code table file that is missing is named") {
  checkError("{\n \"tables\": {\n  \"fees\": \"tables/fees.json\"\n },\n \"messages\": {} }",
             {3, "table fees", "table file 'tables/fees.json' not found"});
}

TEST_CASE("a time zone policy that is not one is refused") {
  checkError("{\n \"timeZone\": \"PST\",\n \"messages\": {} }",
             {2, "timeZone", "unknown time zone 'PST': no file /usr/share/zoneinfo/PST"});
  checkError("{\n \"timeZone\": \"-0800\",\n \"messages\": {} }",
             {2, "timeZone", "'timeZone' must be \"reject\", \"UTC\", an offset"});
}

TEST_CASE("a folder without any message mapping, or no folder, fails") {
  MappingFolder folder;
  folder.write("tables.json", "{ \"tables\": { \"t\": { \"a\": \"b\" } } }");
  CHECK_THROWS_WITH(folder.load(), Catch::Contains("no message mapping in the folder"));
  CHECK_THROWS_WITH(MappingSet::load(folder.path() / "missing", *schemas()),
                    Catch::Contains("mapping folder not found"));
}

TEST_CASE("the shipped partner mappings load") {
  for (const char* partner : {"clinic01", "harbour-physio", "lakeshore-msk"}) {
    INFO(partner);
    const auto set =
        MappingSet::load(std::filesystem::path(RTW_SOURCE_DIR "/mappings") / partner, *schemas());
    CHECK_FALSE(set->messageTypes().empty());
  }
}

TEST_CASE("a mapping file above the size cap is refused without being parsed") {
  const std::string huge =
      "{ \"description\": \"" + std::string(std::size_t{1} << 20, 'x') + "\" }";
  checkError(huge, {1, "file", "larger than 1048576 bytes"});
}
