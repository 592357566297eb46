// Board rules of the Report (spec §3 "Report"): which sections each report
// type carries, discharge-status codes, attendance, date order and the
// profile's reporting deadlines.

#include <array>

#include "rule_run.h"

namespace rtw::worksafe::detail {
namespace {

namespace code = problem_code;

// Which report types need an element and which may carry it.
struct Section {
  std::string_view path;
  std::array<bool, 3> required;  // INITIAL, PROGRESS, DISCHARGE
  std::array<bool, 3> allowed;
};

constexpr std::array<std::string_view, 3> kReportTypes = {"INITIAL", "PROGRESS", "DISCHARGE"};

constexpr std::array<Section, 5> kSections = {{
    {"assessmentDate", {true, false, false}, {true, false, false}},
    {"dischargeDate", {false, false, true}, {false, false, true}},
    {"treatmentPlan", {true, true, false}, {true, true, false}},
    {"attendance", {false, true, true}, {false, true, true}},
    {"dischargeStatus", {false, false, true}, {false, false, true}},
}};

std::optional<std::size_t> reportTypeIndex(const RuleRun& run) {
  const auto type = run.text("reportType");
  for (std::size_t i = 0; type && i < kReportTypes.size(); ++i) {
    if (*type == kReportTypes[i]) {
      return i;
    }
  }
  return std::nullopt;
}

void checkSections(RuleRun& run, std::size_t type) {
  const std::string report = withArticle(kReportTypes[type]) + " report";
  for (const Section& section : kSections) {
    const bool present = run.has(section.path);
    if (!present && section.required[type]) {
      run.error(code::kReportSection, std::string(section.path), "required in " + report);
    } else if (present && !section.allowed[type]) {
      run.error(code::kReportSection, std::string(section.path), "not part of " + report);
    }
  }
  if (kReportTypes[type] == "DISCHARGE") {
    for (std::size_t i = 1; i <= run.count("goal"); ++i) {
      if (!run.has(item("goal", i, "status"))) {
        run.error(code::kReportSection, item("goal", i, "status"), "required in " + report);
      }
    }
  }
}

void checkDischargeStatus(RuleRun& run) {
  const auto status = run.text("dischargeStatus");
  if (status && run.profile().discharge_statuses.count(*status) == 0) {
    run.error(code::kDischargeStatus, "dischargeStatus",
              "not a " + run.profile().board + " discharge status code");
  }
}

void checkAttendance(RuleRun& run) {
  const auto scheduled = run.hundredths("attendance/scheduled");
  const auto attended = run.hundredths("attendance/attended");
  if (scheduled && attended && *attended > *scheduled) {
    run.error(code::kAttendanceCount, "attendance/attended",
              "must not exceed attendance/scheduled");
  }
}

void checkReportDates(RuleRun& run) {
  requireNotBefore(run, "dateOfInjury", "worker/birthDate");
  requireNotBefore(run, "reportDate", "dateOfInjury");
  requireNotBefore(run, "reportingPeriod/end", "reportingPeriod/start");
  requireNotAfter(run, "reportingPeriod/end", "reportDate");
  requireNotBefore(run, "admissionDate", "dateOfInjury");
  requireNotBefore(run, "assessmentDate", "dateOfInjury");
  requireNotAfter(run, "assessmentDate", "reportDate");
  requireNotBefore(run, "dischargeDate", "admissionDate");
  requireNotAfter(run, "dischargeDate", "reportDate");
  for (std::size_t i = 1; i <= run.count("functionalAbility"); ++i) {
    requireNotAfter(run, item("functionalAbility", i, "measuredOn"), "reportDate");
  }
}

std::string dayWord(const Deadline& deadline) {
  return deadline.working_days ? " working days" : " days";
}

// A report due within N days of an event (the assessment, the discharge).
void checkDueAfter(RuleRun& run, const std::optional<Deadline>& deadline, std::string_view report,
                   std::string_view event_path) {
  const auto event = run.date(event_path);
  const auto reported = run.date("reportDate");
  if (!deadline || !event || !reported) {
    return;
  }
  if (run.profile().daysBetween(*deadline, *event, *reported) > deadline->days) {
    run.add(deadline->severity, code::kReportDeadline, "reportDate",
            withArticle(report) + " report is due within " + std::to_string(deadline->days) +
                dayWord(*deadline) + " of the " + std::string(event_path));
  }
}

// A progress report is due at least every M days: the period it covers is
// what one document can show of that.
void checkProgressInterval(RuleRun& run) {
  const auto& deadline = run.profile().progress_report_interval;
  const auto start = run.date("reportingPeriod/start");
  const auto end = run.date("reportingPeriod/end");
  if (!deadline || !start || !end) {
    return;
  }
  if (run.profile().daysBetween(*deadline, start->plusDays(-1), *end) > deadline->days) {
    run.add(
        deadline->severity, code::kReportDeadline, "reportingPeriod",
        "a PROGRESS report covers at most " + std::to_string(deadline->days) + dayWord(*deadline));
  }
}

void checkDeadlines(RuleRun& run, std::size_t type) {
  const BoardProfile& profile = run.profile();
  if (kReportTypes[type] == "INITIAL") {
    checkDueAfter(run, profile.initial_report, "INITIAL", "assessmentDate");
  } else if (kReportTypes[type] == "PROGRESS") {
    checkProgressInterval(run);
  } else {
    checkDueAfter(run, profile.discharge_report, "DISCHARGE", "dischargeDate");
  }
}

}  // namespace

void checkReport(RuleRun& run) {
  checkHeader(run, "reportDate");
  checkHealthNumber(run, "worker/healthNumber");
  checkReportDates(run);
  if (const auto type = reportTypeIndex(run)) {
    checkSections(run, *type);
    checkDeadlines(run, *type);
  }
  checkDischargeStatus(run);
  checkAttendance(run);
  checkAbilitiesLanguage(run);
}

}  // namespace rtw::worksafe::detail
