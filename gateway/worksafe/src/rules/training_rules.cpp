// Board rules of the TrainingReport (spec §3 "TrainingReport"): MTCU code,
// APS number and credential agreement, the training plan limit, which
// section each record type carries, status against record type,
// attendance hours and periods, date order and withdrawal reason codes.

#include <array>

#include "rtw/worksafe/identifiers.h"
#include "rule_run.h"

namespace rtw::worksafe::detail {
namespace {

namespace code = problem_code;

constexpr std::array<std::string_view, 5> kRecordTypes = {"ENROLMENT", "ATTENDANCE", "PROGRESS",
                                                          "COMPLETION", "WITHDRAWAL"};

struct Section {
  std::string_view path;
  std::string_view presence;     // the path counted for "required"
  std::array<bool, 5> required;  // in kRecordTypes order
  std::array<bool, 5> allowed;
};

constexpr std::array<Section, 4> kSections = {{
    {"attendance",
     "attendance",
     {false, true, false, false, false},
     {false, true, false, false, false}},
    {"course", "course[1]", {false, false, true, false, false}, {false, false, true, true, false}},
    {"completion",
     "completion",
     {false, false, false, true, false},
     {false, false, false, true, false}},
    {"withdrawal",
     "withdrawal",
     {false, false, false, false, true},
     {false, false, false, false, true}},
}};

std::optional<std::size_t> recordTypeIndex(const RuleRun& run) {
  const auto type = run.text("recordType");
  for (std::size_t i = 0; type && i < kRecordTypes.size(); ++i) {
    if (*type == kRecordTypes[i]) {
      return i;
    }
  }
  return std::nullopt;
}

void checkSections(RuleRun& run, std::size_t type) {
  const std::string record = withArticle(kRecordTypes[type]) + " record";
  for (const Section& section : kSections) {
    const bool present = run.has(section.path);
    if (!present && section.required[type]) {
      run.error(code::kTrainingSection, std::string(section.presence), "required in " + record);
    } else if (present && !section.allowed[type]) {
      run.error(code::kTrainingSection, std::string(section.presence), "not part of " + record);
    }
  }
}

void checkStatus(RuleRun& run, std::size_t type) {
  const auto status = run.text("status");
  if (!status) {
    return;
  }
  if (kRecordTypes[type] == "COMPLETION" && *status != "COMPLETED") {
    run.error(code::kTrainingStatus, "status", "a COMPLETION record has status COMPLETED");
  } else if (kRecordTypes[type] == "WITHDRAWAL" && *status != "WITHDRAWN" &&
             *status != "DISCONTINUED") {
    run.error(code::kTrainingStatus, "status",
              "a WITHDRAWAL record has status WITHDRAWN or DISCONTINUED");
  }
}

void checkProgramCodes(RuleRun& run) {
  const auto mtcu = run.text("program/mtcuCode");
  const auto credential = credentialOfMtcuCode(mtcu.value_or(""));
  if (mtcu && !credential) {
    run.error(code::kMtcuCode, "program/mtcuCode",
              "an MTCU program code is 5 digits, the first 4 to 8");
  }
  const auto aps = run.text("program/apsNumber");
  if (aps && !isApsNumber(*aps)) {
    run.error(code::kApsNumber, "program/apsNumber", "an APS number is 5 digits");
  }
  const auto stated = run.text("program/credential");
  if (credential && stated && *stated != toString(*credential)) {
    run.error(code::kCredential, "program/credential",
              "does not agree with the MTCU code, which names a " +
                  std::string(toString(*credential)) + " program");
  }
  const auto completed = run.text("completion/credential");
  if (completed && stated && *completed != *stated) {
    run.error(code::kCredential, "completion/credential", "must be the program's credential");
  }
}

void checkPlanLength(RuleRun& run) {
  const auto years = run.profile().training_plan_max_years;
  const auto start = run.date("intake/start");
  const auto end = run.date("intake/expectedEnd");
  if (years && start && end && start->plusYears(*years) < *end) {
    run.error(code::kTrainingPlan, "intake/expectedEnd",
              "a training plan lasts at most " + std::to_string(*years) + " years");
  }
}

void requireWithin(RuleRun& run, const std::string& path, std::string_view start_path,
                   std::string_view end_path, std::string_view period_name) {
  const auto date = run.date(path);
  const auto start = run.date(start_path);
  const auto end = run.date(end_path);
  if (date && ((start && *date < *start) || (end && *end < *date))) {
    run.error(code::kAttendancePeriod, path, "must lie within the " + std::string(period_name));
  }
}

void checkAttendance(RuleRun& run) {
  const auto scheduled = run.hundredths("attendance/scheduledHours");
  const auto attended = run.hundredths("attendance/attendedHours");
  if (scheduled && attended && *attended > *scheduled) {
    run.error(code::kAttendanceHours, "attendance/attendedHours",
              "must not exceed attendance/scheduledHours");
  }
  requireWithin(run, "attendance/periodStart", "term/start", "term/end", "term");
  requireWithin(run, "attendance/periodEnd", "term/start", "term/end", "term");
  for (std::size_t i = 1; i <= run.count("attendance/absence"); ++i) {
    requireWithin(run, "attendance/" + item("absence", i, "date"), "attendance/periodStart",
                  "attendance/periodEnd", "attendance period");
  }
}

void checkTrainingDates(RuleRun& run) {
  requireNotBefore(run, "intake/expectedEnd", "intake/start");
  requireNotBefore(run, "term/end", "term/start");
  requireNotBefore(run, "attendance/periodEnd", "attendance/periodStart");
  requireNotBefore(run, "completion/date", "intake/start");
  requireNotBefore(run, "withdrawal/date", "intake/start");
  requireNotAfter(run, "withdrawal/lastAttendance", "withdrawal/date");
}

void checkWithdrawalReason(RuleRun& run) {
  const auto reason = run.text("withdrawal/reasonCode");
  if (reason && run.profile().withdrawal_reasons.count(*reason) == 0) {
    run.error(code::kWithdrawalReason, "withdrawal/reasonCode",
              "not a " + run.profile().board + " withdrawal reason code");
  }
}

}  // namespace

void checkTrainingReport(RuleRun& run) {
  checkHeader(run, "intake/start");
  checkProgramCodes(run);
  checkPlanLength(run);
  checkTrainingDates(run);
  if (const auto type = recordTypeIndex(run)) {
    checkSections(run, *type);
    checkStatus(run, *type);
  }
  checkAttendance(run);
  checkWithdrawalReason(run);
}

}  // namespace rtw::worksafe::detail
