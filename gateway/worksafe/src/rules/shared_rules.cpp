// Rules every document shares: the header against the board profile
// (program, its effective dates and document types, the claim number) and
// the identifiers of spec §2 wherever they appear.

#include <algorithm>

#include "rtw/worksafe/identifiers.h"
#include "rule_run.h"

namespace rtw::worksafe::detail {
namespace {

namespace code = problem_code;

void checkProgramDates(RuleRun& run, const Program& program, std::string_view date_path) {
  const auto date = run.date(date_path);
  if (!date) {
    return;
  }
  const std::string where = " (" + std::string(date_path) + ")";
  if (program.period.from && *date < *program.period.from) {
    run.error(code::kProgramNotEffective, "header/program",
              "program " + program.code + " is not in effect before " +
                  program.period.from->toString() + where);
  } else if (program.period.until && *program.period.until < *date) {
    std::string message = "program " + program.code + " is not in effect after " +
                          program.period.until->toString() + where;
    if (!program.note.empty()) {
      message += "; " + program.note;
    }
    run.add(program.after_until, code::kProgramNotEffective, "header/program", std::move(message));
  }
  for (const ProgramNotice& notice : program.notices) {
    if (notice.period.contains(*date)) {
      run.warning(code::kProgramNotice, "header/program", notice.message);
    }
  }
}

void checkProgram(RuleRun& run, std::string_view date_path) {
  const auto program_code = run.text("header/program");
  if (!program_code) {
    return;
  }
  const BoardProfile& profile = run.profile();
  const Program* program = profile.program(*program_code);
  if (program == nullptr) {
    run.error(code::kProgramUnknown, "header/program",
              "not a program of the " + profile.board + " profile");
    return;
  }
  const DocumentType type = run.document().type();
  if (std::find(program->documents.begin(), program->documents.end(), type) ==
      program->documents.end()) {
    run.error(
        code::kProgramDocument, "header/program",
        "program " + program->code + " takes no " + std::string(toString(type)) + " documents");
  }
  checkProgramDates(run, *program, date_path);
}

void checkClaimNumber(RuleRun& run) {
  const auto claim = run.text("header/claimNumber");
  if (!claim) {
    return;
  }
  const ClaimNumberRule& rule = run.profile().claim_number;
  const bool fits = claim->size() >= rule.min_length && claim->size() <= rule.max_length &&
                    rule.pattern && rule.pattern->fullMatch(*claim);
  if (!fits) {
    run.error(code::kClaimNumber, "header/claimNumber",
              "not a valid " + run.profile().board + " claim number (" + rule.description + ")");
  }
}

}  // namespace

void checkHeader(RuleRun& run, std::string_view document_date_path) {
  checkProgram(run, document_date_path);
  checkClaimNumber(run);
}

void checkHealthNumber(RuleRun& run, std::string_view prefix) {
  const std::string path = std::string(prefix) + "/value";
  const auto jurisdiction = run.text(std::string(prefix) + "/jurisdiction");
  const auto value = run.text(path);
  if (!jurisdiction || !value) {
    return;
  }
  // Other provinces' numbers have no published check; they pass as given.
  if (*jurisdiction == "BC") {
    const IdentifierCheck check = checkBcPhn(*value);
    if (check == IdentifierCheck::kBadFormat) {
      run.error(code::kBcPhnFormat, path, "a BC PHN is 10 digits starting with 9");
    } else if (check == IdentifierCheck::kBadCheckDigit) {
      run.error(code::kBcPhnCheck, path, "the BC PHN check digit is wrong");
    }
  } else if (*jurisdiction == "ON") {
    const IdentifierCheck check = checkOntarioHcn(*value);
    if (check == IdentifierCheck::kBadFormat) {
      run.error(code::kOnHcnFormat, path,
                "an Ontario health number is 10 digits, the first not 0 (the version code "
                "goes in versionCode)");
    } else if (check == IdentifierCheck::kBadCheckDigit) {
      run.error(code::kOnHcnCheck, path, "the Ontario health number check digit is wrong");
    }
  }
}

void checkPostalCode(RuleRun& run, const std::string& path) {
  const auto value = run.text(path);
  if (value && !isCanadianPostalCode(*value)) {
    run.error(code::kPostalCode, path, "not a Canadian postal code (A1A 1A1)");
  }
}

}  // namespace rtw::worksafe::detail
