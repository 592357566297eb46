// The FHIR XML rules (https://hl7.org/fhir/R4/xml.html) onto FHIR JSON
// (json.html): what each XML construct becomes, and what is refused with
// which sentence.

#include <catch2/catch.hpp>

#include "rtw/fhir/json.h"
#include "rtw/fhir/xml.h"
#include "xml_fixture.h"

using namespace rtw::fhir;
using namespace rtw::fhir::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

std::string jsonOfXml(const std::string& type, const std::string& body) {
  return toJson(xmlResource(resourceXml(type, body)));
}

}  // namespace

TEST_CASE("elements that may repeat are arrays even when there is one, the others are not") {
  CHECK(jsonDifference(R"({"resourceType": "Patient", "name": [{"family": "Kim", "given": ["Jun"]}],
                           "gender": "male", "birthDate": "1988-01-01"})",
                       jsonOfXml("Patient",
                                 "<name><family value=\"Kim\"/><given value=\"Jun\"/></name>"
                                 "<gender value=\"male\"/><birthDate value=\"1988-01-01\"/>")) ==
        "");
  CHECK(jsonDifference(
            R"({"resourceType": "Patient", "name": [{"given": ["A", "B"]}, {"text": "C"}]})",
            jsonOfXml("Patient",
                      "<name><given value=\"A\"/><given value=\"B\"/></name>"
                      "<name><text value=\"C\"/></name>")) == "");
}

TEST_CASE("booleans and numbers are JSON booleans and numbers, decimals as written") {
  const std::string json = jsonOfXml(
      "Observation",
      "<status value=\"final\"/><code><text value=\"glucose\"/></code>"
      "<valueQuantity><value value=\"6.30\"/><unit value=\"mmol/l\"/></valueQuantity>"
      "<referenceRange><low><value value=\"3.1e0\"/></low><high><value value=\"-0.5\"/></high>"
      "</referenceRange>");
  CHECK_THAT(json, Contains(R"("value":6.30,)"));
  CHECK_THAT(json, Contains(R"("low":{"value":3.1e0})"));
  CHECK_THAT(json, Contains(R"("high":{"value":-0.5})"));
  const std::string patient =
      jsonOfXml("Patient",
                "<active value=\"false\"/><multipleBirthInteger value=\"2\"/>"
                "<communication><language><text value=\"en\"/></language>"
                "<preferred value=\"true\"/></communication>");
  CHECK(jsonDifference(R"({"resourceType": "Patient", "active": false, "multipleBirthInteger": 2,
                           "communication": [{"language": {"text": "en"}, "preferred": true}]})",
                       patient) == "");
  // A string that looks like a number stays a string.
  CHECK_THAT(jsonOfXml("Patient", "<identifier><value value=\"0042\"/></identifier>"),
             Contains(R"("value":"0042")"));
}

TEST_CASE("the id and extensions of a primitive are its _name, null-padded where it repeats") {
  const std::string json = jsonOfXml(
      "Patient",
      "<name><given value=\"A\"/>"
      "<given id=\"g2\"><extension url=\"http://example.org/why\"><valueString value=\"no given "
      "name\"/></extension></given>"
      "<given value=\"C\"/></name>"
      "<birthDate id=\"b\" value=\"1970-03-30\"><extension "
      "url=\"http://hl7.org/fhir/StructureDefinition/patient-birthTime\"><valueDateTime "
      "value=\"1970-03-30T14:35:00-05:00\"/></extension></birthDate>");
  CHECK(jsonDifference(R"({"resourceType": "Patient",
      "name": [{"given": ["A", null, "C"],
                "_given": [null, {"id": "g2", "extension": [{"url": "http://example.org/why",
                                                             "valueString": "no given name"}]},
                           null]}],
      "birthDate": "1970-03-30",
      "_birthDate": {"id": "b", "extension": [{
          "url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
          "valueDateTime": "1970-03-30T14:35:00-05:00"}]}})",
                       json) == "");
  // Only extensions, no value: no "given" array at all.
  CHECK(jsonDifference(R"({"resourceType": "Patient", "name": [{"_given": [{"extension": [{
                             "url": "http://example.org/x", "valueBoolean": true}]}]}]})",
                       jsonOfXml("Patient",
                                 "<name><given><extension url=\"http://example.org/x\">"
                                 "<valueBoolean value=\"true\"/></extension></given>"
                                 "</name>")) == "");
}

