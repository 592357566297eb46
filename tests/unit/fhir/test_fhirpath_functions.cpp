// The functions of the table, one case per group, on the R4 example
// Patient (three names: official Peter James Chalmers, usual Jim, maiden
// Peter James Windsor; four telecoms).

#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>

#include "fhir_fixture.h"
#include "rtw/fhir/naming_systems.h"

using namespace rtw::fhir::test;
using Catch::Matchers::Contains;

TEST_CASE("existence: exists(), empty(), count(), all(), hasValue()") {
  const auto patient = corpus("r4core-Patient-example.json");
  CHECK(value(patient, "Patient.telecom.exists()") == "true");
  CHECK(value(patient, "Patient.photo.exists()") == "false");
  CHECK(value(patient, "Patient.telecom.exists(use = 'mobile')") == "true");
  CHECK(value(patient, "Patient.telecom.exists(use = 'pager')") == "false");
  CHECK(value(patient, "Patient.photo.empty()") == "true");
  CHECK(value(patient, "Patient.name.empty()") == "false");
  CHECK(value(patient, "Patient.photo.count()") == "0");
  CHECK(value(patient, "Patient.telecom.all(use.exists())") == "true");
  CHECK(value(patient, "Patient.telecom.all(system.exists())") == "false");
  CHECK(value(patient, "Patient.photo.all(false)") == "true");
  CHECK(value(patient, "Patient.gender.hasValue()") == "true");
  CHECK(value(patient, "Patient.name.first().hasValue()") == "false");
}

TEST_CASE("filtering: where(), select(), $this and $index") {
  const auto patient = corpus("r4core-Patient-example.json");
  CHECK(values(patient, "Patient.telecom.where(system = 'phone' and use != 'old').value") ==
        Values{"(03) 5555 6473", "(03) 3410 5613"});
  CHECK(value(patient, "Patient.name.where(given.count() > 1).count()") == "2");
  CHECK(values(patient, "Patient.name.select(given.first())") == Values{"Peter", "Jim", "Peter"});
  CHECK(values(patient, "Patient.name.select(family)") == Values{"Chalmers", "Windsor"});
  CHECK(value(patient, "Patient.name.given.where($this.startsWith('J') and $this != 'James')") ==
        "Jim");
  CHECK(value(patient, "Patient.name.given.where($index = 2)") == "Jim");
  CHECK(values(patient, "Patient.telecom.where(rank)").size() == 2);  // rank is a number: true
  CHECK_THAT(error(patient, "Patient.name.where(given)"),
             Contains("where() needs one boolean from its criteria, not 2 items"));
}

TEST_CASE("subsetting: [n], first(), last(), tail(), skip(), take(), single()") {
  const auto patient = corpus("r4core-Patient-example.json");
  CHECK(value(patient, "Patient.name.given[2]") == "Jim");
  CHECK(values(patient, "Patient.name.given[9]").empty());
  CHECK(value(patient, "Patient.name.given.first()") == "Peter");
  CHECK(value(patient, "Patient.name.given.last()") == "James");
  CHECK(values(patient, "Patient.name.given.tail()") == Values{"James", "Jim", "Peter", "James"});
  CHECK(values(patient, "Patient.name.given.skip(3)") == Values{"Peter", "James"});
  CHECK(values(patient, "Patient.name.given.skip(-1).count()") == Values{"5"});
  CHECK(values(patient, "Patient.name.given.take(2)") == Values{"Peter", "James"});
  CHECK(values(patient, "Patient.name.given.take(0)").empty());
  CHECK(value(patient, "Patient.gender.single()") == "male");
  CHECK_THAT(error(patient, "Patient.name.given.single()"), Contains("single() found 5 items"));
  CHECK_THAT(error(patient, "Patient.name.given.skip('2')"),
             Contains("skip() needs one integer as argument 1"));
}

TEST_CASE("iif() takes the branch its criterion picks, and only that one") {
  const auto patient = corpus("r4core-Patient-example.json");
  CHECK(value(patient, "iif(Patient.active, 'active', 'inactive')") == "active");
  CHECK(value(patient, "iif(Patient.deceased, 'dead', 'alive')") == "alive");
  CHECK(values(patient, "iif(Patient.photo.exists(), 'photo')").empty());
  CHECK(value(patient, "Patient.telecom.where(iif(use = 'home', false, true)).count()") == "3");
  // The branch not taken would be an error (several items for '<').
  CHECK(value(patient, "iif(Patient.active, 'ok', Patient.name.family < 'x')") == "ok");
}

