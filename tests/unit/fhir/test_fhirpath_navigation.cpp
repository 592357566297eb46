// Navigation as FHIR's JSON form asks: arrays flatten, value[x] is found as
// "value", a primitive's extensions sit in its "_name" sibling, and the
// type operators know resources and choice types.

#include <catch2/catch.hpp>

#include "fhir_fixture.h"

using namespace rtw::fhir::test;

TEST_CASE("choice elements are found by their name without the type suffix") {
  const auto bundle = corpus("davinci-pas-Bundle-Claim-submit.json");
  const auto observation = entry(bundle, "Observation");
  // obs013 has valueQuantity {value 85, unit %}.
  CHECK(value(observation, "Observation.value.value") == "85");
  CHECK(value(observation, "Observation.value.unit") == "%");
  CHECK(value(observation, "Observation.valueQuantity.code") == "%");
  const auto patient = corpus("r4core-Patient-example.json");
  CHECK(value(patient, "Patient.deceased") == "false");  // deceasedBoolean
  // A name that only begins like a member is not a choice of it.
  CHECK(values(patient, "Patient.deceasedB").empty());
  CHECK(values(patient, "Patient.birth").empty());
}

TEST_CASE("ofType(), is and as know choice types, resources and their derived types") {
  const auto observation = entry(corpus("davinci-pas-Bundle-Claim-submit.json"), "Observation");
  CHECK(value(observation, "Observation.value.ofType(Quantity).value") == "85");
  CHECK(value(observation, "Observation.value.ofType(FHIR.Quantity).value") == "85");
  CHECK(values(observation, "Observation.value.ofType(string)").empty());
  CHECK(values(observation, "Observation.value.ofType(CodeableConcept)").empty());
  CHECK(value(observation, "Observation.value is Quantity") == "true");
  CHECK(value(observation, "Observation.value is string") == "false");
  CHECK(value(observation, "Observation.value.is(Quantity)") == "true");
  CHECK(value(observation, "(Observation.value as Quantity).unit") == "%");
  CHECK(values(observation, "(Observation.value as Period).start").empty());
  CHECK(value(observation, "Observation is Observation") == "true");
  CHECK(value(observation, "Observation is DomainResource") == "true");
  CHECK(value(observation, "Observation is Resource") == "true");

  const auto bundle = data("transaction-referral.json");
  const auto text_observation = entry(bundle, "Observation", 1);
  CHECK(value(text_observation, "Observation.value.ofType(string)") == "limited to 10 kg");
  CHECK(value(text_observation, "Observation.effective.ofType(Period).start") ==
        "2026-02-18T09:00:00-08:00");
  CHECK(values(text_observation, "Observation.effective.ofType(dateTime)").empty());
  // code and id are strings too (FHIR R4's type hierarchy).
  const auto patient = corpus("r4core-Patient-example.json");
  CHECK(value(patient, "Patient.birthDate.extension.value.ofType(dateTime)") ==
        "1974-12-25T14:35:45-05:00");
  CHECK(value(patient, "Patient.birthDate.extension.value is string") == "false");
}

TEST_CASE("ofType() on resources: Bundle entries and contained resources") {
  const auto request = golden("westcoast-fhir/servicerequest-referral.json");
  CHECK(value(request, "ServiceRequest.contained.ofType(Patient).name.family") == "Doe");
  CHECK(values(request, "ServiceRequest.contained.ofType(Condition).id") ==
        Values{"injury1", "injury2"});
  CHECK(values(request, "ServiceRequest.contained.ofType(Claim)").empty());
  const auto bundle = corpus("davinci-pas-Bundle-Claim-submit.json");
  CHECK(value(bundle, "Bundle.entry.resource.ofType(Coverage).count()") == "5");
  CHECK(value(bundle, "Bundle.entry.resource.ofType(Coverage).first().id") == "cov1234");
}

