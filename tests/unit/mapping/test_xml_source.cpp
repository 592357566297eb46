// XPath rules over an XML source (for the XML intakes to come).

#include <catch2/catch.hpp>

#include "mapping_fixture.h"
#include "rtw/hl7v2/message.h"
#include "rtw/mapping/xml_source.h"

using namespace rtw::mapping;
using namespace rtw::mapping::testing;

namespace {

const std::string kXml =
    "<Referral xmlns:x='urn:x'><Claim number='12345678'/>"
    "<Worker><Name family='Doe' given='Jane'/><Born>19800101</Born></Worker></Referral>";

const std::string kMapping = referralMapping(
    "\"header/claimNumber\": { \"xpath\": \"/Referral/Claim/@number\" },\n"
    "\"worker/family\": { \"xpath\": \"//Name/@family\", \"case\": \"upper\" },\n"
    "\"worker/birthDate\": { \"xpath\": \"//Born\", \"date\": \"date\" },\n"
    "\"worker/phone\": { \"xpath\": \"//Phone\" }");

}  // namespace

TEST_CASE("xpath rules read an XML source, with the same transforms and warnings") {
  MappingFolder folder;
  folder.write("mapping.json", kMapping);
  const auto set = folder.load();
  std::string error;
  const auto source = XmlSource::parse(kXml, error);
  REQUIRE(source);
  auto document = schemas()->newDocument(rtw::worksafe::DocumentType::kReferral);
  const Evaluation evaluation = evaluate(*set->find("REF^I12"), *set, *source, document);
  CHECK(document.get("header/claimNumber") == std::optional<std::string>("12345678"));
  CHECK(document.get("worker/family") == std::optional<std::string>("DOE"));
  CHECK(document.get("worker/birthDate") == std::optional<std::string>("1980-01-01"));
  REQUIRE(evaluation.findings.size() == 1);
  CHECK(format(evaluation.findings[0]) ==
        "WARNING worker/phone: left empty: its source //Phone gave no value [" +
            (folder.path() / "mapping.json").string() + ":9 (rule REF^I12 worker/phone)]");
}

TEST_CASE("an xpath rule on an HL7 message is an error, not a silent gap") {
  auto parsed = rtw::hl7v2::Message::parse("MSH|^~\\&|A|B|C|D|20250101||REF^I12|1|P|2.5\r");
  REQUIRE(parsed.message);
  MappingFolder folder;
  folder.write("mapping.json", kMapping);
  const auto set = folder.load();
  auto document = schemas()->newDocument(rtw::worksafe::DocumentType::kReferral);
  const Evaluation evaluation =
      evaluate(*set->find("REF^I12"), *set, Hl7Source(*parsed.message), document);
  CHECK(evaluation.hasErrors());
  CHECK(evaluation.findings[0].message ==
        "this message has no XML content to read /Referral/Claim/@number from");
}

TEST_CASE("a bad XPath fails at load, and XML with a DOCTYPE is refused") {
  MappingFolder folder;
  folder.write("mapping.json", referralMapping("\"notes\": { \"xpath\": \"//[\" }"));
  try {
    folder.load();
    FAIL("loaded a bad XPath");
  } catch (const MappingError& e) {
    CHECK(e.where().line == 6);
    CHECK(e.where().rule == "REF^I12 notes");
    CHECK(e.problem() == "'//[' is not an XPath 1.0 expression");
  }
  std::string error;
  CHECK_FALSE(XmlSource::parse("<!DOCTYPE r [<!ENTITY e 'x'>]><r>&e;</r>", error));
  CHECK(error == "a DOCTYPE is not accepted");
  CHECK_FALSE(XmlSource::parse("<r>", error));
  CHECK(error == "not well-formed XML");
}
