// "extends" + "through": a Task inherits the ServiceRequest mapping read
// through Task.focus.resolve() — fields, conditions and repeats of the base
// find the ServiceRequest the Task answers, the Task's own fields replace
// the base's — and what cannot be rebased fails at load, naming the rule.

#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "mapping_fixture.h"
#include "rtw/mapping/fhir_source.h"

using namespace rtw::mapping;
using namespace rtw::mapping::testing;
using Catch::Matchers::Contains;

namespace {

// A referral mapping of ServiceRequests and a Task mapping inheriting it.
std::string mappings(const std::string& notes = "ServiceRequest.note.text") {
  return R"J({ "messages": {
  "ServiceRequest": {
    "document": "referral",
    "fields": {
      "referralId": { "fhirpath": "ServiceRequest.identifier.value" },
      "status": { "const": "ACKNOWLEDGED" },
      "notes": { "fhirpath": ")J" +
         notes + R"J(", "if": { "fhirpath": "ServiceRequest.status", "equals": "active" } }
    },
    "repeat": [ { "target": "service", "each": "ServiceRequest.code.coding[*]",
                  "fields": { "description": { "fhirpath": "ServiceRequest.code.coding.display" } } } ]
  },
  "Task": {
    "document": "referral",
    "extends": "ServiceRequest",
    "through": "Task.focus.resolve()",
    "fields": { "status": { "fhirpath": "Task.status", "table": "t" } }
  } },
  "tables": { "t": { "rejected": "DECLINED" } } })J";
}

// The Task of a Bundle that also holds the ServiceRequest it answers.
const char* kBundle = R"J({"resourceType": "Bundle", "type": "collection", "entry": [
  {"resource": {"resourceType": "Task", "status": "rejected", "focus": {"reference": "ServiceRequest/sr1"}}},
  {"resource": {"resourceType": "ServiceRequest", "id": "sr1", "status": "active",
    "identifier": [{"value": "REF-9"}], "note": [{"text": "lifting"}],
    "code": {"coding": [{"display": "assessment"}, {"display": "treatment"}]}}}]})J";

std::optional<MappingError> loadError(const std::string& text) {
  MappingFolder folder;
  folder.write("mapping.json", text);
  try {
    folder.load();
  } catch (const MappingError& e) {
    return e;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("a Task mapping read through Task.focus.resolve() fills the ServiceRequest's fields") {
  MappingFolder folder;
  folder.write("mapping.json", mappings());
  const auto set = folder.load();
  std::string error;
  const auto units = FhirSource::parse(kBundle, error);
  REQUIRE(units.size() == 2);
  const MessageMapping* task = set->find("Task");
  REQUIRE(task);
  auto document = schemas()->newDocument(task->document);
  const Evaluation evaluation = evaluate(*task, *set, *units[0], document);
  CHECK(document.get("referralId").value_or("") == "REF-9");
  CHECK(document.get("status").value_or("") == "DECLINED");  // the Task's own rule
  CHECK(document.get("notes").value_or("") == "lifting");    // its condition read through too
  CHECK(document.count("service") == 2);
  CHECK(document.get("service[2]/description").value_or("") == "treatment");
  CHECK_FALSE(evaluation.hasErrors());
  // The ServiceRequest mapping itself is unchanged.
  CHECK(set->find("ServiceRequest")->fields.front().path == "ServiceRequest.identifier.value");
}

TEST_CASE("'through' that cannot be read fails at load with its rule") {
  const auto wrong_start = loadError(
      mappings().replace(mappings().find("Task.focus.resolve()"), 20, "ServiceRequest.subject"));
  REQUIRE(wrong_start);
  CHECK(wrong_start->where().rule == "Task");
  CHECK_THAT(wrong_start->problem(),
             Contains("starts at ServiceRequest, but this mapping reads Task"));

  const auto named_again =
      loadError(mappings("ServiceRequest.note.text.where($this = ServiceRequest.id)"));
  REQUIRE(named_again);
  CHECK_THAT(named_again->problem(),
             Contains("the ServiceRequest rules cannot be read through 'Task.focus.resolve()'"));
  CHECK_THAT(named_again->problem(), Contains("names ServiceRequest again after its start"));

  std::string without_extends = mappings();
  without_extends.erase(without_extends.find("\"extends\": \"ServiceRequest\","), 29);
  const auto alone = loadError(without_extends);
  REQUIRE(alone);
  CHECK_THAT(alone->problem(), Contains("'through' goes with 'extends'"));

  const auto hl7 = loadError(R"J({ "messages": {
    "REF^I12": { "document": "referral", "fields": { "referralId": "RF1-6" } },
    "RRI^I12": { "document": "referral", "extends": "REF^I12", "through": "RF1-6",
                 "fields": {} } } })J");
  REQUIRE(hl7);
  CHECK_THAT(hl7->problem(), Contains("'through' reads one FHIR resource type through another"));
}
