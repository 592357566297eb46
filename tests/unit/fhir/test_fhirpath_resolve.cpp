// resolve() within the Bundle a resource came from and to contained
// resources; what it cannot find is empty, never an error.
//
// tests/data/fhir/transaction-referral.json is the transaction Bundle EMRs
// send (Patient, Coverage, Condition, ServiceRequest with urn:uuid
// references), with a relative, an absolute and a versioned reference, an
// exact fullUrl, a contained Organization and references that resolve to
// nothing.

#include <catch2/catch.hpp>

#include "fhir_fixture.h"

using namespace rtw::fhir::test;

namespace {

rtw::fhir::Resource request() { return entry(data("transaction-referral.json"), "ServiceRequest"); }

}  // namespace

TEST_CASE("urn:uuid references resolve to the Bundle entry with that fullUrl") {
  const auto sr = request();
  CHECK(value(sr, "ServiceRequest.subject.resolve().name.family") == "Tremblay");
  CHECK(value(sr, "ServiceRequest.subject.resolve() is Patient") == "true");
  CHECK(value(sr, "ServiceRequest.subject.resolve().ofType(Patient).birthDate") == "1979-04-02");
  CHECK(value(sr, "ServiceRequest.reasonReference.resolve().onset") == "2026-01-15T08:30:00-08:00");
  // The claim number from the Coverage of type WCBPOL the ServiceRequest names.
  CHECK(value(sr,
              "ServiceRequest.insurance.resolve().where(type.coding.where(system = "
              "'http://terminology.hl7.org/CodeSystem/v3-ActCode' and code = "
              "'WCBPOL').exists()).subscriberId") == "12345678");
  // Through two references: the Coverage's beneficiary is the Patient again.
  CHECK(value(sr, "ServiceRequest.insurance.resolve().beneficiary.resolve().name.given.first()") ==
        "Anne");
  // A reference given as a string resolves too.
  CHECK(value(sr, "ServiceRequest.subject.reference.resolve().name.family") == "Tremblay");
  // A Coverage with a subscriberId but no subscriber: subscriber is not
  // mistaken for a choice element.
  const auto coverage = entry(data("transaction-referral.json"), "Coverage");
  CHECK(value(coverage, "Coverage.subscriber.exists()") == "false");
}

TEST_CASE("Type/id references resolve by the entries' resourceType and id") {
  const auto sr = request();
  // Relative: the entry whose fullUrl is https://emr.example/fhir/Practitioner/dr1.
  CHECK(value(sr, "ServiceRequest.requester.resolve().name.family") == "Case");
  // Exact fullUrl match.
  CHECK(value(sr, "ServiceRequest.supportingInfo[0].resolve().value.value") == "82.50");
  // An absolute URL ending in Type/id, with a version: the entry has a
  // urn:uuid fullUrl, so it is the one the EMR means.
  CHECK(value(sr, "ServiceRequest.supportingInfo[1].resolve().name.family") == "Singh");
  // The same Type/id under another server's base is another resource.
  CHECK(values(sr, "ServiceRequest.supportingInfo[2].resolve()").empty());
  // Only an identifier, and a urn:uuid no entry has: nothing.
  CHECK(values(sr, "ServiceRequest.supportingInfo[3].resolve()").empty());
  CHECK(values(sr, "ServiceRequest.supportingInfo[4].resolve()").empty());
  CHECK(value(sr, "ServiceRequest.supportingInfo.resolve().count()") == "2");
  CHECK(values(sr, "ServiceRequest.performer[1].resolve()").empty());
}

TEST_CASE("the Da Vinci PAS Bundle: Claim references by Type/id, a typo resolves to nothing") {
  const auto bundle = corpus("davinci-pas-Bundle-Claim-submit.json");
  const auto claim = entry(bundle, "Claim");
  CHECK(value(claim, "Claim.patient.resolve().id") == "pat013");
  CHECK(value(claim, "Claim.insurance.coverage.resolve().beneficiary.resolve().id") == "pat013");
  CHECK(value(claim, "Claim.supportingInfo.value.resolve().resourceType") ==
        "QuestionnaireResponse");
  CHECK(value(claim, "Claim.diagnosis.diagnosis.resolve().count()") == "3");
  CHECK(value(claim, "Claim.provider.resolve().id") == "pra1234");
  const auto device = entry(bundle, "DeviceRequest");
  CHECK(value(device,
              "DeviceRequest.extension('http://build.fhir.org/ig/HL7/davinci-crd/STU3/"
              "ext-insurance.html').value.resolve().subscriberId") == "10A3D58WH22");
  // "Organizarion/org014" is no resource type, and no Organization is in the Bundle.
  const auto typo = entry(bundle, "Coverage", 4);
  CHECK(value(typo, "Coverage.payor.reference") == "Organizarion/org014");
  CHECK(values(typo, "Coverage.payor.resolve()").empty());
  CHECK(values(entry(bundle, "Coverage"), "Coverage.payor.resolve()").empty());
  // From the Bundle itself.
  CHECK(value(bundle, "Bundle.entry.resource.ofType(Claim).patient.resolve().id") == "pat013");
}

TEST_CASE("#id resolves to a contained resource of the resource holding the reference") {
  const auto sr = golden("westcoast-fhir/servicerequest-referral.json");
  CHECK(value(sr, "ServiceRequest.subject.resolve().name.family") == "Doe");
  CHECK(values(sr, "ServiceRequest.reasonReference.resolve().code.text") ==
        Values{"Sprain of lumbar spine", "Strain of rotator cuff"});
  // Contained resources refer to each other through their container.
  CHECK(values(sr, "ServiceRequest.contained.ofType(Condition).subject.resolve().gender") ==
        Values{"female", "female"});
  // "#" is the resource itself.
  CHECK(
      value(
          fromJson(
              R"({"resourceType": "Patient", "id": "p", "link": [{"other": {"reference": "#"}}]})"),
          "Patient.link.other.resolve().id") == "p");
  CHECK(values(sr, "ServiceRequest.requester.resolve()").empty());  // a display only

  // In a Bundle entry, "#" looks in that entry's resource.
  const auto bundle = golden("westcoast-fhir/bundle-two-referrals.json");
  CHECK(value(entry(bundle, "ServiceRequest", 0), "ServiceRequest.subject.resolve().id") ==
        "worker");
  const auto in_bundle = request();
  CHECK(value(in_bundle, "ServiceRequest.performer[0].resolve().name") == "Harbour Physio");
  CHECK(values(in_bundle, "ServiceRequest.performer.resolve().name") == Values{"Harbour Physio"});
}

TEST_CASE("outside a Bundle only contained references resolve") {
  const auto sr = corpus("r4core-ServiceRequest-physiotherapy.json");
  CHECK(value(sr, "ServiceRequest.subject.reference") == "Patient/example");
  CHECK(values(sr, "ServiceRequest.subject.resolve()").empty());
  CHECK(value(sr, "ServiceRequest.subject.resolve().exists()") == "false");
}