TEST_CASE("extension('url') selects extensions, with their url and value") {
  const auto patient = corpus("r4core-Patient-example.json");
  // A primitive's extensions are in its "_birthDate" sibling.
  CHECK(value(patient,
              "Patient.birthDate.extension('http://hl7.org/fhir/StructureDefinition/"
              "patient-birthTime').value") == "1974-12-25T14:35:45-05:00");
  CHECK(value(patient, "Patient.birthDate.extension.url") ==
        "http://hl7.org/fhir/StructureDefinition/patient-birthTime");
  CHECK(value(patient, "Patient.birthDate") == "1974-12-25");
  CHECK(value(patient,
              "Patient.contact.name.family.extension('http://hl7.org/fhir/StructureDefinition/"
              "humanname-own-prefix').value") == "VV");
  CHECK(values(patient, "Patient.birthDate.extension('http://other')").empty());
  CHECK(values(patient, "Patient.gender.extension").empty());

  const auto device = entry(corpus("davinci-pas-Bundle-Claim-submit.json"), "DeviceRequest");
  CHECK(value(device,
              "DeviceRequest.extension('http://build.fhir.org/ig/HL7/davinci-crd/STU3/"
              "ext-insurance.html').value.reference") == "Coverage/cov013");
  // A choice element's extensions, in "_valueString".
  const auto text_observation = entry(data("transaction-referral.json"), "Observation", 1);
  CHECK(value(text_observation,
              "Observation.value.extension('https://emr.example/ext/confidence').value") == "high");
}

TEST_CASE("modifierExtension values in a where() (Claim items cancelled or not)") {
  const auto claim = entry(corpus("davinci-pas-Bundle-Claim-submit.json"), "Claim");
  const std::string cancelled =
      "modifierExtension.where(url = "
      "'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-itemCancelled').value";
  CHECK(value(claim, "Claim.item.where(" + cancelled + " = false).sequence") == "2");
  CHECK(value(claim, "Claim.item.where(" + cancelled + ").sequence") == "1");
  CHECK(value(claim, "Claim.item.where(" + cancelled + ".not()).productOrService.coding.code") ==
        "B4184");
}

TEST_CASE("a primitive with only an extension exists but has no value") {
  const auto patient = fromJson(R"({"resourceType": "Patient",
      "name": [{"given": ["Ann", null], "_given": [null, {"extension": [{"url": "u", "valueCode": "x"}]}]}],
      "_gender": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                                 "valueCode": "asked-declined"}]}})");
  CHECK(value(patient, "Patient.gender.exists()") == "true");
  CHECK(value(patient, "Patient.gender.hasValue()") == "false");
  CHECK(value(patient, "Patient.gender") == "");
  CHECK(value(patient, "Patient.gender.extension.value") == "asked-declined");
  CHECK(values(patient, "Patient.name.given") == Values{"Ann", ""});
  CHECK(value(patient, "Patient.name.given[1].extension('u').value") == "x");
  CHECK(value(patient, "Patient.name.given[0].extension.count()") == "0");
}

TEST_CASE("numbers stay as written and compare as numbers, strings that look like numbers do not") {
  const auto patient = fromJson(R"({"resourceType": "Patient", "id": "0012",
      "multipleBirthInteger": 2, "extension": [{"url": "n", "valueDecimal": 1.50}]})");
  CHECK(value(patient, "Patient.extension('n').value") == "1.50");
  CHECK(value(patient, "Patient.extension('n').value = 1.5") == "true");
  CHECK(value(patient, "Patient.extension('n').value is decimal") == "true");
  CHECK(value(patient, "Patient.multipleBirth = 2") == "true");
  CHECK(value(patient, "Patient.multipleBirth.ofType(integer)") == "2");
  CHECK(value(patient, "Patient.id = '0012'") == "true");
  CHECK(value(patient, "Patient.id = '12'") == "false");
  CHECK(value(patient, "Patient.id = 12") == "false");
  // Which values were JSON numbers is known wherever they sit.
  const auto mixed = fromJson(R"({"resourceType": "Observation", "status": "final",
      "component": [{"valueInteger": 3}, {"valueString": "3"}, {"valueQuantity": {"value": 3e0}}],
      "extension": [{"url": "d", "valueDecimal": -0.50}]})");
  CHECK(value(mixed, "Observation.component[0].value = 3") == "true");
  CHECK(value(mixed, "Observation.component[1].value = 3") == "false");
  CHECK(value(mixed, "Observation.component[1].value = '3'") == "true");
  CHECK(value(mixed, "Observation.component[2].value.value = 3") == "true");
  CHECK(value(mixed, "Observation.component[2].value.value") == "3e0");
  CHECK(value(mixed, "Observation.extension('d').value < 0") == "true");
  CHECK(values(patient, "Patient.id > 11").empty());
}
