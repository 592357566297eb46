// toXml() and toJson(): the answers the gateway writes (OperationOutcome,
// read-back of what it accepted, Bundles) in FHIR XML and JSON, and what
// toXml() refuses to write because R4 XML cannot carry it.

#include <catch2/catch.hpp>

#include "rtw/fhir/json.h"
#include "rtw/fhir/xml.h"
#include "xml_fixture.h"

using namespace rtw::fhir;
using namespace rtw::fhir::test;
using Catch::Matchers::Contains;

namespace {

std::string xmlError(const Resource& resource) {
  std::string error;
  const auto xml = toXml(resource, error);
  CHECK_FALSE(xml);
  return error;
}

std::string xmlOfJson(const std::string& json) { return xmlOf(jsonResource(json)); }

}  // namespace

TEST_CASE("an OperationOutcome in XML, elements in R4's order whatever the JSON's") {
  const std::string xml = xmlOfJson(R"({"resourceType": "OperationOutcome",
      "issue": [{"diagnostics": "Patient.identifier[0].value: required", "code": "required",
                 "severity": "error", "expression": ["Patient.identifier[0].value"]},
                {"severity": "warning", "code": "informational"}]})");
  CHECK(xml ==
        "<OperationOutcome xmlns=\"http://hl7.org/fhir\"><issue><severity value=\"error\"/>"
        "<code value=\"required\"/><diagnostics value=\"Patient.identifier[0].value: "
        "required\"/><expression value=\"Patient.identifier[0].value\"/></issue><issue>"
        "<severity value=\"warning\"/><code value=\"informational\"/></issue>"
        "</OperationOutcome>");
}

TEST_CASE("primitives with ids and extensions, numbers, booleans and text are written back") {
  const std::string json = R"({"resourceType": "Patient", "id": "p1",
      "extension": [{"url": "http://example.org/e", "valueDecimal": 1.50}],
      "active": true,
      "name": [{"id": "n", "given": ["A", null, "C & <D>"],
                "_given": [null, {"extension": [{"url": "http://example.org/x",
                                                 "valueString": "line 1\nline \"2\""}]}, null]}],
      "birthDate": "1970-03-30", "_birthDate": {"id": "b"},
      "multipleBirthInteger": 3})";
  const std::string xml = xmlOfJson(json);
  CHECK(xml ==
        "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"p1\"/>"
        "<extension url=\"http://example.org/e\"><valueDecimal value=\"1.50\"/></extension>"
        "<active value=\"true\"/><name id=\"n\"><given value=\"A\"/><given><extension "
        "url=\"http://example.org/x\"><valueString value=\"line 1&#10;line &quot;2&quot;\"/>"
        "</extension></given><given value=\"C &amp; &lt;D&gt;\"/></name>"
        "<birthDate id=\"b\" value=\"1970-03-30\"/><multipleBirthInteger value=\"3\"/></Patient>");
  CHECK(jsonDifference(json, toJson(xmlResource(xml))) == "");
}

TEST_CASE("the narrative is written as XHTML, whatever way its JSON string writes it") {
  const std::string xml = xmlOfJson(R"({"resourceType": "Patient", "text": {"status": "generated",
      "div": "<div xmlns='http://www.w3.org/1999/xhtml'><p>Jane &amp; <i>Bo</i>&#33;</p></div>"}})");
  CHECK_THAT(xml, Contains("<text><status value=\"generated\"/><div "
                           "xmlns=\"http://www.w3.org/1999/xhtml\"><p>Jane &amp; <i>Bo</i>!</p>"
                           "</div></text>"));
  CHECK_THAT(toJson(xmlResource(xml)),
             Contains(R"("div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Jane &amp; )"
                      R"(<i>Bo</i>!</p></div>")"));
}

TEST_CASE("a Bundle of resources, and contained ones, in XML") {
  const std::string xml = xmlOfJson(R"({"resourceType": "Bundle", "type": "batch-response",
      "entry": [{"resource": {"resourceType": "Patient", "id": "1",
                              "contained": [{"resourceType": "Organization", "name": "O"}]},
                 "response": {"status": "201 Created", "location": "Patient/1/_history/1"}}]})");
  CHECK(xml ==
        "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"batch-response\"/><entry>"
        "<resource><Patient><id value=\"1\"/><contained><Organization><name value=\"O\"/>"
        "</Organization></contained></Patient></resource><response><status value=\"201 "
        "Created\"/><location value=\"Patient/1/_history/1\"/></response></entry></Bundle>");
}

