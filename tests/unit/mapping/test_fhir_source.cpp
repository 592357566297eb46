// The FHIRPath subset on real FHIR R4 resources of the shared corpus
// (RTW_CORPUS_DIR/fhir): what a rule reads is what a
// FHIRPath engine would return for the same expression.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "rtw/mapping/fhir_source.h"

using namespace rtw::mapping;
using Catch::Matchers::Contains;

namespace {

std::string corpus(const std::string& name) {
  std::ifstream in(std::string(RTW_CORPUS_DIR) + "/fhir/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::unique_ptr<FhirSource> resource(const std::string& name) {
  std::string error;
  auto sources = FhirSource::parse(corpus(name), error);
  REQUIRE(sources.size() == 1);
  return std::move(sources.front());
}

using Values = std::vector<std::string>;

}  // namespace

TEST_CASE("member steps flatten arrays as FHIRPath does") {
  const auto patient = resource("r4core-Patient-example.json");
  // Three HumanNames, given 2 + 1 + 2: one flat collection of five.
  CHECK(patient->getAll("Patient.name.given") == Values{"Peter", "James", "Jim", "Peter", "James"});
  CHECK(patient->get("Patient.name.given") == "Peter");
  CHECK(patient->get("Patient.name.given.count()") == "5");
  CHECK(patient->get("Patient.birthDate") == "1974-12-25");
}

TEST_CASE("indexers count from 0 over the flattened collection") {
  const auto patient = resource("r4core-Patient-example.json");
  CHECK(patient->get("Patient.name.given[2]") == "Jim");
  CHECK(patient->get("Patient.name[1].given") == "Jim");
  CHECK(patient->get("Patient.name.given[5]").empty());
  CHECK(patient->get("Patient.name.given.last()") == "James");
  CHECK(patient->get("Patient.name.first().given.last()") == "James");
}

TEST_CASE("where() keeps the items whose fields equal the literals") {
  const auto patient = resource("r4core-Patient-example.json");
  CHECK(patient->get("Patient.telecom.where(system = 'phone' and use = 'mobile').value") ==
        "(03) 3410 5613");
  CHECK(patient->getAll("Patient.telecom.where(system='phone').value").size() == 3);
  CHECK(patient->get("Patient.name.where(use = 'usual').given") == "Jim");
  CHECK(patient->get("Patient.identifier.where(system = 'urn:oid:1.2.36.146.595.217.0.1').value") ==
        "12345");
  // A nested field in the test: type.coding.code.
  CHECK(patient->get("Patient.identifier.where(type.coding.code = 'MR').value") == "12345");
  CHECK(patient->get("Patient.identifier.where(system = 'http://other').value").empty());
}

TEST_CASE("exists() and count() answer for empty collections too") {
  const auto patient = resource("r4core-Patient-example.json");
  CHECK(patient->get("Patient.telecom.exists()") == "true");
  CHECK(patient->get("Patient.photo.exists()") == "false");
  CHECK(patient->get("Patient.photo.count()") == "0");
}

TEST_CASE("missing paths and another resource type give empty, not an error") {
  const auto patient = resource("r4core-Patient-example.json");
  CHECK(patient->get("Patient.maritalStatus.coding.code").empty());
  CHECK(patient->get("Patient.name.nickname").empty());
  CHECK(patient->get("ServiceRequest.subject.reference").empty());
  // An object has no text of its own.
  CHECK(patient->get("Patient.name").empty());
}

TEST_CASE("numbers read as written in the JSON, booleans as true/false") {
  const auto claim = resource("r4core-Claim-860150.json");
  // As written ("75.00"), not reformatted as a double would be.
  CHECK(claim->get("Claim.item.unitPrice.value") == "75.00");
  CHECK(claim->get("Claim.item.sequence") == "1");
  CHECK(claim->get("Claim.identifier.where(system = 'http://happypdocs.com/claim').value") ==
        "8612345");
  const auto patient = resource("r4core-Patient-example.json");
  CHECK(patient->get("Patient.active") == "true");
}

TEST_CASE("contained resources and references are read as written, or through resolve()") {
  const auto request = resource("r4core-ServiceRequest-physiotherapy.json");
  CHECK(request->get("ServiceRequest.subject.reference") == "Patient/example");
  CHECK(
      request->get("ServiceRequest.contained.where(resourceType = 'Condition').code.coding.code") ==
      "E84.0");
  CHECK(request->get("ServiceRequest.identifier.where(type.text = 'Placer').value") ==
        "20170201-0001");
  // Patient/example is not in a Bundle with this ServiceRequest: nothing.
  CHECK(request->get("ServiceRequest.subject.resolve().name.family").empty());
  CHECK(rtw::fhir::checkPath("ServiceRequest.subject.resolve().name").empty());
}

TEST_CASE("an expression that fails at run time gives its error to the mapping, not a value") {
  const auto patient = resource("r4core-Patient-example.json");
  // Two families: '<' compares one item with one.
  const Source::Value read = patient->read("Patient.name.family < 'D'");
  CHECK(read.text.empty());
  CHECK_THAT(read.error, Contains("'<' compares one item on the left, not 2"));
  CHECK(patient->get("Patient.name.family < 'D'").empty());
  CHECK(patient->read("Patient.gender").text == "male");
  CHECK(patient->read("Patient.gender").error.empty());
}

TEST_CASE("a repeat counts the collection of its each path") {
  const auto patient = resource("r4core-Patient-example.json");
  CHECK(patient->count("Patient.telecom[*]") == 4);
  CHECK(patient->count("Patient.telecom.where(system = 'phone')[*]") == 3);
  CHECK(patient->count("Patient.contact.telecom[*]") == 1);
  CHECK(patient->count("Patient.photo[*]") == 0);
}

TEST_CASE("a Bundle gives one source per entry resource, in order") {
  std::string error;
  const auto entries = FhirSource::parse(corpus("davinci-pas-Bundle-Claim-submit.json"), error);
  REQUIRE(entries.size() == 16);
  CHECK(entries[0]->resourceType() == "Claim");
  CHECK(entries[3]->resourceType() == "Patient");
  CHECK_FALSE(entries[3]->get("Patient.name.family").empty());
  CHECK(entries[0]->get("Patient.name.family").empty());
}

TEST_CASE("what is not a FHIR resource is refused with a reason, deep nesting before parsing") {
  std::string error;
  CHECK(FhirSource::parse("{\"id\": \"x\"}", error).empty());
  CHECK_THAT(error, Contains("resourceType"));
  CHECK(FhirSource::parse("[1, 2", error).empty());
  std::string deep = "{\"resourceType\": \"Patient\", \"extension\": ";
  for (int i = 0; i < 100000; ++i) {
    deep += "[";
  }
  CHECK(FhirSource::parse(deep, error).empty());
  CHECK_THAT(error, Contains("nests deeper than 64"));
  // Brackets inside strings do not count.
  CHECK(FhirSource::parse(
            "{\"resourceType\": \"Patient\", \"id\": \"" + std::string(200, '[') + "\"}", error)
            .size() == 1);
}

TEST_CASE("the subset's syntax: what parses and what does not, with the place") {
  CHECK(rtw::fhir::checkPath("ServiceRequest.subject.reference").empty());
  CHECK(rtw::fhir::checkPath("Patient.identifier.where(system = 'a\\'b' and use='official').value")
            .empty());
  CHECK_THAT(rtw::fhir::checkPath("subject.reference"), Contains("starts with the resource type"));
  CHECK_THAT(rtw::fhir::checkPath("Patient.name.descendants()"),
             Contains("unknown function 'descendants()'"));
  CHECK_THAT(rtw::fhir::checkPath("Patient.name.given[x]"), Contains("indexer is a number"));
  // A member on the right is a member of the item, as in FHIRPath.
  CHECK(rtw::fhir::checkPath("Patient.name.where(use = official)").empty());
  CHECK_THAT(rtw::fhir::checkPath("Patient.name.where(use = 'x'"), Contains("expected ')'"));
  CHECK_THAT(rtw::fhir::checkPath("Patient.name."), Contains("expected a name"));
  CHECK_THAT(rtw::fhir::checkPath("Patient.name | Patient.id"),
             Contains("'|' (union) is not supported (at character 14)"));
  CHECK_THAT(rtw::fhir::checkPath("Patient.name[*]"), Contains("indexer is a number"));
  CHECK(rtw::fhir::checkPath("Patient.name[*]", true).empty());
  CHECK_THAT(rtw::fhir::checkPath("Patient.name", true), Contains("exactly one '[*]'"));
}

TEST_CASE("a Bundle entry that is not an object is skipped, not read as one") {
  // Found by fuzz_fhir_json: MemberEnd() on the number 0 read past a
  // non-object (a RapidJSON assertion under the fuzz build, undefined in
  // release).
  std::string error;
  const auto sources = FhirSource::parse(
      R"({"resourceType": "Bundle", "type": "batch", "entry": [0, "x", [], null,
          {"resource": {"resourceType": "Patient", "id": "p1"}}, {"resource": 7}]})",
      error);
  REQUIRE(sources.size() == 1);
  CHECK(sources.front()->resourceType() == "Patient");
  CHECK(sources.front()->getAll("Patient.id") == Values{"p1"});
}
