// Building documents by path: what set() accepts and refuses, where the
// elements end up, and the XML that comes out.

#include <algorithm>
#include <catch2/catch.hpp>

#include "referral_fixture.h"

using namespace rtw::worksafe;
using rtw::worksafe::test::buildReferral;
using rtw::worksafe::test::fullReferral;
using rtw::worksafe::test::schemas;

namespace {

Document emptyReferral() { return schemas()->newDocument(DocumentType::kReferral); }

std::vector<std::string> childNames(const Document::Node& node) {
  std::vector<std::string> names;
  for (const auto& child : node.children) {
    names.push_back(child.name);
  }
  return names;
}

}  // namespace

TEST_CASE("a small document is written in schema order with escaping and 2-space indentation",
          "[document]") {
  Document document = emptyReferral();
  REQUIRE_FALSE(document.set("worker/given", "Jane"));
  REQUIRE_FALSE(document.set("injury[2]/side", "R"));
  REQUIRE_FALSE(document.set("header/documentId", "0f8fad5b-d9cb-469f-a165-70867728950e"));
  REQUIRE_FALSE(document.set("worker/family", "O'Neil & <Sons> \"Ltd\" ]]>"));
  REQUIRE_FALSE(document.set("status", "ASSIGNED"));

  CHECK(document.toXml() ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Referral xmlns=\"urn:rtw:worksafe:referral:v1\">\n"
        "  <header>\n"
        "    <documentId>0f8fad5b-d9cb-469f-a165-70867728950e</documentId>\n"
        "  </header>\n"
        "  <status>ASSIGNED</status>\n"
        "  <worker>\n"
        "    <family>O'Neil &amp; &lt;Sons&gt; \"Ltd\" ]]&gt;</family>\n"
        "    <given>Jane</given>\n"
        "  </worker>\n"
        "  <injury/>\n"
        "  <injury>\n"
        "    <side>R</side>\n"
        "  </injury>\n"
        "</Referral>\n");
}

TEST_CASE("non-ASCII text is written as UTF-8, not as character references", "[document]") {
  Document document = emptyReferral();
  REQUIRE_FALSE(document.set("worker/family", "Côté-Łukasz 山田"));
  CHECK(document.toXml().find("<family>Côté-Łukasz 山田</family>") != std::string::npos);
}

TEST_CASE("the order of set() calls does not change the document", "[document]") {
  std::vector<test::Field> reversed = fullReferral();
  std::reverse(reversed.begin(), reversed.end());
  std::vector<test::Field> shuffled = fullReferral();
  std::rotate(shuffled.begin(), shuffled.begin() + 23, shuffled.end());

  const std::string expected = buildReferral(fullReferral()).toXml();
  CHECK(buildReferral(reversed).toXml() == expected);
  CHECK(buildReferral(shuffled).toXml() == expected);

  const Document document = buildReferral(reversed);
  CHECK(childNames(document.root()) ==
        std::vector<std::string>{"header", "referralId", "referralDate", "status", "statusReason",
                                 "worker", "dateOfInjury", "injury", "injury", "employer",
                                 "requester", "provider", "authorization", "service", "service",
                                 "appointment", "notes"});
}

TEST_CASE("setting a later repeat first creates the earlier ones, in index order", "[document]") {
  Document document = emptyReferral();
  REQUIRE_FALSE(document.set("injury[3]/nature", "third"));
  REQUIRE_FALSE(document.set("injury[1]/nature", "first"));
  REQUIRE_FALSE(document.set("injury[2]/nature", "second"));
  CHECK(document.count("injury") == 3);
  CHECK(document.get("injury[1]/nature") == "first");
  CHECK(document.get("injury/nature") == "first");  // no index means the first
  CHECK(document.get("injury[2]/nature") == "second");
  CHECK(document.get("injury[3]/nature") == "third");
  CHECK(document.count("injury[3]") == 1);
  CHECK(document.count("injury[4]") == 0);
}

TEST_CASE("get and count on a built document", "[document]") {
  const Document document = buildReferral(fullReferral());
  CHECK(document.get("worker/healthNumber/value") == "9698658215");
  CHECK(document.get("worker/address/line[2]") == "Unit 5");
  CHECK(document.get("notes") == "Lifting boxes & twisting <see ACC>");
  CHECK_FALSE(document.get("worker"));           // not a value
  CHECK_FALSE(document.get("injury[3]/side"));   // not there
  CHECK_FALSE(document.get("worker/nickname"));  // not in the schema
  CHECK_FALSE(document.get("worker//family"));   // malformed
  CHECK(document.count("injury") == 2);
  CHECK(document.count("service") == 2);
  CHECK(document.count("worker/address/line") == 2);
  CHECK(document.count("worker") == 1);
  CHECK(document.count("worker/nickname") == 0);
  CHECK(emptyReferral().count("injury") == 0);
}

