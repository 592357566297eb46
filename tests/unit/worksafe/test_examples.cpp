// The example documents of tests/data/worksafe: valid for their board as of
// a fixed day, one at least of every document type and every report and
// record type, and stable through read -> write -> read -> write.

#include <catch2/catch.hpp>
#include <map>

#include "example_fixture.h"

using namespace rtw::worksafe;
using namespace rtw::worksafe::test;

TEST_CASE("every example document is valid for its board", "[examples]") {
  const auto names = exampleNames();
  REQUIRE(names.size() >= 13);
  for (const auto& name : names) {
    INFO(name);
    const auto problems = check(example(name));
    INFO(describe(problems));
    CHECK(problems.empty());
  }
}

TEST_CASE("the examples cover every document, report and record type", "[examples]") {
  std::map<std::string, int> kinds;
  for (const auto& name : exampleNames()) {
    const Document document = schemas()->read(example(name));
    std::string kind(toString(document.type()));
    if (document.type() == DocumentType::kReport) {
      kind += ":" + document.get("reportType").value_or("");
    } else if (document.type() == DocumentType::kTrainingReport) {
      kind += ":" + document.get("recordType").value_or("");
    }
    ++kinds[kind + "@" + document.get("header/board").value_or("")];
    ++kinds[kind];
  }
  for (const char* kind :
       {"referral", "report:INITIAL", "report:PROGRESS", "report:DISCHARGE", "invoice",
        "training-report:ENROLMENT", "training-report:ATTENDANCE", "training-report:PROGRESS",
        "training-report:COMPLETION", "training-report:WITHDRAWAL"}) {
    INFO(kind);
    CHECK(kinds[kind] >= 1);
  }
  // Both boards are represented where both take the document.
  CHECK(kinds["referral@WSBC"] >= 1);
  CHECK(kinds["referral@WSIB"] >= 1);
  CHECK(kinds["invoice@WSBC"] >= 1);
  CHECK(kinds["invoice@WSIB"] >= 1);
}

TEST_CASE("each example survives read, write, read and write unchanged", "[examples][read]") {
  for (const auto& name : exampleNames()) {
    INFO(name);
    const std::string text = example(name);
    const Document first = schemas()->read(text);
    const std::string xml = first.toXml();
    // The files are kept in the writer's own layout.
    CHECK(xml == text);
    const Document second = schemas()->read(xml);
    CHECK(second.type() == first.type());
    CHECK(second.toXml() == xml);
    CHECK(fieldsOf(second) == fieldsOf(first));
  }
}

TEST_CASE("each example built field by field writes the same XML", "[examples][document]") {
  for (const auto& name : exampleNames()) {
    INFO(name);
    const Document read = schemas()->read(example(name));
    Document built = schemas()->newDocument(read.type());
    for (const auto& [path, value] : fieldsOf(read)) {
      INFO(path);
      REQUIRE_FALSE(built.set(path, value).has_value());
    }
    CHECK(built.toXml() == example(name));
    CHECK(schemas()->validate(built.type(), built.toXml()).empty());
  }
}
