// Values from outside never reach a rule unbounded: patterns run on RE2
// (linear, no recursion: a 100 KB value under an `extract` used to overflow
// std::regex's stack and kill the gateway), a value longer than
// mappings.maxValueBytes is that rule's error finding naming its source, and
// a pattern RE2 cannot run is a load error with file, line and rule.

#include <catch2/catch.hpp>

#include "mapping_fixture.h"

using namespace rtw::mapping;
using namespace rtw::mapping::testing;

namespace {

// A referral mapping of one field run on a message whose ACC-8 is `note`.
Mapped runOnNote(const std::string& fields, const std::string& note, std::size_t max_value_bytes) {
  MappingFolder folder;
  folder.write("mapping.json", referralMapping(fields));
  MappingOptions options = singleRuleOptions();
  options.max_value_bytes = max_value_bytes;
  const auto set = MappingSet::load(folder.path(), *schemas(), options);
  const std::string hl7 =
      "MSH|^~\\&|EMR|FAC|RTWGW|WSBC|20250301101500-0800||REF^I12|M1|P|2.5.1\r"
      "PID|1||12345678^^^WSBC^WCN||Doe^Jane||19800101|F\r"
      "ACC|20250115||||Y|||" +
      note + "\r";
  auto parsed = rtw::hl7v2::Message::parse(hl7);
  REQUIRE(parsed.message);
  const MessageMapping* mapping = set->find("REF^I12");
  REQUIRE(mapping != nullptr);
  Mapped mapped{schemas()->newDocument(mapping->document), {}};
  mapped.evaluation = evaluate(*mapping, *set, Hl7Source(*parsed.message), mapped.document);
  return mapped;
}

const std::string kAbilityRule =
    "\"notes\": { \"hl7\": \"ACC-8\", \"extract\": \"^([^:]+):\", \"required\": true }";

}  // namespace

TEST_CASE("an extract over a 100 KB value runs in linear time and takes group 1") {
  // The review's crash: harbour-physio's `^([^:]+):` on a 100 KB note.
  const std::string note = std::string(100 * 1024, 'x') + ": 5 kg";
  const Mapped m = runOnNote(kAbilityRule, note, 1 << 20);
  CHECK_FALSE(m.evaluation.hasErrors());
  // The document's XSD caps notes; the rule itself took the whole group.
  CHECK(m.evaluation.findings.empty());
  CHECK(m.get("notes").size() == 100 * 1024);
}

TEST_CASE("a 5 MB value under a search condition is matched without recursion") {
  const std::string note = std::string(5 << 20, 'y') + "END";
  const Mapped m = runOnNote(
      "\"notes\": { \"const\": \"long\", \"if\": { \"hl7\": \"ACC-8\", \"matches\": \"(y|z)+END$\" "
      "} }",
      note, 8 << 20);
  CHECK(m.get("notes") == "long");
}

TEST_CASE("a value longer than mappings.maxValueBytes is the rule's error, naming the source") {
  const std::string note(64 * 1024 + 1, 'x');
  const Mapped m = runOnNote(kAbilityRule, note, 64 * 1024);
  CHECK(m.evaluation.hasErrors());
  CHECK(m.get("notes").empty());
  CHECK_THAT(m.findings(), Catch::Contains("ERROR notes: the value of ACC-8 is 65537 bytes, more "
                                           "than the 65536 a mapping rule takes "
                                           "(mappings.maxValueBytes)"));
  // One finding: not also "required, and gave no value".
  CHECK(m.evaluation.findings.size() == 1);
}

TEST_CASE("a value at the limit is taken") {
  const std::string note = std::string(64 * 1024 - 2, 'x') + ":y";
  const Mapped m = runOnNote(kAbilityRule, note, 64 * 1024);
  CHECK_FALSE(m.evaluation.hasErrors());
  CHECK(m.get("notes").size() == 64 * 1024 - 2);
}

TEST_CASE("a condition on a value past the limit does not hold and says why") {
  const std::string note(1000, 'x');
  const Mapped m = runOnNote(
      "\"notes\": { \"const\": \"long\", \"if\": { \"hl7\": \"ACC-8\", \"matches\": \"x\" } }",
      note, 999);
  CHECK(m.get("notes").empty());
  CHECK(m.evaluation.hasErrors());
  CHECK_THAT(m.findings(), Catch::Contains("the value of ACC-8 is 1000 bytes"));
}

