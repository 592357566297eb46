// The gateway's own FHIRPath variables (%claimNumberSystem, %boardNames:
// values from the partner's board profile, set per translation), the
// Ontario Health version-code extension, and what of a Bundle a mapping
// translates (fhir::translationUnits).

#include <catch2/catch.hpp>

#include "fhir_fixture.h"
#include "rtw/fhir/naming_systems.h"

using namespace rtw::fhir::test;
using Catch::Matchers::Contains;

namespace {

std::shared_ptr<const rtw::fhir::Variables> wsbc() {
  return std::make_shared<const rtw::fhir::Variables>(rtw::fhir::Variables{
      {"claimNumberSystem", {"https://rtw.gateway/NamingSystem/wsbc-claim"}},
      {"boardNames", {"WSBC", "WorkSafeBC"}},
  });
}

const char* kRequest = R"({"resourceType": "ServiceRequest",
  "identifier": [
    {"system": "https://rtw.gateway/NamingSystem/wsib-claim", "value": "7654321"},
    {"system": "https://rtw.gateway/NamingSystem/wsbc-claim", "value": "12345678"}
  ]})";

}  // namespace

TEST_CASE("%claimNumberSystem is the board's URI when the gateway sets it, else empty") {
  const auto request = fromJson(kRequest);
  const std::string path = "ServiceRequest.identifier.where(system in %claimNumberSystem).value";
  CHECK(values(request, path).empty());
  CHECK(value(request.withVariables(wsbc()), path) == "12345678");
  // The copy shares the text; the original still has no variables.
  CHECK(values(request, "ServiceRequest.select(%claimNumberSystem)").empty());
  CHECK(value(request.withVariables(wsbc()), "ServiceRequest.select(%boardNames).count()") == "2");
  // A variable the gateway did not set is empty, not an error.
  const auto without = std::make_shared<const rtw::fhir::Variables>();
  CHECK(values(request.withVariables(without), path).empty());
}

TEST_CASE("a Bundle's entries keep the variables, and resolve() still sees the Bundle") {
  const auto bundle = data("transaction-referral.json").withVariables(wsbc());
  const auto sr = entry(bundle, "ServiceRequest");
  CHECK(value(sr,
              "ServiceRequest.insurance.resolve().where(payor.where(display in "
              "%boardNames).exists()).subscriberId") == "12345678");
  const auto wsib = std::make_shared<const rtw::fhir::Variables>(
      rtw::fhir::Variables{{"boardNames", {"WSIB", "Workplace Safety and Insurance Board"}}});
  CHECK(values(entry(data("transaction-referral.json").withVariables(wsib), "ServiceRequest"),
               "ServiceRequest.insurance.resolve().where(payor.where(display in "
               "%boardNames).exists()).subscriberId")
            .empty());
}

TEST_CASE("the parser knows the gateway's variables and refuses others by name") {
  CHECK(rtw::fhir::checkPath("Coverage.identifier.where(system in %claimNumberSystem)").empty());
  CHECK(rtw::fhir::checkPath("Coverage.payor.where(display in %boardNames)").empty());
  CHECK(rtw::fhir::isGatewayVariable("claimNumberSystem"));
  CHECK_FALSE(rtw::fhir::isGatewayVariable("onHcnSystems"));
  CHECK_THAT(rtw::fhir::checkPath("Coverage.identifier.where(system in %claimSystem)"),
             Contains("unknown variable '%claimSystem'") && Contains("%claimNumberSystem") &&
                 Contains("%boardNames"));
}

TEST_CASE("Ontario Health's health card version code extension is one of the version URLs") {
  const auto patient = fromJson(R"({"resourceType": "Patient", "identifier": [{
    "system": "https://fhir.infoway-inforoute.ca/NamingSystem/ca-on-patient-hcn",
    "value": "1234567897",
    "extension": [{"url": "http://ehealthontario.ca/fhir/StructureDefinition/ext-id-health-card-version-code",
                   "valueString": "JR"}]}]})");
  CHECK(value(patient,
              "Patient.identifier.where(system in %onHcnSystems).extension.where(url in "
              "%identifierVersionUrls).value") == "JR");
}

TEST_CASE("a document Bundle is translated by its Composition alone") {
  const auto bundle = fromJson(R"({"resourceType": "Bundle", "type": "document", "entry": [
    {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Composition", "id": "c"}},
    {"fullUrl": "urn:uuid:2", "resource": {"resourceType": "Observation", "id": "o"}}]})");
  std::string error;
  const auto units = rtw::fhir::translationUnits(bundle, error);
  REQUIRE(units.size() == 1);
  CHECK(units.front().resourceType() == "Composition");
  CHECK(error.empty());
  // Whatever the partner maps: the document is the Composition.
  const auto units_mapped = rtw::fhir::translationUnits(
      bundle, error, [](std::string_view type) { return type == "Observation"; });
  REQUIRE(units_mapped.size() == 1);
  CHECK(units_mapped.front().resourceType() == "Composition");
}

TEST_CASE("a document Bundle that does not start with a Composition is refused, saying so") {
  const auto bundle = fromJson(R"({"resourceType": "Bundle", "type": "document", "entry": [
    {"resource": {"resourceType": "Observation"}},
    {"resource": {"resourceType": "Composition"}}]})");
  std::string error;
  CHECK(rtw::fhir::translationUnits(bundle, error).empty());
  CHECK(error == "a document Bundle must start with its Composition, not a Observation");
}

TEST_CASE("of other Bundles, the entries of a type the partner maps, or an error naming the rest") {
  const auto bundle = data("transaction-referral.json");
  std::string error;
  CHECK(rtw::fhir::translationUnits(bundle, error).size() == 8);  // no test: every entry
  const auto units = rtw::fhir::translationUnits(
      bundle, error, [](std::string_view type) { return type == "ServiceRequest"; });
  REQUIRE(units.size() == 1);
  CHECK(units.front().resourceType() == "ServiceRequest");
  CHECK(error.empty());
  CHECK(rtw::fhir::translationUnits(bundle, error, [](std::string_view) { return false; }).empty());
  CHECK(error ==
        "no entry of the Bundle is of a type the partner maps (it has Patient, Coverage, "
        "Condition, ServiceRequest, Practitioner, Observation)");
  // A resource that is not a Bundle is its own unit, mapped or not.
  const auto patient = entry(bundle, "Patient");
  CHECK(rtw::fhir::translationUnits(patient, error, [](std::string_view) {
          return false;
        }).size() == 1);
}
