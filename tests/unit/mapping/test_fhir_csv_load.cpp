// FHIR and CSV rules are checked at load like HL7 ones: a bad FHIRPath, a
// rule of the wrong kind for the mapping's source, a bad column name, each
// fails with the file, the line and the rule.

#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "mapping_fixture.h"
#include "rtw/mapping/fhir_source.h"

using namespace rtw::mapping;
using namespace rtw::mapping::testing;
using Catch::Matchers::Contains;

namespace {

std::string mappingFor(const std::string& type, const std::string& document,
                       const std::string& fields, const std::string& repeat = "") {
  return "{\n\"messages\": {\n\"" + type + "\": {\n\"document\": \"" + document + "\",\n" +
         (repeat.empty() ? "" : "\"repeat\": [" + repeat + "],\n") + "\"fields\": {\n" + fields +
         "\n}\n}\n}\n}\n";
}

void checkError(const std::string& text, int line, const std::string& rule,
                const std::string& problem) {
  MappingFolder folder;
  folder.write("mapping.json", text);
  std::optional<MappingError> error;
  try {
    folder.load();
  } catch (const MappingError& e) {
    error = e;
  }
  REQUIRE(error);
  CHECK(error->where().file == (folder.path() / "mapping.json").string());
  CHECK(error->where().line == line);
  CHECK(error->where().rule == rule);
  CHECK_THAT(error->problem(), Contains(problem));
}

// A Patient mapped by the folder's "Patient" mapping.
struct MappedPatient {
  rtw::worksafe::Document document;
  Evaluation evaluation;
};

MappedPatient mapPatient(const MappingSet& set, const std::string& json) {
  std::string error;
  const auto patient = FhirSource::parse(json, error);
  REQUIRE(patient.size() == 1);
  const MessageMapping* mapping = set.find("Patient");
  REQUIRE(mapping);
  auto document = schemas()->newDocument(mapping->document);
  Evaluation evaluation = evaluate(*mapping, set, *patient.front(), document);
  return {std::move(document), std::move(evaluation)};
}

}  // namespace

TEST_CASE("a FHIRPath outside the subset fails at load with file, line and rule") {
  checkError(mappingFor("ServiceRequest", "referral",
                        "\"referralId\": { \"fhirpath\": \"ServiceRequest.id\" },\n"
                        "\"notes\": { \"fhirpath\": \"ServiceRequest.note.text.join(',')\" }"),
             7, "ServiceRequest notes", "unknown function 'join()'");
  checkError(mappingFor("ServiceRequest", "referral",
                        "\"notes\": { \"fhirpath\": \"ServiceRequest.note.where(text = 'x'\" }"),
             6, "ServiceRequest notes",
             "expected ')' (or ',' and another argument) (at character 37)");
  checkError(mappingFor("ServiceRequest", "referral",
                        "\"notes\": { \"fhirpath\": \"ServiceRequest.note.text.matches('(x')\" }"),
             6, "ServiceRequest notes", "regular expression RE2 accepts");
  checkError(mappingFor("ServiceRequest", "referral",
                        "\"notes\": { \"fhirpath\": \"ServiceRequest.note | ServiceRequest.id\" }"),
             6, "ServiceRequest notes", "'|' (union) is not supported");
}

TEST_CASE("a FHIRPath that fails on a resource is an error finding naming the rule") {
  MappingFolder folder;
  folder.write("mapping.json",
               mappingFor("Patient", "referral",
                          "\"worker/family\": { \"fhirpath\": \"Patient.name.family\" },\n"
                          "\"worker/given\": { \"fhirpath\": \"Patient.name.given < 'x'\" },\n"
                          "\"notes\": { \"const\": \"n\", \"if\": { \"fhirpath\": "
                          "\"Patient.name.use.startsWith('o')\", \"present\": true } }",
                          "{\"target\": \"injury\", \"each\": \"Patient.name.where(given)[*]\", "
                          "\"fields\": {\"nature\": {\"fhirpath\": \"Patient.name.given\"}}}"));
  const auto set = folder.load();
  const auto [document, evaluation] = mapPatient(
      *set, R"({"resourceType": "Patient", "name": [{"use": "official", "family": "Chalmers",
          "given": ["Peter", "James"]}, {"use": "usual", "given": ["Jim"]}]})");
  CHECK(document.get("worker/family").value_or("") == "Chalmers");
  CHECK_FALSE(document.get("worker/given").has_value());
  CHECK_FALSE(document.get("notes").has_value());
  std::vector<std::string> found;
  for (const auto& finding : evaluation.findings) {
    found.push_back(format(finding));
  }
  INFO(found.size());
  CHECK(std::any_of(found.begin(), found.end(), [](const std::string& f) {
    return f.find(
               "ERROR worker/given: Patient.name.given < 'x' cannot be read: '<' compares one "
               "item on the left, not 3") != std::string::npos;
  }));
  CHECK(std::any_of(found.begin(), found.end(), [](const std::string& f) {
    return f.find(
               "Patient.name.use.startsWith('o') cannot be read: startsWith() reads one "
               "string, the input has 2 items") != std::string::npos;
  }));
  CHECK(std::any_of(found.begin(), found.end(), [](const std::string& f) {
    return f.find(
               "ERROR injury: Patient.name.where(given)[*] cannot be read: where() needs one "
               "boolean from its criteria, not 2 items") != std::string::npos;
  }));
  CHECK(document.count("injury") == 0);
  CHECK(evaluation.hasErrors());
}

