// What checkPath() (the mapping loader's check) refuses, with the place:
// bad syntax, unknown functions, types and variables, the limits, and the
// rules of a repeat's "each".

#include <catch2/catch.hpp>

#include "rtw/fhir/resource.h"

using Catch::Matchers::Contains;
using rtw::fhir::checkPath;
using rtw::fhir::pathResourceType;

TEST_CASE("expressions that run are accepted, with the resource type they start at") {
  for (const char* path : {
           "ServiceRequest.subject.resolve().name.family",
           "Observation.value.ofType(Quantity).value > 5.5 and Observation.status = 'final'",
           "Patient.identifier.where(system in %onHcnSystems).value",
           "Patient.birthDate.extension('http://x').value",
           "iif(Patient.active, 'a', 'b')",
           "Patient.name.where($this.given.count() > 1 implies use = 'official')",
           "Patient.birthDate >= @2024-11-01 xor Patient.deceased",
           "(Patient.name.given)[0]",
           "Patient.name.`given`.first() // a comment",
           "Patient.telecom.where(value.matches('^[0-9 ()-]+$')) /* block */ .count() = 2",
           "Patient.gender is FHIR.code or Patient.gender is System.String",
           "{} = Patient.name",
           "Patient.name.given.where($index > -1)",
       }) {
    INFO(path);
    CHECK(checkPath(path).empty());
  }
  CHECK(pathResourceType("iif(Patient.active, 'a', 'b')") == "Patient");
  CHECK(pathResourceType("Claim.item[*].net.value") == "Claim");
  CHECK(pathResourceType("Observation.value > 3") == "Observation");
}

TEST_CASE("syntax errors say what and where") {
  CHECK_THAT(checkPath("Patient.name.where(use = 'x'"), Contains("expected ')'"));
  CHECK_THAT(checkPath("Patient.name.where(use = 'x)"), Contains("a string is not closed"));
  CHECK_THAT(checkPath("Patient.name."), Contains("expected a name after '.'"));
  CHECK_THAT(checkPath("Patient.name.given[x]"), Contains("indexer is a number"));
  CHECK_THAT(checkPath("Patient.name.given[1.5]"), Contains("indexer is a number"));
  CHECK_THAT(checkPath("Patient.name ="), Contains("the expression ends early"));
  CHECK_THAT(checkPath("Patient.name )"), Contains("unexpected ')' (at character 14)"));
  CHECK_THAT(checkPath("Patient.name # x"), Contains("unexpected '#' (at character 14)"));
  CHECK_THAT(checkPath("Patient.birthDate > @2024-13-01"),
             Contains("'@2024-13-01' is not a date, dateTime or time (at character 21)"));
  CHECK_THAT(checkPath("Patient.birthDate > @2023-02-29"), Contains("is not a date"));
  CHECK_THAT(checkPath("Patient.name.where(use = '\\u00e')"), Contains("four hex digits"));
  CHECK_THAT(checkPath("Patient.name.``"), Contains("is empty"));
}

TEST_CASE("what FHIRPath has and this engine does not is refused by name") {
  CHECK_THAT(checkPath("Patient.name | Patient.id"),
             Contains("'|' (union) is not supported (at character 14)"));
  CHECK_THAT(checkPath("Patient.multipleBirth + 1"), Contains("arithmetic ('+') is not supported"));
  CHECK_THAT(checkPath("Patient.name.family & 'x'"), Contains("concatenation"));
  CHECK_THAT(checkPath("Patient.gender ~ 'male'"), Contains("equivalence ('~') is not supported"));
  CHECK_THAT(checkPath("Patient.weight > 4 'kg'"), Contains("quantities"));
  CHECK_THAT(checkPath("Patient.name.descendants()"),
             Contains("unknown function 'descendants()'") && Contains("where()") &&
                 Contains("(at character 14)"));
  CHECK_THAT(checkPath("%resource.name"), Contains("%resource is not supported"));
  CHECK_THAT(checkPath("Patient.identifier.where(system in %phnSystems)"),
             Contains("unknown variable '%phnSystems'") && Contains("%bcPhnSystems"));
  CHECK_THAT(checkPath("Patient.name.where($total)"), Contains("unknown '$total'"));
}

