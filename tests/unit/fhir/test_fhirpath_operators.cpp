// Comparison, equality, membership and boolean operators with FHIRPath's
// rules: an empty operand gives empty (unknown), '=' compares whole
// collections, dates compare as far as both are known.

#include <catch2/catch.hpp>

#include "fhir_fixture.h"

using namespace rtw::fhir::test;
using Catch::Matchers::Contains;

TEST_CASE("= and != on strings, and on collections as wholes") {
  const auto patient = corpus("r4core-Patient-example.json");
  CHECK(value(patient, "Patient.gender = 'male'") == "true");
  CHECK(value(patient, "Patient.gender != 'female'") == "true");
  CHECK(value(patient, "Patient.gender = 'Male'") == "false");
  // Two families (Chalmers, Windsor): a collection of two is not one string.
  CHECK(values(patient, "Patient.name.family") == Values{"Chalmers", "Windsor"});
  CHECK(value(patient, "Patient.name.family = 'Chalmers'") == "false");
  CHECK(value(patient, "'Chalmers' in Patient.name.family") == "true");
  CHECK(value(patient, "Patient.name.family contains 'Windsor'") == "true");
  CHECK(value(patient, "Patient.name.family contains 'Smith'") == "false");
  CHECK(value(patient, "Patient.name.where(use = 'official').family = 'Chalmers'") == "true");
  // Empty on either side: empty, not false.
  CHECK(values(patient, "Patient.photo.url = 'x'").empty());
  CHECK(values(patient, "Patient.photo.url != 'x'").empty());
  // Objects compare member by member.
  CHECK(value(patient, "Patient.name[2].period = Patient.name[2].period") == "true");
  CHECK(value(patient, "Patient.name[0] = Patient.name[2]") == "false");
}

TEST_CASE("numbers compare as numbers") {
  const auto observation = entry(corpus("davinci-pas-Bundle-Claim-submit.json"), "Observation");
  CHECK(value(observation, "Observation.value.value > 80") == "true");
  CHECK(value(observation, "Observation.value.value >= 85") == "true");
  CHECK(value(observation, "Observation.value.value < 85.0") == "false");
  CHECK(value(observation, "Observation.value.value <= 85.00") == "true");
  CHECK(value(observation, "Observation.value.value = 85.0") == "true");
  CHECK(value(observation, "Observation.value.value > -1") == "true");
  const auto patient = corpus("r4core-Patient-example.json");
  CHECK(value(patient, "Patient.name.given.count() > 4") == "true");
  CHECK(value(patient, "Patient.name.given.count() = 5") == "true");
  // "10" < "9" as text, 10 > 9 as numbers: count() is a number.
  CHECK(value(patient, "Patient.name.given.count() > 10") == "false");
  // A number and a text are not ordered.
  CHECK(values(patient, "Patient.gender > 3").empty());
}

TEST_CASE("dates compare with FHIR's partial precision") {
  const auto patient = corpus("r4core-Patient-example.json");  // birthDate 1974-12-25
  CHECK(value(patient, "Patient.birthDate = @1974-12-25") == "true");
  CHECK(value(patient, "Patient.birthDate != @1974-12-24") == "true");
  CHECK(value(patient, "Patient.birthDate < @1975") == "true");
  CHECK(value(patient, "Patient.birthDate > @1974-11") == "true");
  // Same year, but the literal says nothing finer: unknown.
  CHECK(values(patient, "Patient.birthDate = @1974").empty());
  CHECK(values(patient, "Patient.birthDate >= @1974-12-25T10:00:00Z").empty());
  CHECK(value(patient, "Patient.birthDate < @1974-12-26T10:00:00Z") == "true");
  // A text that holds a date compares as one.
  CHECK(value(patient, "Patient.birthDate >= '1974-12-01'") == "true");

  const auto request = golden("westcoast-fhir/servicerequest-referral.json");
  // authoredOn 2026-02-20T10:15:00-08:00 is 18:15 UTC.
  CHECK(value(request, "ServiceRequest.authoredOn > @2026-02-20T18:14:00Z") == "true");
  CHECK(value(request, "ServiceRequest.authoredOn < @2026-02-20T18:16:00+00:00") == "true");
  CHECK(value(request, "ServiceRequest.authoredOn = @2026-02-20T13:15:00-05:00") == "true");
  CHECK(value(request, "ServiceRequest.authoredOn >= @2024-11-01") == "true");
  // Two elements: an onset known to the day against one known to the second.
  CHECK(values(request,
               "ServiceRequest.contained.where(id = 'injury1').onset > "
               "ServiceRequest.contained.where(id = 'injury2').onset")
            .empty());

  const auto text_observation = entry(data("transaction-referral.json"), "Observation", 1);
  CHECK(value(text_observation, "Observation.effective.start < Observation.effective.end") ==
        "true");
  const auto weight = entry(data("transaction-referral.json"), "Observation", 0);
  CHECK(value(weight, "Observation.effective = @2026-02-19") == "true");
  CHECK(values(weight, "Observation.effective < @2026-02-19T10:00:00-08:00").empty());
  CHECK(value(weight, "Observation.effective < @2026-02-20T10:00:00-08:00") == "true");
  // A date and a time of day are not ordered.
  CHECK(values(weight, "Observation.effective > @T10:00").empty());
}

