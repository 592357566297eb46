// Board rules of the Referral (spec §3 "Referral"): health number, postal
// code, date order, the reasons DECLINED and ON_HOLD need, and requested
// fee codes against the profile's table.

#include "rule_run.h"

namespace rtw::worksafe::detail {
namespace {

namespace code = problem_code;

using CodeList = std::map<std::string, std::string, std::less<>>;

void checkReason(RuleRun& run, std::string_view status, const CodeList& codes,
                 std::string_view list_name) {
  const auto reason = run.text("statusReason/code");
  if (!reason) {
    run.error(code::kStatusReason, "statusReason/code",
              withArticle(status) + " referral needs a reason code");
  } else if (codes.find(*reason) == codes.end()) {
    run.error(code::kStatusReasonCode, "statusReason/code",
              "not a " + run.profile().board + " " + std::string(list_name) + " reason code");
  }
}

void checkStatusReason(RuleRun& run) {
  const auto status = run.text("status");
  if (status == "DECLINED") {
    checkReason(run, *status, run.profile().decline_reasons, "decline");
    if (!run.text("statusReason/comment")) {
      run.error(code::kStatusComment, "statusReason/comment",
                "a DECLINED referral needs a comment");
    }
  } else if (status == "ON_HOLD") {
    checkReason(run, *status, run.profile().hold_reasons, "hold");
  }
}

void checkServices(RuleRun& run) {
  const auto program = run.text("header/program");
  const auto date = run.date("referralDate");
  if (!program || !date || run.profile().program(*program) == nullptr) {
    return;
  }
  for (std::size_t i = 1; i <= run.count("service"); ++i) {
    const std::string path = item("service", i, "feeCode");
    const auto fee_code = run.text(path);
    if (fee_code && !run.profile().programHasFeeCode(*program, *fee_code, *date)) {
      run.error(code::kFeeCode, path,
                "not in the " + run.profile().board + " fee table of program " + *program +
                    " on the referralDate");
    }
  }
}

void checkReferralDates(RuleRun& run) {
  requireNotBefore(run, "dateOfInjury", "worker/birthDate");
  requireNotBefore(run, "referralDate", "dateOfInjury");
  requireNotBefore(run, "authorization/end", "authorization/start");
}

}  // namespace

void checkReferral(RuleRun& run) {
  checkHeader(run, "referralDate");
  checkHealthNumber(run, "worker/healthNumber");
  const auto country = run.text("worker/address/country");
  if (!country || *country == "CA") {
    checkPostalCode(run, "worker/address/postalCode");
  }
  checkReferralDates(run);
  checkStatusReason(run);
  checkServices(run);
}

}  // namespace rtw::worksafe::detail