TEST_CASE("a pattern RE2 cannot run is a load error with file, line and rule") {
  MappingFolder folder;
  for (const char* pattern : {"^(a)\\\\1$", "^(?=a)", "(?<=a)b", "[z-a]"}) {
    INFO(pattern);
    folder.write("mapping.json",
                 referralMapping("\"notes\": {\n\"hl7\": \"ACC-8\",\n\"extract\": \"" +
                                 std::string(pattern) + "\"\n}"));
    try {
      folder.load();
      FAIL("loaded");
    } catch (const MappingError& error) {
      CHECK(error.where().file == (folder.path() / "mapping.json").string());
      CHECK(error.where().line == 8);  // the "extract" key
      CHECK(error.where().rule == "REF^I12 notes");
      CHECK_THAT(error.problem(),
                 Catch::StartsWith("'extract' is not a regular expression RE2 accepts"));
    }
  }
}

TEST_CASE("a 'where' over more repetitions than mappings.maxRepeatItems is refused, not read") {
  MappingFolder folder;
  folder.write("mapping.json",
               referralMapping("\"header/claimNumber\": { \"hl7\": \"PID-3(*).1\", \"where\": "
                               "{ \".5\": \"WCN\" }, \"required\": true }"));
  MappingOptions options = singleRuleOptions();
  options.max_repeat_items = 1000;
  const auto set = MappingSet::load(folder.path(), *schemas(), options);
  std::string ids;
  for (int i = 0; i < 200'000; ++i) {
    ids += "111^^^X^MR~";
  }
  const std::string hl7 =
      "MSH|^~\\&|EMR|FAC|RTWGW|WSBC|20250301101500-0800||REF^I12|M1|P|2.5.1\r"
      "PID|1||" +
      ids + "12345678^^^WSBC^WCN||Doe^Jane\r";
  auto parsed = rtw::hl7v2::Message::parse(hl7);
  REQUIRE(parsed.message);
  const MessageMapping* mapping = set->find("REF^I12");
  Mapped m{schemas()->newDocument(mapping->document), {}};
  m.evaluation = evaluate(*mapping, *set, Hl7Source(*parsed.message), m.document);
  CHECK(m.evaluation.hasErrors());
  CHECK(m.evaluation.findings.size() == 1);  // not also "required, gave no value"
  CHECK_THAT(m.findings(), Catch::Contains("PID-3(*) selects 200001 items, more than the 1000"));
}

TEST_CASE("a repeat over more segments than mappings.maxRepeatItems is refused") {
  MappingFolder folder;
  // A repeat: one diagnosis per DG1.
  folder.write("mapping.json",
               "{ \"messages\": { \"REF^I12\": { \"document\": \"referral\", \"fields\": {},"
               " \"repeat\": [ { \"target\": \"injury\", \"each\": \"DG1[*]\", \"fields\": {"
               " \"diagnosisCode\": \"DG1-3.1\" } } ] } } }");
  MappingOptions options = singleRuleOptions();
  options.max_repeat_items = 10;
  const auto set = MappingSet::load(folder.path(), *schemas(), options);
  std::string hl7 = "MSH|^~\\&|EMR|FAC|RTWGW|WSBC|20250301101500-0800||REF^I12|M1|P|2.5.1\r";
  for (int i = 0; i < 11; ++i) {
    hl7 += "DG1|" + std::to_string(i + 1) + "||S33.5^Sprain^I10\r";
  }
  auto parsed = rtw::hl7v2::Message::parse(hl7);
  REQUIRE(parsed.message);
  const MessageMapping* mapping = set->find("REF^I12");
  Mapped m{schemas()->newDocument(mapping->document), {}};
  m.evaluation = evaluate(*mapping, *set, Hl7Source(*parsed.message), m.document);
  CHECK_THAT(m.findings(), Catch::Contains("DG1[*] selects 11 items, more than the 10"));
  CHECK(m.document.count("injury") == 0);
}
