// Report rules: the sections each report type carries, discharge-status
// codes, attendance, date order, deadlines and abilities-focused wording.
// Each case breaks one rule of a valid example.

#include <catch2/catch.hpp>

#include "example_fixture.h"

using namespace rtw::worksafe;
using namespace rtw::worksafe::test;

namespace {

const std::string kInitial = "report-initial-wsbc.xml";
const std::string kProgress = "report-progress-wsbc.xml";
const std::string kDischarge = "report-discharge-wsbc.xml";

}  // namespace

TEST_CASE("REPORT_SECTION: an INITIAL report", "[rules][report]") {
  requireOnly(variant(kInitial, {"assessmentDate"}),
              error("REPORT_SECTION", "assessmentDate", "required in an INITIAL report"));
  requireOnly(variant(kInitial, {"treatmentPlan"}),
              error("REPORT_SECTION", "treatmentPlan", "required in an INITIAL report"));
  requireOnly(variant(kInitial, {}, {{"dischargeDate", "2025-03-06"}}),
              error("REPORT_SECTION", "dischargeDate", "not part of an INITIAL report"));
  requireOnly(variant(kInitial, {}, {{"dischargeStatus", "RTW_FULL"}}),
              error("REPORT_SECTION", "dischargeStatus", "not part of an INITIAL report"));
  requireOnly(variant(kInitial, {},
                      {{"attendance/scheduled", "1"},
                       {"attendance/attended", "1"},
                       {"attendance/missed", "0"}}),
              error("REPORT_SECTION", "attendance", "not part of an INITIAL report"));
}

TEST_CASE("REPORT_SECTION: a PROGRESS report", "[rules][report]") {
  requireOnly(variant(kProgress, {"attendance"}),
              error("REPORT_SECTION", "attendance", "required in a PROGRESS report"));
  requireOnly(variant(kProgress, {"treatmentPlan"}),
              error("REPORT_SECTION", "treatmentPlan", "required in a PROGRESS report"));
  requireOnly(variant(kProgress, {}, {{"assessmentDate", "2025-03-05"}}),
              error("REPORT_SECTION", "assessmentDate", "not part of a PROGRESS report"));
}

TEST_CASE("REPORT_SECTION: a DISCHARGE report", "[rules][report]") {
  requireOnly(variant(kDischarge, {"dischargeDate"}),
              error("REPORT_SECTION", "dischargeDate", "required in a DISCHARGE report"));
  requireOnly(variant(kDischarge, {"dischargeStatus"}),
              error("REPORT_SECTION", "dischargeStatus", "required in a DISCHARGE report"));
  requireOnly(variant(kDischarge, {"attendance"}),
              error("REPORT_SECTION", "attendance", "required in a DISCHARGE report"));
  requireOnly(variant(kDischarge, {"goal[2]/status"}),
              error("REPORT_SECTION", "goal[2]/status", "required in a DISCHARGE report"));
  requireOnly(variant(kDischarge, {},
                      {{"treatmentPlan/discipline[1]", "physiotherapy"},
                       {"treatmentPlan/sessionsPerWeek", "2"},
                       {"treatmentPlan/expectedWeeks", "2"}}),
              error("REPORT_SECTION", "treatmentPlan", "not part of a DISCHARGE report"));
}

TEST_CASE("DISCHARGE_STATUS: codes come from the board profile", "[rules][report]") {
  requireOnly(variant(kDischarge, {}, {{"dischargeStatus", "GOALS_MET"}}),
              error("DISCHARGE_STATUS", "dischargeStatus", "not a WSBC discharge status code"));
}

TEST_CASE("ATTENDANCE_COUNT: attended sessions do not exceed scheduled ones", "[rules][report]") {
  requireOnly(
      variant(kProgress, {}, {{"attendance/attended", "13"}}),
      error("ATTENDANCE_COUNT", "attendance/attended", "must not exceed attendance/scheduled"));
}

TEST_CASE("DATE_ORDER: the dates of a report", "[rules][report][dates]") {
  requireOnly(
      variant(kProgress, {}, {{"reportingPeriod/end", "2025-03-07"}}),
      error("DATE_ORDER", "reportingPeriod/end", "must not be before reportingPeriod/start"));
  requireOnly(variant(kInitial, {}, {{"reportingPeriod/end", "2025-03-08"}}),
              error("DATE_ORDER", "reportingPeriod/end", "must not be after reportDate"));
  requireOnly(variant(kInitial, {}, {{"assessmentDate", "2025-03-08"}}),
              error("DATE_ORDER", "assessmentDate", "must not be after reportDate"));
  requireOnly(variant(kDischarge, {}, {{"admissionDate", "2025-05-03"}}),
              error("DATE_ORDER", "dischargeDate", "must not be before admissionDate"));
  requireOnly(variant(kDischarge, {}, {{"dischargeDate", "2025-05-07"}}),
              error("DATE_ORDER", "dischargeDate", "must not be after reportDate"));
  requireOnly(
      variant(kProgress, {}, {{"functionalAbility[2]/measuredOn", "2025-04-08"}}),
      error("DATE_ORDER", "functionalAbility[2]/measuredOn", "must not be after reportDate"));
  requireOnly(variant(kProgress, {}, {{"worker/birthDate", "2025-01-16"}}),
              error("DATE_ORDER", "dateOfInjury", "must not be before worker/birthDate"));
  // An injury after the report puts every later date out of order.
  requireProblems(variant(kInitial, {}, {{"dateOfInjury", "2025-03-08"}}),
                  {error("DATE_ORDER", "reportDate", "must not be before dateOfInjury"),
                   error("DATE_ORDER", "admissionDate", "must not be before dateOfInjury"),
                   error("DATE_ORDER", "assessmentDate", "must not be before dateOfInjury")});
}

