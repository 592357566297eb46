// TrainingReport rules: MTCU code, APS number and credential, the training
// plan limit, the section each record type carries, status, attendance and
// withdrawal reasons. Each case breaks one rule of a valid example.

#include <catch2/catch.hpp>

#include "example_fixture.h"

using namespace rtw::worksafe;
using namespace rtw::worksafe::test;

namespace {

const std::string kEnrolment = "training-report-enrolment.xml";
const std::string kAttendance = "training-report-attendance.xml";
const std::string kProgress = "training-report-progress.xml";
const std::string kCompletion = "training-report-completion.xml";
const std::string kWithdrawal = "training-report-withdrawal.xml";

}  // namespace

TEST_CASE("MTCU_CODE: 5 digits, the first 4 to 8", "[rules][training]") {
  requireOnly(
      variant(kEnrolment, {}, {{"program/mtcuCode", "32301"}}),
      error("MTCU_CODE", "program/mtcuCode", "an MTCU program code is 5 digits, the first 4 to 8"));
  requireOnly(
      variant(kEnrolment, {}, {{"program/mtcuCode", "5230"}}),
      error("MTCU_CODE", "program/mtcuCode", "an MTCU program code is 5 digits, the first 4 to 8"));
}

TEST_CASE("APS_NUMBER: 5 digits", "[rules][training]") {
  requireOnly(variant(kEnrolment, {}, {{"program/apsNumber", "4421"}}),
              error("APS_NUMBER", "program/apsNumber", "an APS number is 5 digits"));
}

TEST_CASE("CREDENTIAL: the credential agrees with the MTCU code", "[rules][training]") {
  requireOnly(variant(kEnrolment, {}, {{"program/credential", "DEGREE"}}),
              error("CREDENTIAL", "program/credential",
                    "does not agree with the MTCU code, which names a DIPLOMA program"));
  // A degree program (MTCU 8xxxx) may say DEGREE.
  CHECK(check(variant(kEnrolment, {},
                      {{"program/mtcuCode", "81234"}, {"program/credential", "DEGREE"}}))
            .empty());
  requireOnly(variant(kCompletion, {}, {{"completion/credential", "CERTIFICATE"}}),
              error("CREDENTIAL", "completion/credential", "must be the program's credential"));
}

TEST_CASE("TRAINING_PLAN: a plan lasts at most 3 years", "[rules][training]") {
  // Intake 2025-01-06: 2028-01-06 is the last day allowed.
  CHECK(check(variant(kEnrolment, {}, {{"intake/expectedEnd", "2028-01-06"}})).empty());
  requireOnly(
      variant(kEnrolment, {}, {{"intake/expectedEnd", "2028-01-07"}}),
      error("TRAINING_PLAN", "intake/expectedEnd", "a training plan lasts at most 3 years"));
}

TEST_CASE("TRAINING_SECTION: each record type carries its section", "[rules][training]") {
  requireOnly(variant(kAttendance, {"attendance"}),
              error("TRAINING_SECTION", "attendance", "required in an ATTENDANCE record"));
  requireOnly(variant(kProgress, {"course[1]", "course[2]"}),
              error("TRAINING_SECTION", "course[1]", "required in a PROGRESS record"));
  requireOnly(variant(kCompletion, {"completion"}),
              error("TRAINING_SECTION", "completion", "required in a COMPLETION record"));
  requireOnly(variant(kWithdrawal, {"withdrawal"}),
              error("TRAINING_SECTION", "withdrawal", "required in a WITHDRAWAL record"));
  requireOnly(variant(kEnrolment, {},
                      {{"withdrawal/date", "2025-06-13"},
                       {"withdrawal/reasonCode", "EMPLOYMENT"},
                       {"withdrawal/lastAttendance", "2025-06-12"},
                       {"withdrawal/refundAmount", "0"}}),
              error("TRAINING_SECTION", "withdrawal", "not part of an ENROLMENT record"));
  requireOnly(variant(kAttendance, {},
                      {{"course[1]/code", "LOG101"},
                       {"course[1]/title", "Introduction to Logistics"},
                       {"course[1]/credits", "3"},
                       {"course[1]/gradeStatus", "InProgress"}}),
              error("TRAINING_SECTION", "course[1]", "not part of an ATTENDANCE record"));
}