TEST_CASE("a set() outside the schema is a problem naming the path", "[document]") {
  Document document = emptyReferral();
  REQUIRE_FALSE(document.set("worker/family", "Doe"));
  const std::string before = document.toXml();

  SECTION("unknown element") {
    const auto problem = document.set("worker/nickname", "JD");
    REQUIRE(problem);
    CHECK(problem->severity == Problem::Severity::kError);
    CHECK(problem->path == "worker/nickname");
    CHECK(problem->message == "no element 'nickname' under 'worker' in the Referral schema");
    CHECK(format(*problem) ==
          "ERROR worker/nickname: no element 'nickname' under 'worker' in the Referral schema");
    CHECK(document.toXml() == before);  // a refused set() leaves nothing behind
  }
  SECTION("unknown top-level element") {
    const auto problem = document.set("claimant/family", "Doe");
    REQUIRE(problem);
    CHECK(problem->message == "no element 'claimant' under 'Referral' in the Referral schema");
  }
  SECTION("a child of a value") {
    const auto problem = document.set("worker/family/prefix", "Dr");
    REQUIRE(problem);
    CHECK(problem->message == "no element 'prefix' under 'family' in the Referral schema");
  }
  SECTION("index past maxOccurs") {
    const auto line = document.set("worker/address/line[4]", "x");
    REQUIRE(line);
    CHECK(line->path == "worker/address/line[4]");
    CHECK(line->message ==
          "'line' occurs at most 3 times in the Referral schema; index 4 is out of range");
    const auto worker = document.set("worker[2]/family", "x");
    REQUIRE(worker);
    CHECK(worker->message ==
          "'worker' occurs once in the Referral schema; index 2 is out of range");
    CHECK(document.toXml() == before);
  }
  SECTION("an unbounded element still has a ceiling") {
    const auto problem = document.set("injury[4000000000]/side", "L");
    REQUIRE(problem);
    CHECK(problem->message.find("beyond the gateway's limit") != std::string::npos);
  }
  SECTION("an element with children is not a value") {
    const auto worker = document.set("worker", "Doe");
    REQUIRE(worker);
    CHECK(worker->path == "worker");
    CHECK(worker->message.find("'worker' has child elements") != std::string::npos);
    CHECK(document.set("worker/healthNumber", "9698658215"));
    CHECK(document.set("injury[2]", "x"));
    CHECK(document.toXml() == before);
  }
  SECTION("malformed paths") {
    for (const char* path : {"", "/worker", "worker/", "worker//family", "injury[0]/side",
                             "injury[x]/side", "injury[2/side", "injury[]/side", "injury[-1]/side",
                             "wor ker/family", "1worker", "injury[99999999999999999999999]/side"}) {
      INFO(path);
      const auto problem = document.set(path, "x");
      REQUIRE(problem);
      CHECK(problem->message.find("malformed path") == 0);
    }
    CHECK(document.toXml() == before);
  }
  SECTION("text XML cannot carry") {
    for (const std::string& value :
         {std::string("a\x01z"), std::string("a\0z", 3), std::string("\xC3\x28"),
          std::string("\xED\xA0\x80"), std::string("\xEF\xBF\xBF")}) {
      const auto problem = document.set("worker/given", value);
      REQUIRE(problem);
      CHECK(problem->message.find(value) == std::string::npos);
    }
    CHECK(document.toXml() == before);
    CHECK_FALSE(document.set("worker/given", "tab\tand\nnewline\r"));
    REQUIRE_FALSE(document.set("worker/given", std::string()));
  }
}

TEST_CASE("setting a value twice keeps the last one", "[document]") {
  Document document = emptyReferral();
  REQUIRE_FALSE(document.set("status", "ASSIGNED"));
  REQUIRE_FALSE(document.set("status", "ACCEPTED"));
  CHECK(document.get("status") == "ACCEPTED");
  CHECK(document.root().children.size() == 1);
}

TEST_CASE("format() spells severity, path and message", "[document]") {
  CHECK(format(Problem{Problem::Severity::kError, "worker/family", "missing"}) ==
        "ERROR worker/family: missing");
  CHECK(format(Problem{Problem::Severity::kWarning, "notes", "old wording"}) ==
        "WARNING notes: old wording");
  CHECK(format(Problem{Problem::Severity::kError, "", "DOCTYPE not allowed"}) ==
        "ERROR: DOCTYPE not allowed");
}

TEST_CASE("document type names are the board's URL segments", "[document]") {
  for (DocumentType type : {DocumentType::kReferral, DocumentType::kReport, DocumentType::kInvoice,
                            DocumentType::kTrainingReport}) {
    CHECK(documentTypeFromName(toString(type)) == type);
  }
  CHECK(toString(DocumentType::kTrainingReport) == "training-report");
  CHECK_FALSE(documentTypeFromName("Referral"));
  CHECK_FALSE(documentTypeFromName(""));
}

TEST_CASE("a document needs the schema model of its type", "[document]") {
  CHECK_THROWS_AS(Document(DocumentType::kReferral, nullptr), std::invalid_argument);
  CHECK_THROWS_AS(Document(DocumentType::kInvoice, schemas()->model(DocumentType::kReferral)),
                  std::invalid_argument);
  if (!schemas()->has(DocumentType::kInvoice)) {
    CHECK_THROWS_AS(schemas()->newDocument(DocumentType::kInvoice), std::invalid_argument);
    CHECK_THROWS_AS(schemas()->model(DocumentType::kInvoice), std::invalid_argument);
  }
}

TEST_CASE("an empty value and line breaks are written so that a parser reads them back as set",
          "[document]") {
  Document document = emptyReferral();
  REQUIRE_FALSE(document.set("worker/given", ""));
  REQUIRE_FALSE(document.set("worker/family", "a\r\nb\tc\nd\re 'q' \"d\" &amp; >"));
  const std::string xml = document.toXml();
  CHECK(xml ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Referral xmlns=\"urn:rtw:worksafe:referral:v1\">\n"
        "  <worker>\n"
        "    <family>a&#13;\nb\tc\nd&#13;e 'q' \"d\" &amp;amp; &gt;</family>\n"
        "    <given></given>\n"
        "  </worker>\n"
        "</Referral>\n");
  const Document read = schemas()->read(xml);
  CHECK(read.get("worker/family") == "a\r\nb\tc\nd\re 'q' \"d\" &amp; >");
  CHECK(read.get("worker/given") == "");
}