TEST_CASE("REPORT_DEADLINE: an INITIAL report within 5 working days", "[rules][report]") {
  // Assessed on Wednesday 2025-03-05: due by Wednesday 2025-03-12.
  CHECK(check(variant(kInitial, {}, {{"reportDate", "2025-03-12"}})).empty());
  requireOnly(variant(kInitial, {}, {{"reportDate", "2025-03-13"}}),
              warning("REPORT_DEADLINE", "reportDate",
                      "an INITIAL report is due within 5 working days of the assessmentDate"));
}

TEST_CASE("REPORT_DEADLINE: a DISCHARGE report within 5 working days", "[rules][report]") {
  // Discharged Friday 2025-05-16; Monday 2025-05-19 is Victoria Day.
  const std::vector<Field> discharged = {{"dischargeDate", "2025-05-16"},
                                         {"reportingPeriod/end", "2025-05-16"}};
  auto reportedOn = [&](const char* date) {
    std::vector<Field> fields = discharged;
    fields.emplace_back("reportDate", date);
    return variant(kDischarge, {}, fields);
  };
  CHECK(check(reportedOn("2025-05-26")).empty());
  requireOnly(reportedOn("2025-05-27"),
              warning("REPORT_DEADLINE", "reportDate",
                      "a DISCHARGE report is due within 5 working days of the dischargeDate"));
}

TEST_CASE("REPORT_DEADLINE: a PROGRESS report covers at most 30 days", "[rules][report]") {
  requireOnly(
      variant(kProgress, {}, {{"reportingPeriod/start", "2025-03-07"}}),
      warning("REPORT_DEADLINE", "reportingPeriod", "a PROGRESS report covers at most 30 days"));
}

TEST_CASE("REPORT_DEADLINE: deadline severity comes from the profile", "[rules][report]") {
  BoardProfile strict = *profiles()->find("WSBC");
  strict.initial_report->severity = Problem::Severity::kError;
  const auto strict_profiles = BoardProfiles::of({strict});
  const auto problems =
      validateDocument(*schemas(), *strict_profiles,
                       variant(kInitial, {}, {{"reportDate", "2025-03-13"}}), exampleToday());
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().severity == Problem::Severity::kError);
}

TEST_CASE("ABILITIES_LANGUAGE: old wording in report text is a warning", "[rules][report]") {
  requireOnly(variant(kInitial, {}, {{"consideration[1]", "Limitations in bending"}}),
              warning("ABILITIES_LANGUAGE", "consideration[1]",
                      "use abilities-focused wording: 'considerations' instead of 'limitations'"));
  requireProblems(
      variant(kProgress, {},
              {{"factor[1]/text", "Barriers: a long commute"},
               {"recommendations", "Address the barrier and the limitation at work"}}),
      {warning("ABILITIES_LANGUAGE", "factor[1]/text",
               "use abilities-focused wording: 'factors' instead of 'barriers'"),
       warning("ABILITIES_LANGUAGE", "recommendations",
               "use abilities-focused wording: 'consideration' instead of 'limitation'"),
       warning("ABILITIES_LANGUAGE", "recommendations",
               "use abilities-focused wording: 'factor' instead of 'barrier'")});
  // Names are not wording.
  CHECK(check(variant(kInitial, {}, {{"clinician[2]/name", "Kim Barrier"}})).empty());
  // Whole words only.
  CHECK(check(variant(kInitial, {}, {{"consideration[1]", "Unlimitations and barriersome"}}))
            .empty());
}

TEST_CASE("ABILITIES_LANGUAGE applies from the profile's date on", "[rules][report]") {
  BoardProfile later = *profiles()->find("WSBC");
  later.abilities_language->since = *Date::parse("2025-03-08");
  const auto later_profiles = BoardProfiles::of({later});
  const std::string xml = variant(kInitial, {}, {{"consideration[1]", "Limitations in bending"}});
  CHECK(validateDocument(*schemas(), *later_profiles, xml, exampleToday()).empty());
}