TEST_CASE("the id of an element is an attribute, the id of a resource an element") {
  CHECK(jsonDifference(R"({"resourceType": "Patient", "id": "p1",
                           "name": [{"id": "n1", "family": "Lee"}],
                           "extension": [{"id": "e1", "url": "http://example.org/e",
                                          "valueCode": "x"}]})",
                       jsonOfXml("Patient",
                                 "<id value=\"p1\"/><extension id=\"e1\" "
                                 "url=\"http://example.org/e\"><valueCode value=\"x\"/>"
                                 "</extension><name id=\"n1\"><family "
                                 "value=\"Lee\"/></name>")) == "");
}

TEST_CASE("choice elements and backbone elements are read by their R4 names") {
  CHECK(jsonDifference(
            R"({"resourceType": "Patient", "deceasedBoolean": false, "multipleBirthBoolean": true,
                "contact": [{"relationship": [{"text": "mother"}], "name": {"family": "Ng"},
                             "period": {"start": "2020-01-01"}}],
                "link": [{"other": {"reference": "Patient/2"}, "type": "seealso"}]})",
            jsonOfXml("Patient",
                      "<deceasedBoolean value=\"false\"/><multipleBirthBoolean value=\"true\"/>"
                      "<contact><relationship><text value=\"mother\"/></relationship><name><family "
                      "value=\"Ng\"/></name><period><start value=\"2020-01-01\"/></period>"
                      "</contact><link><other><reference value=\"Patient/2\"/></other><type "
                      "value=\"seealso\"/></link>")) == "");
  // Questionnaire.item.item is Questionnaire.item again.
  CHECK(jsonDifference(R"({"resourceType": "Questionnaire", "status": "draft",
                           "item": [{"linkId": "1", "type": "group",
                                     "item": [{"linkId": "1.1", "type": "integer",
                                               "required": true}]}]})",
                       jsonOfXml("Questionnaire",
                                 "<status value=\"draft\"/><item><linkId value=\"1\"/><type "
                                 "value=\"group\"/><item><linkId value=\"1.1\"/><type "
                                 "value=\"integer\"/><required value=\"true\"/></item></item>")) ==
        "");
}