TEST_CASE("a FHIRPath must start at the resource type its mapping reads") {
  checkError(mappingFor("ServiceRequest", "referral",
                        "\"worker/family\": { \"fhirpath\": \"Patient.name.family\" }"),
             6, "ServiceRequest worker/family",
             "'Patient.name.family' starts at Patient, but this mapping reads ServiceRequest");
}

TEST_CASE("rules of another source kind than the mapping's fail at load") {
  checkError(mappingFor("REF^I12", "referral",
                        "\"notes\": { \"fhirpath\": \"ServiceRequest.note.text\" }"),
             6, "REF^I12 notes", "a 'fhirpath' rule reads FHIR resources");
  checkError(mappingFor("ServiceRequest", "referral", "\"notes\": \"NTE-3\""), 6,
             "ServiceRequest notes", "use {\"fhirpath\": ...}");
  checkError(mappingFor("csv:enrolment", "training-report", "\"gpa\": { \"hl7\": \"PID-3\" }"), 6,
             "csv:enrolment gpa", "use {\"csv\": COLUMN}");
  checkError(mappingFor("REF^I12", "referral", "\"notes\": { \"csv\": \"note\" }"), 6,
             "REF^I12 notes", "a 'csv' rule reads CSV records");
}

TEST_CASE("CSV keys: column names and record kinds are checked at load") {
  checkError(mappingFor("csv:enrolment", "training-report",
                        "\"student/family\": { \"csv\": \" family\" }"),
             6, "csv:enrolment student/family", "spaces around it");
  checkError(
      mappingFor("csv:enrolment", "training-report", "\"student/family\": { \"csv\": \"\" }"), 6,
      "csv:enrolment student/family", "cannot be empty");
  checkError(mappingFor("csv:", "training-report", "\"student/family\": { \"csv\": \"a\" }"), 3,
             "csv:", "keyed \"csv:KIND\"");
  checkError(mappingFor("csv:enrolment", "training-report", "\"gpa\": { \"csv\": \"gpa\" }",
                        "{\"target\": \"courses/course\", \"each\": \"x[*]\", \"fields\": {}}"),
             5, "csv:enrolment courses/course", "one record makes one document");
}

TEST_CASE("a FHIR repeat needs one [*] and the mapping's resource type") {
  checkError(mappingFor("ServiceRequest", "referral", "\"notes\": { \"const\": \"x\" }",
                        "{\"target\": \"injury\", \"each\": \"ServiceRequest.reasonCode\", "
                        "\"fields\": {}}"),
             5, "ServiceRequest injury", "exactly one '[*]'");
  checkError(mappingFor("ServiceRequest", "referral", "\"notes\": { \"const\": \"x\" }",
                        "{\"target\": \"injury\", \"each\": \"Condition.code[*]\", "
                        "\"fields\": {}}"),
             5, "ServiceRequest injury", "starts at Condition");
}

TEST_CASE("a FHIR mapping repeats over a collection and reads each item") {
  MappingFolder folder;
  folder.write("mapping.json",
               mappingFor("Patient", "referral",
                          "\"worker/family\": { \"fhirpath\": \"Patient.name.family\" },\n"
                          "\"worker/phone\": { \"fhirpath\": \"Patient.telecom.where(use = "
                          "'mobile').value\" },\n"
                          "\"notes\": { \"fhirpath\": \"Patient.photo.url\" }",
                          "{\"target\": \"injury\", \"each\": \"Patient.name[*]\", "
                          "\"fields\": {\"nature\": {\"fhirpath\": \"Patient.name.given\"}, "
                          "\"diagnosisCode\": {\"fhirpath\": \"Patient.name.use\"}}}"));
  const auto set = folder.load();
  const auto [document, evaluation] = mapPatient(
      *set, R"({"resourceType": "Patient", "name": [{"use": "official", "family": "Chalmers",
          "given": ["Peter", "James"]}, {"use": "usual", "given": ["Jim"]}],
          "telecom": [{"use": "home"}, {"system": "phone", "value": "555", "use": "mobile"}]})");
  CHECK(document.get("worker/family").value_or("") == "Chalmers");
  CHECK(document.get("worker/phone").value_or("") == "555");
  CHECK(document.get("injury[1]/nature").value_or("") == "Peter");
  CHECK(document.get("injury[1]/diagnosisCode").value_or("") == "official");
  CHECK(document.get("injury[2]/nature").value_or("") == "Jim");
  CHECK(document.get("injury[2]/diagnosisCode").value_or("") == "usual");
  CHECK(document.count("injury") == 2);
  // The trace names the item the value came from.
  bool traced = false;
  for (const auto& entry : evaluation.trace) {
    traced =
        traced || (entry.target == "injury[2]/nature" && entry.source == "Patient.name[1].given");
  }
  CHECK(traced);
  // An empty FHIR source warns like an empty HL7 one, naming the path.
  REQUIRE(evaluation.findings.size() == 1);
  CHECK_THAT(format(evaluation.findings.front()),
             Contains("WARNING notes: left empty: its source Patient.photo.url gave no value"));
}