TEST_CASE("what R4 XML cannot carry is refused, naming where it is") {
  CHECK(xmlError(jsonResource(R"({"resourceType": "Patient", "name": [{"nick": "J"}]})")) ==
        "Patient.name[0] has 'nick', which R4 does not define there");
  CHECK(xmlError(jsonResource(R"({"resourceType": "Patient", "gender": ["male", "female"]})")) ==
        "Patient.gender has several values (R4 allows one)");
  CHECK(xmlError(jsonResource(R"({"resourceType": "Patient", "gender": {"code": "male"}})")) ==
        "Patient.gender is an object or an array where R4 has a value");
  CHECK(xmlError(jsonResource(R"({"resourceType": "Patient", "name": ["Kim"]})")) ==
        "Patient.name[0] is not an object");
  CHECK(xmlError(jsonResource(R"({"resourceType": "Patient", "active": "yes"})")) ==
        "Patient.active is not a value of its R4 type");
  CHECK(xmlError(jsonResource(R"({"resourceType": "Patient", "gender": ""})")) ==
        "Patient.gender has an empty value (R4: attributes are never empty)");
  CHECK(xmlError(jsonResource(R"({"resourceType": "Patient", "gender": "a\u0001b"})")) ==
        "Patient.gender has a value with a character XML 1.0 cannot carry");
  CHECK(xmlError(jsonResource(R"({"resourceType": "Patient", "name": [{}]})")) ==
        "Patient.name[0] has nothing in it (R4: elements are never empty)");
  CHECK(xmlError(jsonResource(R"({"resourceType": "Patient", "_name": [{"id": "x"}]})")) ==
        "Patient has '_name', which R4 does not define there");
  CHECK(xmlError(jsonResource(R"({"resourceType": "Patient", "extension": [{"url": "u",
                                  "_url": {"id": "x"}}]})")) ==
        "Patient.extension[0] has '_url', which R4 does not define there");
  CHECK(xmlError(jsonResource(R"({"resourceType": "Widget"})")) ==
        "the resourceType is not an R4 resource type");
  CHECK(xmlError(jsonResource(R"({"resourceType": "Patient", "contained": [{"id": "x"}]})")) ==
        "Patient.contained[0] is not a resource of an R4 type");
  CHECK_THAT(xmlError(jsonResource(R"({"resourceType": "Patient", "text": {"status": "generated",
                                      "div": "<div>not XHTML</div>"}})")),
             Contains("Patient.text.div is not an XHTML div: line 1: the narrative holds <div>"));
  CHECK_THAT(xmlError(jsonResource(R"({"resourceType": "Patient", "text": {"status": "generated",
                                      "div": "<!DOCTYPE div><div/>"}})")),
             Contains("Patient.text.div is not an XHTML div: the narrative is not XHTML"));
}

TEST_CASE("toJson types numbers by R4 and passes through what R4 does not define") {
  // The JSON reader keeps numbers as text: R4 says which are numbers.
  const Resource claim = jsonResource(R"({"resourceType": "Claim",
      "item": [{"sequence": 1, "unitPrice": {"value": 100.00, "currency": "CAD"},
                "productOrService": {"coding": [{"code": "1001"}]}}],
      "identifier": [{"value": "007"}]})");
  CHECK(toJson(claim) ==
        R"({"resourceType":"Claim","item":[{"sequence":1,"unitPrice":{"value":100.00,)"
        R"("currency":"CAD"},"productOrService":{"coding":[{"code":"1001"}]}}],)"
        R"("identifier":[{"value":"007"}]})");
  const Resource unknown = jsonResource(R"({"resourceType": "Widget", "size": 3, "ok": true})");
  CHECK(toJson(unknown) == R"({"resourceType":"Widget","size":"3","ok":true})");
}
