// Reading XML back into a Document (board simulator, reverse direction).

#include <catch2/catch.hpp>

#include "referral_fixture.h"

using namespace rtw::worksafe;
using rtw::worksafe::test::buildReferral;
using rtw::worksafe::test::fullReferral;
using rtw::worksafe::test::schemas;

TEST_CASE("build, write, read and write again gives the same XML", "[read]") {
  const Document built = buildReferral(fullReferral());
  const std::string xml = built.toXml();
  const Document read = schemas()->read(xml);
  CHECK(read.type() == DocumentType::kReferral);
  CHECK(read.toXml() == xml);
  for (const auto& [path, value] : fullReferral()) {
    INFO(path);
    CHECK(read.get(path) == value);
  }
  CHECK(read.count("injury") == 2);
}

TEST_CASE("read() takes XML written by others: prefixes, CDATA, references, comments", "[read]") {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<r:Referral xmlns:r=\"urn:rtw:worksafe:referral:v1\"><!-- from the board -->"
      "<r:worker><r:family>O&apos;Neil &amp; Sons</r:family><r:given><![CDATA[<Jane>]]></r:given>"
      "<r:birthDate>1980-01-01</r:birthDate></r:worker>"
      "<r:injury><r:nature>&#x53;prain</r:nature></r:injury><r:injury><r:side>L</r:side></r:injury>"
      "</r:Referral>";
  const Document document = schemas()->read(xml);
  CHECK(document.get("worker/family") == "O'Neil & Sons");
  CHECK(document.get("worker/given") == "<Jane>");
  CHECK(document.get("injury[1]/nature") == "Sprain");
  CHECK(document.get("injury[2]/side") == "L");
  CHECK(document.count("injury") == 2);
}

TEST_CASE("read() refuses what it cannot represent, with a clear message", "[read]") {
  const auto readError = [](const std::string& xml) -> std::string {
    try {
      schemas()->read(xml);
    } catch (const std::runtime_error& error) {
      return error.what();
    }
    FAIL("read() accepted: " << xml);
    return {};
  };
  CHECK_THAT(readError("<Referral"),
             Catch::StartsWith("cannot read the WorkSafe document: line 1"));
  CHECK_THAT(readError("<Claim xmlns=\"urn:example:claim\"/>"),
             Catch::Contains("unknown namespace 'urn:example:claim'"));
  CHECK_THAT(readError("<Referral/>"), Catch::Contains("unknown namespace ''"));
  CHECK_THAT(readError("<Report xmlns=\"urn:rtw:worksafe:referral:v1\"/>"),
             Catch::Contains("the root element must be 'Referral'"));
  CHECK_THAT(readError("<Referral "
                       "xmlns=\"urn:rtw:worksafe:referral:v1\"><worker><nickname>JD</nickname></"
                       "worker></Referral>"),
             Catch::Contains("unexpected element 'nickname' under 'worker'"));
  CHECK_THAT(
      readError(
          "<Referral xmlns=\"urn:rtw:worksafe:referral:v1\"><worker>Jane</worker></Referral>"),
      Catch::Contains("'worker' holds text") && !Catch::Contains("Jane"));
  CHECK_THAT(
      readError(
          "<Referral xmlns=\"urn:rtw:worksafe:referral:v1\"><notes><b>x</b></notes></Referral>"),
      Catch::Contains("'notes' holds elements"));
  CHECK_THAT(
      readError(
          "<Referral "
          "xmlns=\"urn:rtw:worksafe:referral:v1\"><status>A</status><status>B</status></Referral>"),
      Catch::Contains("'status' occurs once"));
  CHECK_THAT(
      readError(
          "<Referral xmlns=\"urn:rtw:worksafe:referral:v1\"><notes>a\x01z</notes></Referral>"),
      Catch::Contains("line 1"));
}