TEST_CASE("text: startsWith, endsWith, contains, indexOf, substring, length, upper, lower") {
  const auto patient = corpus("r4core-Patient-example.json");
  CHECK(value(patient, "Patient.name.given.first().startsWith('Pe')") == "true");
  CHECK(value(patient, "Patient.name.given.first().startsWith('pe')") == "false");
  CHECK(value(patient, "Patient.name.given.first().endsWith('er')") == "true");
  CHECK(value(patient, "Patient.gender.contains('al')") == "true");
  CHECK(value(patient, "Patient.gender.contains('x')") == "false");
  CHECK(value(patient, "Patient.gender.indexOf('le')") == "2");
  CHECK(value(patient, "Patient.gender.indexOf('x')") == "-1");
  CHECK(value(patient, "Patient.gender.substring(1, 2)") == "al");
  CHECK(value(patient, "Patient.gender.substring(1)") == "ale");
  CHECK(values(patient, "Patient.gender.substring(9)").empty());
  CHECK(value(patient, "Patient.gender.length()") == "4");
  CHECK(value(patient, "Patient.gender.upper()") == "MALE");
  CHECK(value(patient, "Patient.name.family.first().lower()") == "chalmers");
  CHECK(value(patient, "Patient.name.given.count().toString()") == "5");
  // Characters, not bytes: "du Marché".
  CHECK(value(patient, "Patient.contact.name.family.length()") == "9");
  CHECK(value(patient, "Patient.contact.name.family.substring(7)") == "hé");
  CHECK(value(patient, "Patient.contact.name.family.upper()") == "DU MARCHé");
  CHECK(values(patient, "Patient.photo.url.startsWith('x')").empty());
  CHECK_THAT(error(patient, "Patient.name.family.startsWith('C')"),
             Contains("startsWith() reads one string, the input has 2 items"));
  CHECK_THAT(error(patient, "Patient.name.first().startsWith('C')"),
             Contains("startsWith() reads a string, and its input is not one"));
}

TEST_CASE("matches() runs RE2 and finds the pattern anywhere, as FHIRPath's matches does") {
  const auto patient = corpus("r4core-Patient-example.json");
  CHECK(value(patient, "Patient.identifier.where(value.matches('^[0-9]+$')).value") == "12345");
  CHECK(value(patient, "Patient.gender.matches('al')") == "true");
  CHECK(value(patient, "Patient.gender.matches('^al')") == "false");
  CHECK(value(patient, "Patient.telecom.where(value.matches('\\\\(03\\\\) 3410')).use") ==
        "mobile");
  // Linear time on a long value (std::regex recursed per character here).
  const auto long_text =
      fromJson(R"({"resourceType": "Patient", "gender": ")" + std::string(200000, 'a') + "\"}");
  CHECK(value(long_text, "Patient.gender.matches('^(a|aa)+$')") == "true");
}

TEST_CASE("Canadian identifiers by NamingSystem URI, aliases included, and the version code") {
  const auto patient = entry(data("transaction-referral.json"), "Patient");
  // The HCN is sent under eHealth Ontario's alias, the PHN under Infoway's URI.
  CHECK(value(patient, "Patient.identifier.where(system in %onHcnSystems).value") == "1234567897");
  CHECK(value(patient, "Patient.identifier.where(system in %bcPhnSystems).value") == "9698658215");
  CHECK(value(patient,
              "Patient.identifier.where(system in %onHcnSystems).extension.where(url in "
              "%identifierVersionUrls).value") == "AB");
  CHECK(
      value(patient,
            "Patient.identifier.where(system in %onHcnSystems).extension("
            "'http://hl7.org/fhir/ca/baseline/StructureDefinition/ext-identifierversion').value") ==
      "AB");
  CHECK(
      value(
          patient,
          "Patient.identifier.where(system in %bcPhnSystems or system in %onHcnSystems).count()") ==
      "2");
  CHECK(values(patient, "Patient.identifier.where(system in %bcPhnSystems).extension").empty());
  CHECK(value(patient, "Patient.identifier.where(system = 'https://emr.example/mrn').value") ==
        "MRN-778");
  // The lists: the canonical Infoway URI first, the issue's alias among them.
  CHECK(rtw::fhir::kOnHcnSystems[0] ==
        "https://fhir.infoway-inforoute.ca/NamingSystem/ca-on-patient-hcn");
  CHECK(rtw::fhir::environmentVariable("onHcnSystems").size() ==
        std::size(rtw::fhir::kOnHcnSystems));
  CHECK(std::find(std::begin(rtw::fhir::kOnHcnSystems), std::end(rtw::fhir::kOnHcnSystems),
                  "http://ehealthontario.ca/fhir/NamingSystem/ca-on-patient-hcn") !=
        std::end(rtw::fhir::kOnHcnSystems));
  CHECK(rtw::fhir::environmentVariable("phn").empty());
  const auto golden_request = golden("westcoast-fhir/servicerequest-referral.json");
  CHECK(value(golden_request,
              "ServiceRequest.contained.ofType(Patient).identifier.where(system in "
              "%bcPhnSystems).value") == "9698658215");
}

TEST_CASE("a collection past the item limit stops with an error, not a huge answer") {
  std::string json = R"({"resourceType": "Patient", "name": [)";
  for (int i = 0; i < 100001; ++i) {
    json += i == 0 ? "{}" : ",{}";
  }
  json += "]}";
  const auto patient = fromJson(json);
  CHECK_THAT(error(patient, "Patient.name.count()"), Contains("more than 100000 items"));
  CHECK(value(patient, "Patient.gender.count()") == "0");
}