TEST_CASE("TRAINING_STATUS: the status agrees with the record type", "[rules][training]") {
  requireOnly(variant(kCompletion, {}, {{"status", "ACTIVE"}}),
              error("TRAINING_STATUS", "status", "a COMPLETION record has status COMPLETED"));
  requireOnly(variant(kWithdrawal, {}, {{"status", "ON_LEAVE"}}),
              error("TRAINING_STATUS", "status",
                    "a WITHDRAWAL record has status WITHDRAWN or DISCONTINUED"));
  CHECK(check(variant(kWithdrawal, {}, {{"status", "DISCONTINUED"}})).empty());
}

TEST_CASE("ATTENDANCE_HOURS: attended hours do not exceed scheduled ones", "[rules][training]") {
  requireOnly(variant(kAttendance, {}, {{"attendance/attendedHours", "80.5"}}),
              error("ATTENDANCE_HOURS", "attendance/attendedHours",
                    "must not exceed attendance/scheduledHours"));
}

TEST_CASE("ATTENDANCE_PERIOD: within the term, absences within the period", "[rules][training]") {
  requireOnly(variant(kAttendance, {}, {{"attendance/periodStart", "2025-05-01"}}),
              error("ATTENDANCE_PERIOD", "attendance/periodStart", "must lie within the term"));
  requireOnly(variant(kAttendance, {}, {{"attendance/periodEnd", "2025-08-16"}}),
              error("ATTENDANCE_PERIOD", "attendance/periodEnd", "must lie within the term"));
  requireOnly(variant(kAttendance, {}, {{"attendance/absence[1]/date", "2025-06-30"}}),
              error("ATTENDANCE_PERIOD", "attendance/absence[1]/date",
                    "must lie within the attendance period"));
}

TEST_CASE("DATE_ORDER: the dates of a training record", "[rules][training][dates]") {
  requireOnly(variant(kEnrolment, {}, {{"term/end", "2025-05-04"}}),
              error("DATE_ORDER", "term/end", "must not be before term/start"));
  requireOnly(variant(kCompletion, {}, {{"completion/date", "2025-01-05"}}),
              error("DATE_ORDER", "completion/date", "must not be before intake/start"));
  requireOnly(
      variant(kWithdrawal, {}, {{"withdrawal/lastAttendance", "2025-06-14"}}),
      error("DATE_ORDER", "withdrawal/lastAttendance", "must not be after withdrawal/date"));
  requireOnly(
      variant(kWithdrawal, {},
              {{"withdrawal/date", "2025-01-03"}, {"withdrawal/lastAttendance", "2025-01-03"}}),
      error("DATE_ORDER", "withdrawal/date", "must not be before intake/start"));
  requireOnly(variant(kEnrolment, {}, {{"intake/expectedEnd", "2025-01-05"}}),
              error("DATE_ORDER", "intake/expectedEnd", "must not be before intake/start"));
}

TEST_CASE("WITHDRAWAL_REASON: reason codes come from the board profile", "[rules][training]") {
  requireOnly(
      variant(kWithdrawal, {}, {{"withdrawal/reasonCode", "NO_CAPACITY"}}),
      error("WITHDRAWAL_REASON", "withdrawal/reasonCode", "not a WSIB withdrawal reason code"));
}

TEST_CASE("the Ontario education number has 9 digits (the schema)", "[rules][training]") {
  requireOnly(variant(kEnrolment, {}, {{"student/oen", "12345"}}),
              error("SCHEMA", "student/oen",
                    "[facet 'pattern'] The value is not accepted by the pattern '[0-9]{9}'."));
}
