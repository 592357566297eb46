// validateDocument(): the XSD and the board rules in one answer, which board
// is asked, what happens to text that is not a document, and many threads
// sharing one SchemaSet and one BoardProfiles.

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "example_fixture.h"

using namespace rtw::worksafe;
using namespace rtw::worksafe::test;

namespace {

const std::string kReferral = "referral-wsbc-crrtw.xml";

std::vector<Problem> checkWith(const std::string& xml, const ValidationOptions& options) {
  return validateDocument(*schemas(), *profiles(), xml, options);
}

ValidationOptions asOfExampleDay() {
  ValidationOptions options;
  options.today = exampleToday();
  return options;
}

}  // namespace

TEST_CASE("schema and rule problems come together, the schema's first", "[validate-document]") {
  requireProblems(
      variant(kReferral, {},
              {{"injury[1]/side", "X"}, {"worker/healthNumber/value", "9698648215"}}),
      {error("SCHEMA", "injury[1]/side",
             "[facet 'enumeration'] The value is not an element of the set {'L', 'R', 'B', "
             "'N'}."),
       error("BC_PHN_CHECK", "worker/healthNumber/value", "the BC PHN check digit is wrong")});
}

TEST_CASE("a missing required element is the schema's problem, not the rules'",
          "[validate-document]") {
  requireOnly(variant("invoice-wsib-training.xml", {"line[3]/amount"},
                      {{"subtotal", "4337.97"}, {"total", "4366.31"}}),
              error("SCHEMA", "line[3]/amount", "required element 'amount' is missing"));
}

TEST_CASE("a document the reader cannot follow gets its schema problems only",
          "[validate-document]") {
  std::string xml = example(kReferral);
  xml.replace(xml.find("<notes>"), 7, "<secret>x</secret><notes>");
  const auto problems = check(xml);
  REQUIRE_FALSE(problems.empty());
  for (const auto& problem : problems) {
    CHECK(problem.code == "SCHEMA");
  }
}

TEST_CASE("text that is not a WorkSafe document", "[validate-document]") {
  requireOnly(
      "<Referral xmlns=\"urn:example\"/>",
      error("DOCUMENT_TYPE", "", "not a WorkSafe document (unknown root element or namespace)"));
  const auto broken = check("<Referral xmlns=\"urn:rtw:worksafe:referral:v1\">");
  REQUIRE_FALSE(broken.empty());
  CHECK(broken.front().code == "XML");
  CHECK(broken.front().path.empty());
  requireOnly("", error("XML", "", "empty document"));
  const auto doctype = check("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>");
  REQUIRE(doctype.size() == 1);
  CHECK(doctype.front().message == "DOCTYPE not allowed");
}

TEST_CASE("an expected type refuses another document type", "[validate-document]") {
  ValidationOptions options = asOfExampleDay();
  options.expected_type = DocumentType::kInvoice;
  const auto problems = checkWith(example(kReferral), options);
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().code == "DOCUMENT_TYPE");
  CHECK_THAT(problems.front().message, Catch::StartsWith("the root element must be 'Invoice'"));
  options.expected_type = DocumentType::kReferral;
  CHECK(checkWith(example(kReferral), options).empty());
}

TEST_CASE("the board option overrides the header's board", "[validate-document]") {
  ValidationOptions options = asOfExampleDay();
  options.board = "WSIB";
  const auto problems = checkWith(example(kReferral), options);
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().code == "PROGRAM_UNKNOWN");
  CHECK(problems.front().message == "not a program of the WSIB profile");
}

TEST_CASE("a board without a loaded profile", "[validate-document]") {
  const auto only_bc = BoardProfiles::of({*profiles()->find("WSBC")});
  const auto problems =
      validateDocument(*schemas(), *only_bc, example("referral-wsib-declined.xml"), exampleToday());
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().code == "BOARD_PROFILE");
  CHECK(problems.front().path == "header/board");
  CHECK(problems.front().message == "no board profile is loaded for this board");
}

TEST_CASE("checkBoardRules() works on a document built in code", "[validate-document]") {
  Document document = schemas()->read(example("invoice-wsbc-crrtw.xml"));
  REQUIRE_FALSE(document.set("line[1]/claimNumber", "87654321").has_value());
  const auto problems = checkBoardRules(document, *schemas()->model(DocumentType::kInvoice),
                                        *profiles()->find("WSBC"), exampleToday());
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().code == "ONE_WORKER");
  CHECK(hasErrors(problems));
  CHECK_FALSE(hasErrors({Problem{Problem::Severity::kWarning, "notes", "old wording"}}));
}

TEST_CASE("problem messages never hold the document's values", "[validate-document][phi]") {
  const std::string xml = variant(kReferral, {},
                                  {{"worker/healthNumber/value", "9698648215"},
                                   {"header/claimNumber", "7777777"},
                                   {"worker/address/postalCode", "ZZZ999"},
                                   {"dateOfInjury", "2025-03-02"}});
  const auto problems = check(xml);
  REQUIRE(problems.size() == 4);
  for (const auto& problem : problems) {
    for (const char* value : {"9698648215", "7777777", "ZZZ999", "2025-03-02", "2025-03-01"}) {
      CHECK_THAT(problem.message, !Catch::Contains(value));
    }
  }
}

TEST_CASE("four threads checking documents and rules at once agree with one",
          "[validate-document][threads]") {
  std::vector<std::string> documents;
  for (const auto& name : exampleNames()) {
    documents.push_back(example(name));
  }
  documents.push_back(readText(dataDir() / "problems" / "invoice-broken.xml"));
  std::vector<std::string> expected;
  for (const auto& xml : documents) {
    expected.push_back(describe(check(xml)));
  }
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 5; ++round) {
        for (std::size_t i = 0; i < documents.size(); ++i) {
          if (describe(check(documents[i])) != expected[i]) {
            ++mismatches;
          }
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(mismatches == 0);
  CHECK_FALSE(expected.back().empty());
}

TEST_CASE("the rules on the document the XML was written from say what they say on the XML",
          "[validate-document]") {
  // The translate worker has the Document it serialised; reading the XML
  // back for the rules would only repeat it. Both ways must agree, problems
  // and all (here a schema problem and a rule problem).
  for (const std::string& name : {std::string(kReferral), std::string("invoice-wsbc-crrtw.xml")}) {
    Document document = schemas()->read(example(name));
    if (document.type() == DocumentType::kReferral) {
      REQUIRE_FALSE(document.set("worker/healthNumber/value", "9698648215").has_value());
    }
    const std::string xml = document.toXml();
    ValidationOptions options = asOfExampleDay();
    const std::vector<Problem> read_back = checkWith(xml, options);
    options.written_from = &document;
    const std::vector<Problem> written = checkWith(xml, options);
    REQUIRE(written.size() == read_back.size());
    for (std::size_t i = 0; i < written.size(); ++i) {
      CHECK(format(written[i]) == format(read_back[i]));
    }
    if (document.type() == DocumentType::kReferral) {
      CHECK(written.size() == 1);  // BC_PHN_CHECK: the rules did run
      // ... on the given document: one without the mistake answers for it.
      const Document clean = schemas()->read(example(name));
      options.written_from = &clean;
      CHECK(checkWith(xml, options).empty());
    }
  }
}