TEST_CASE("the narrative's div becomes the string of its XHTML") {
  const std::string json =
      jsonOfXml("Patient",
                "<text><status value=\"generated\"/><div xmlns=\"http://www.w3.org/1999/xhtml\" "
                "xml:lang=\"en\"><p class=\"a\">Jane &amp; <b>Bo</b> &lt;3 \"q\"</p><br/><!-- x -->"
                "<img src=\"a.png\" alt=\"1 &quot; 2\"/></div></text>");
  CHECK_THAT(json, Contains(R"("div":"<div xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\">)"
                            R"(<p class=\"a\">Jane &amp; <b>Bo</b> &lt;3 \"q\"</p><br/>)"
                            R"(<img src=\"a.png\" alt=\"1 &quot; 2\"/></div>")"));
  // A prefixed XHTML namespace gives the same string.
  const std::string prefixed =
      jsonOfXml("Patient",
                "<text xmlns:h=\"http://www.w3.org/1999/xhtml\"><status value=\"generated\"/>"
                "<h:div><h:p>x</h:p></h:div></text>");
  CHECK_THAT(prefixed,
             Contains(R"("div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>x</p></div>")"));
  SECTION("a div outside XHTML, or with something else in it, is refused") {
    CHECK_THAT(xmlError(resourceXml("Patient", "<text><status value=\"generated\"/><div/></text>")),
               Contains("<div> in Patient.text is not in the XHTML namespace"));
    CHECK_THAT(xmlError(resourceXml("Patient",
                                    "<text><status value=\"generated\"/><div "
                                    "xmlns=\"http://www.w3.org/1999/xhtml\"><p><x:svg "
                                    "xmlns:x=\"urn:other\"/></p></div></text>")),
               Contains("line 1: the narrative holds <svg>, which is not in the XHTML namespace"));
  }
}

TEST_CASE("contained resources, Bundle entries and Parameters resources are unwrapped") {
  CHECK(jsonDifference(R"({"resourceType": "ServiceRequest", "status": "active",
                           "intent": "order",
                           "contained": [{"resourceType": "Patient", "id": "w",
                                          "gender": "female"},
                                         {"resourceType": "Coverage", "id": "c",
                                          "status": "active"}],
                           "subject": {"reference": "#w"}})",
                       jsonOfXml("ServiceRequest",
                                 "<contained><Patient><id value=\"w\"/><gender value=\"female\"/>"
                                 "</Patient></contained><contained><Coverage><id value=\"c\"/>"
                                 "<status value=\"active\"/></Coverage></contained>"
                                 "<status value=\"active\"/><intent value=\"order\"/>"
                                 "<subject><reference value=\"#w\"/></subject>")) == "");
  CHECK(jsonDifference(
            R"({"resourceType": "Bundle", "type": "transaction-response",
                "entry": [{"response": {"status": "201 Created",
                           "outcome": {"resourceType": "OperationOutcome",
                                       "issue": [{"severity": "information", "code": "informational"}]}}}]})",
            jsonOfXml("Bundle",
                      "<type value=\"transaction-response\"/><entry><response><status "
                      "value=\"201 Created\"/><outcome><OperationOutcome><issue><severity "
                      "value=\"information\"/><code value=\"informational\"/></issue>"
                      "</OperationOutcome></outcome></response></entry>")) == "");
  CHECK(jsonDifference(R"({"resourceType": "Parameters",
                           "parameter": [{"name": "p", "resource": {"resourceType": "Patient",
                                                                    "active": true}},
                                         {"name": "n", "valueInteger": 7}]})",
                       jsonOfXml("Parameters",
                                 "<parameter><name value=\"p\"/><resource><Patient><active "
                                 "value=\"true\"/></Patient></resource></parameter><parameter>"
                                 "<name value=\"n\"/><valueInteger value=\"7\"/></parameter>")) ==
        "");
}

TEST_CASE("comments, processing instructions and whitespace between elements are nothing") {
  CHECK(jsonDifference(
            R"({"resourceType": "Patient", "gender": "other"})",
            toJson(xmlResource("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\n"
                               "<Patient xmlns=\"http://hl7.org/fhir\">\n  <!-- c -->\n"
                               "  <?pi x?>\n  <gender value=\"other\"/>\n</Patient>\n"))) == "");
  // Attribute values keep what character references give them.
  CHECK_THAT(jsonOfXml("Patient", "<name><text value=\"a&#10;b&#9;c &amp; &lt;d&gt;\"/></name>"),
             Contains(R"("text":"a\nb\tc & <d>")"));
}