TEST_CASE("times compare with times only") {
  const auto patient = fromJson(R"({"resourceType": "Patient",
      "extension": [{"url": "t", "valueTime": "10:30:00"}]})");
  CHECK(value(patient, "Patient.extension('t').value > @T10:00") == "true");
  CHECK(value(patient, "Patient.extension('t').value = @T10:30:00.000") == "true");
  CHECK(values(patient, "Patient.extension('t').value = @T10").empty());
  CHECK(values(patient, "Patient.extension('t').value > @2024-01-01").empty());
}

TEST_CASE("and, or, xor, implies and not() with three-valued logic") {
  const auto patient = corpus("r4core-Patient-example.json");  // active, not deceased
  CHECK(value(patient, "Patient.active and Patient.deceased.not()") == "true");
  CHECK(value(patient, "Patient.active and Patient.deceased") == "false");
  CHECK(value(patient, "Patient.photo.exists() or Patient.active") == "true");
  CHECK(value(patient, "Patient.active xor Patient.deceased") == "true");
  CHECK(value(patient, "Patient.active xor Patient.active") == "false");
  CHECK(value(patient, "Patient.deceased implies Patient.photo.exists()") == "true");
  CHECK(value(patient, "Patient.active implies Patient.photo.exists()") == "false");
  // An empty operand is unknown.
  CHECK(value(patient, "Patient.deceased and Patient.photo.url") == "false");
  CHECK(values(patient, "Patient.active and Patient.photo.url").empty());
  CHECK(value(patient, "Patient.active or Patient.photo.url") == "true");
  CHECK(values(patient, "Patient.deceased or Patient.photo.url").empty());
  CHECK(values(patient, "Patient.active xor {}").empty());
  CHECK(value(patient, "{} implies Patient.active") == "true");
  CHECK(values(patient, "Patient.active implies {}").empty());
  CHECK(values(patient, "Patient.photo.exists().not() and {}").empty());
  CHECK(values(patient, "Patient.photo.url.not()").empty());
  // A single non-boolean item counts as true (FHIRPath's singleton evaluation).
  CHECK(value(patient, "Patient.gender and true") == "true");
  // Precedence: and binds tighter than or, comparisons tighter than and.
  CHECK(value(patient, "Patient.active or Patient.active and false") == "true");
  CHECK(value(patient, "(Patient.active or Patient.active) and false") == "false");
  CHECK(value(patient, "Patient.gender = 'male' and Patient.birthDate < @2000") == "true");
}

TEST_CASE("operators needing one item say so when given several") {
  const auto patient = corpus("r4core-Patient-example.json");
  CHECK_THAT(error(patient, "Patient.name.family < 'D'"),
             Contains("'<' compares one item on the left, not 2") && Contains("at character 21"));
  CHECK_THAT(error(patient, "Patient.name.family in Patient.name.family"),
             Contains("'in' compares one item on the left, not 2"));
  CHECK_THAT(error(patient, "Patient.name.family and true"),
             Contains("'and' needs one boolean on the left, not 2 items"));
  CHECK_THAT(error(patient, "Patient.name.given is string"), Contains("'is' tests one item"));
  // The message names the place, never a value of the resource.
  CHECK_THAT(error(patient, "Patient.name.family < 'D'"), !Contains("Chalmers"));
}
