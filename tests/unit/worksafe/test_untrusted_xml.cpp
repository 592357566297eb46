// XML from outside that tries more than carrying a document: DOCTYPEs and
// entities, schema hints, broken or oversized text. None of it may read a
// file, touch the network, expand anything or print to stderr.

#include <catch2/catch.hpp>
#include <chrono>

#include "referral_fixture.h"
#include "stderr_capture.h"

using namespace rtw::worksafe;
using rtw::worksafe::test::buildReferral;
using rtw::worksafe::test::describe;
using rtw::worksafe::test::fullReferral;
using rtw::worksafe::test::referralXmlWith;
using rtw::worksafe::test::schemas;
using rtw::worksafe::test::StderrCapture;
using rtw::worksafe::test::TempDir;
using rtw::worksafe::test::validateReferral;

TEST_CASE("DOCTYPEs are refused before any entity is read or expanded", "[validate][security]") {
  TempDir dir;
  dir.write("secret.txt", "TOP-SECRET-MARKER");
  const std::string external =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE Referral [\n  <!ENTITY xxe SYSTEM \"file://" +
      (dir.path() / "secret.txt").string() +
      "\">\n]>\n<Referral xmlns=\"urn:rtw:worksafe:referral:v1\"><referralId>&xxe;"
      "</referralId></Referral>";
  const std::string passwd =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE Referral [<!ENTITY xxe SYSTEM "
      "\"file:///etc/passwd\">]>\n<Referral xmlns=\"urn:rtw:worksafe:referral:v1\">"
      "<notes>&xxe;</notes></Referral>";
  std::string laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n  <!ENTITY lol \"lol\">\n";
  for (int level = 1; level <= 9; ++level) {
    const std::string previous = level == 1 ? "lol" : "lol" + std::to_string(level - 1);
    laughs += "  <!ENTITY lol" + std::to_string(level) + " \"";
    for (int i = 0; i < 10; ++i) {
      laughs += "&" + previous + ";";
    }
    laughs += "\">\n";
  }
  laughs += "]>\n<Referral xmlns=\"urn:rtw:worksafe:referral:v1\"><notes>&lol9;</notes></Referral>";
  const std::string network =
      "<!DOCTYPE Referral SYSTEM \"http://127.0.0.1:9/referral.dtd\">\n"
      "<Referral xmlns=\"urn:rtw:worksafe:referral:v1\"/>";

  StderrCapture stderr_capture;
  for (const std::string& xml : {external, passwd, laughs, network}) {
    const auto started = std::chrono::steady_clock::now();
    const auto problems = validateReferral(xml);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().message == "DOCTYPE not allowed");
    CHECK_FALSE(schemas()->detectType(xml));
    try {
      schemas()->read(xml);
      FAIL("read() accepted a DOCTYPE");
    } catch (const std::runtime_error& error) {
      const std::string what = error.what();
      CHECK(what.find("DOCTYPE not allowed") != std::string::npos);
      CHECK(what.find("TOP-SECRET-MARKER") == std::string::npos);
      CHECK(what.find("root:") == std::string::npos);
    }
  }
  CHECK(stderr_capture.text().empty());
}

TEST_CASE("schema location hints in a document are not followed", "[validate][security]") {
  StderrCapture stderr_capture;
  const std::string xml = referralXmlWith(
      "<Referral xmlns=\"urn:rtw:worksafe:referral:v1\">",
      "<Referral xmlns=\"urn:rtw:worksafe:referral:v1\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"urn:rtw:worksafe:referral:v1 http://127.0.0.1:9/referral.xsd "
      "urn:example:other /nonexistent/other.xsd\">");
  const auto problems = validateReferral(xml);
  INFO(describe(problems));
  CHECK(problems.empty());
  CHECK(stderr_capture.text().empty());
}

TEST_CASE("XML that does not parse, or is too large, is one clear problem", "[validate]") {
  StderrCapture stderr_capture;
  SECTION("truncated") {
    const std::string xml = buildReferral(fullReferral()).toXml();
    const auto problems = validateReferral(xml.substr(0, xml.size() / 2));
    REQUIRE_FALSE(problems.empty());
    CHECK(problems.front().path.empty());
    CHECK_THAT(problems.front().message, Catch::StartsWith("line "));
  }
  SECTION("bad bytes are not echoed") {
    const auto problems = validateReferral(
        "<Referral "
        "xmlns=\"urn:rtw:worksafe:referral:v1\"><notes>Jane\xC3\x28\xC3\x28</notes></Referral>");
    REQUIRE_FALSE(problems.empty());
    CHECK(problems.front().message.find("0xC3") == std::string::npos);
  }
  SECTION("an undeclared entity") {
    const auto problems =
        validateReferral("<Referral xmlns=\"urn:rtw:worksafe:referral:v1\">&xxe;</Referral>");
    REQUIRE_FALSE(problems.empty());
    CHECK(problems.front().message.find("xxe") != std::string::npos);
  }
  SECTION("an unknown encoding") {
    const auto problems = validateReferral(
        "<?xml version=\"1.0\" encoding=\"x-no-such-encoding\"?>\n"
        "<Referral xmlns=\"urn:rtw:worksafe:referral:v1\"/>");
    REQUIRE_FALSE(problems.empty());
    CHECK(problems.front().path.empty());
  }
  SECTION("a second root") {
    const auto problems = validateReferral(
        "<Referral xmlns=\"urn:rtw:worksafe:referral:v1\"/><Referral "
        "xmlns=\"urn:rtw:worksafe:referral:v1\"/>");
    REQUIRE_FALSE(problems.empty());
  }
  SECTION("empty") {
    const auto problems = validateReferral("");
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().message == "empty document");
  }
  SECTION("larger than the cap") {
    std::string xml = buildReferral(fullReferral()).toXml();
    xml.insert(xml.find("</Referral>"), std::string(kMaxDocumentBytes, ' '));
    const auto problems = validateReferral(xml);
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().message.find("larger than") != std::string::npos);
  }
  CHECK(stderr_capture.text().empty());
}