TEST_CASE("functions are checked for their arguments and types") {
  CHECK_THAT(checkPath("Patient.name.first(1)"), Contains("first() takes no arguments"));
  CHECK_THAT(checkPath("Patient.name.where()"), Contains("where() takes 1 argument"));
  CHECK_THAT(checkPath("Patient.name.substring()"), Contains("substring() takes 1 to 2 arguments"));
  CHECK_THAT(checkPath("iif(Patient.active)"), Contains("iif() takes 2 to 3 arguments"));
  CHECK_THAT(checkPath("Observation.value.ofType(Quantiy)"),
             Contains("unknown type 'Quantiy' (at character 26)"));
  CHECK_THAT(checkPath("Observation.value is 'Quantity'"), Contains("expected a type name"));
  CHECK_THAT(checkPath("Observation.value.ofType(System.Quantity)"), Contains("unknown type"));
  CHECK_THAT(checkPath("Patient.gender.matches(Patient.gender)"),
             Contains("matches() takes its pattern as a 'string'"));
  CHECK_THAT(checkPath("Patient.gender.matches('(a')"),
             Contains("matches() takes a regular expression RE2 accepts"));
  CHECK_THAT(checkPath("Patient.gender.matches('(?=a)b')"), Contains("RE2"));
}

TEST_CASE("a path starts with one resource type, and $this is only on an item") {
  CHECK_THAT(checkPath("subject.reference"), Contains("starts with the resource type"));
  CHECK_THAT(checkPath("'abc'"),
             Contains("starts with the resource type") && Contains("(at character 1)"));
  CHECK_THAT(checkPath("exists()"), Contains("starts with the resource type"));
  CHECK_THAT(checkPath("Patinet.name"), Contains("'Patinet' is not a FHIR R4 resource type"));
  CHECK_THAT(checkPath("Patient.name.exists() and ServiceRequest.id.exists()"),
             Contains("starts at both Patient and ServiceRequest (at character 27)"));
  CHECK_THAT(checkPath("$this.name"), Contains("$this is an item of where()"));
  CHECK_THAT(checkPath("Patient.name.given.startsWith(given)"),
             Contains("starts with the resource type") && Contains("(at character 31)"));
  // Inside a criteria paths are relative to the item.
  CHECK(checkPath("Patient.name.where(given.startsWith('J'))").empty());
}

TEST_CASE("limits: expression length, steps and nesting depth") {
  std::string chain = "Patient";
  for (int i = 0; i < 600; ++i) {
    chain += ".a";
  }
  CHECK_THAT(checkPath(chain), Contains("more than 512 steps"));
  CHECK(checkPath(chain.substr(0, 7 + 2 * 400)).empty());
  const std::string long_path = "Patient." + std::string(5000, 'a');
  CHECK_THAT(checkPath(long_path), Contains("longer than 4096 bytes"));
  std::string deep = "Patient.name";
  for (int i = 0; i < 40; ++i) {
    deep = "(" + deep + ")";
  }
  CHECK_THAT(checkPath(deep), Contains("nests deeper than 32 levels"));
  std::string nested = "Patient.name";
  for (int i = 0; i < 20; ++i) {
    nested = "Patient.name.where(" + nested.substr(8) + ".exists())";
  }
  CHECK(checkPath(nested).empty());
  std::string too_nested = "Patient.name";
  for (int i = 0; i < 40; ++i) {
    too_nested = "Patient.name.where(" + too_nested.substr(8) + ".exists())";
  }
  CHECK_THAT(checkPath(too_nested), Contains("nests deeper than 32"));
}

TEST_CASE("a repeat's each: one [*] on the path itself and no other '*'") {
  CHECK(checkPath("Claim.item[*]", true).empty());
  CHECK(checkPath("ServiceRequest.contained.where(resourceType = 'Condition')[*]", true).empty());
  CHECK(checkPath("Claim.item.where(net.value > 0)[*].detail", true).empty());
  CHECK_THAT(checkPath("Patient.name[*]"), Contains("indexer is a number"));
  CHECK_THAT(checkPath("Patient.name", true), Contains("exactly one '[*]'"));
  CHECK_THAT(checkPath("Claim.item[*].detail[*]", true), Contains("exactly one '[*]'"));
  CHECK_THAT(checkPath("Claim.item.where(detail[*].exists())", true),
             Contains("on the path itself"));
  CHECK_THAT(checkPath("Claim.item[*].exists() and Claim.id.exists()", true),
             Contains("on the path itself"));
  CHECK_THAT(checkPath("Claim.item.where(productOrService.text = 'a*b')[*]", true),
             Contains("no '*' besides its '[*]'"));
}