TEST_CASE("what R4 does not define is refused with its line and path") {
  CHECK(xmlError(resourceXml("Patient", "\n<name>\n<nickname value=\"J\"/></name>")) ==
        "line 3: <nickname> is not an R4 element of Patient.name[0]");
  CHECK(xmlError(resourceXml("Patient", "<name><given value=\"a\" lang=\"en\"/></name>")) ==
        "line 1: attribute 'lang' of Patient.name[0].given[0] is not R4");
  CHECK(xmlError(resourceXml("Patient", "<gender value=\"male\" xmlns:x=\"urn:x\" x:y=\"1\"/>")) ==
        "line 1: attribute 'x:y' of Patient.gender is not R4");
  CHECK(xmlError(resourceXml("Patient", "<name><id value=\"x\"/></name>")) ==
        "line 1: <id> is not an R4 element of Patient.name[0] (it is an attribute in FHIR XML)");
  CHECK(xmlError(resourceXml("Patient", "<name><family>Kim</family></name>")) ==
        "line 1: Patient.name[0].family holds text (FHIR XML has values in value attributes)");
  CHECK(xmlError(resourceXml("Patient", "<gender value=\"male\"/><gender value=\"female\"/>")) ==
        "line 1: Patient.gender appears twice (R4 allows one)");
  CHECK(xmlError("<Patient xmlns=\"http://hl7.org/fhir\" id=\"x\"/>") ==
        "line 1: attribute 'id' of <Patient> is not R4 (a resource has none)");
  CHECK(
      xmlError(resourceXml("Patient", "<name xmlns=\"urn:other\"><family value=\"K\"/></name>")) ==
      "line 1: <name> in Patient is not in the FHIR namespace http://hl7.org/fhir");
}

TEST_CASE("values of the wrong type, and empty ones, are refused") {
  CHECK(xmlError(resourceXml("Patient", "<active value=\"yes\"/>")) ==
        "line 1: Patient.active is not a boolean (true or false)");
  CHECK(xmlError(resourceXml("Patient", "<multipleBirthInteger value=\"02\"/>")) ==
        "line 1: Patient.multipleBirthInteger is not an integer");
  CHECK(xmlError(
            resourceXml("Observation", "<valueQuantity><value value=\"1,5\"/></valueQuantity>")) ==
        "line 1: Observation.valueQuantity.value is not a decimal");
  CHECK(xmlError(
            resourceXml("Observation", "<valueQuantity><value value=\".5\"/></valueQuantity>")) ==
        "line 1: Observation.valueQuantity.value is not a decimal");
  CHECK(xmlError(resourceXml("Patient", "<gender value=\"\"/>")) ==
        "line 1: attribute 'value' of Patient.gender is empty (R4: attributes are never empty)");
  CHECK(xmlError(resourceXml("Patient", "<gender/>")) ==
        "line 1: Patient.gender has no value and no extension");
  CHECK(xmlError(resourceXml("Patient", "<name/>")) ==
        "line 1: Patient.name[0] is empty (R4: elements are never empty)");
}

TEST_CASE("the root must be an R4 resource in the FHIR namespace") {
  CHECK(xmlError("<Patient/>") ==
        "line 1: <Patient> is not in the FHIR namespace http://hl7.org/fhir");
  CHECK(xmlError("<Patient xmlns=\"http://hl7.org/fhir/v3\"/>") ==
        "line 1: <Patient> is not in the FHIR namespace http://hl7.org/fhir");
  CHECK(xmlError("<Practitioners xmlns=\"http://hl7.org/fhir\"/>") ==
        "line 1: <Practitioners> is not an R4 resource type");
  CHECK(xmlError("<HumanName xmlns=\"http://hl7.org/fhir\"/>") ==
        "line 1: <HumanName> is not an R4 resource type");
  CHECK(xmlError(resourceXml("Patient", "<contained/>")) ==
        "line 1: Patient.contained[0] holds no resource");
  CHECK(xmlError(resourceXml("Patient", "<contained><Patient/><Patient/></contained>")) ==
        "line 1: Patient.contained[0] holds more than one resource");
  CHECK(xmlError(resourceXml("Bundle", "<entry><resource><Widget/></resource></entry>")) ==
        "line 1: <Widget> is not an R4 resource type");
  // An empty resource is a resource.
  CHECK(toJson(xmlResource("<Basic xmlns=\"http://hl7.org/fhir\"/>")) ==
        R"({"resourceType":"Basic"})");
}
