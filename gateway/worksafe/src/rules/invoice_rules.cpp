// Board rules of the Invoice (spec §3 "Invoice") other than the arithmetic
// (invoice_money.cpp): GST number, payee postal code, date order, the
// authorization period, one worker, fee codes and their GST applicability,
// and the WSIB electronic billing window.

#include "rtw/worksafe/identifiers.h"
#include "rule_run.h"

namespace rtw::worksafe::detail {
namespace {

namespace code = problem_code;

bool anyLineTaxed(const RuleRun& run) {
  for (std::size_t i = 1; i <= run.count("line"); ++i) {
    const auto tax_code = run.text(item("line", i, "taxCode"));
    if (tax_code == "G" || tax_code == "P") {
      return true;
    }
  }
  return false;
}

void checkGstNumber(RuleRun& run) {
  const auto number = run.text("gstNumber");
  if (!number) {
    if (anyLineTaxed(run)) {
      run.error(code::kGstRequired, "gstNumber", "required when a line is taxed (tax code G or P)");
    }
    return;
  }
  const IdentifierCheck check = worksafe::checkGstNumber(*number);
  if (check == IdentifierCheck::kBadFormat) {
    run.error(code::kGstFormat, "gstNumber", "a GST number is 9 digits, RT and 4 digits");
  } else if (check == IdentifierCheck::kBadCheckDigit) {
    run.error(code::kGstCheck, "gstNumber", "the GST number check digit is wrong");
  }
}

void checkInvoiceDates(RuleRun& run) {
  requireNotBefore(run, "dateOfInjury", "worker/birthDate");
  requireNotBefore(run, "authorizationPeriod/end", "authorizationPeriod/start");
  const auto invoiced = run.date("invoiceDate");
  if (invoiced && run.today() < *invoiced) {
    run.error(code::kDateOrder, "invoiceDate", "must not be after today (post-dated)");
  }
  for (std::size_t i = 1; i <= run.count("line"); ++i) {
    const std::string path = item("line", i, "dateOfService");
    requireNotBefore(run, path, "dateOfInjury");
    requireNotAfter(run, path, "invoiceDate");
  }
}

void checkServicePeriods(RuleRun& run) {
  const auto start = run.date("authorizationPeriod/start");
  const auto end = run.date("authorizationPeriod/end");
  const auto& window = run.profile().electronic_billing_days;
  for (std::size_t i = 1; i <= run.count("line"); ++i) {
    const std::string path = item("line", i, "dateOfService");
    const auto served = run.date(path);
    if (!served) {
      continue;
    }
    if ((start && *served < *start) || (end && *end < *served)) {
      run.error(code::kAuthorizationPeriod, path, "outside the authorizationPeriod");
    }
    if (window && run.today().days() - served->days() > *window) {
      run.error(code::kBillingWindow, path,
                "a service older than " + std::to_string(*window) +
                    " days cannot be billed electronically");
    }
  }
}

void checkOneWorker(RuleRun& run) {
  const auto claim = run.text("header/claimNumber");
  for (std::size_t i = 1; i <= run.count("line"); ++i) {
    const std::string path = item("line", i, "claimNumber");
    const auto line_claim = run.text(path);
    if (claim && line_claim && *line_claim != *claim) {
      run.error(code::kOneWorker, path,
                "an invoice is for one worker: must be the header's claimNumber");
    }
  }
}

void checkFeeTax(RuleRun& run, const FeeCode& fee, std::size_t line) {
  const std::string path = item("line", line, "taxCode");
  const auto tax_code = run.text(path);
  if (tax_code == "G" && !fee.gst) {
    run.error(code::kFeeTax, path, "the fee code is GST-exempt: tax code G does not apply");
  } else if (tax_code == "E" && fee.gst) {
    run.error(code::kFeeTax, path, "the fee code is subject to GST: tax code E does not apply");
  }
}

void checkFeeCodes(RuleRun& run) {
  const BoardProfile& profile = run.profile();
  const auto program = run.text("header/program");
  if (!program || profile.program(*program) == nullptr) {
    return;
  }
  const auto contract = run.text("contract");
  if (profile.feeTables(*program, contract.value_or(profile.default_contract)).empty()) {
    const std::string which = contract ? " under this contract" : "";
    run.error(code::kFeeContract, contract ? "contract" : "header/program",
              "no " + profile.board + " fee table for program " + *program + which);
    return;
  }
  for (std::size_t i = 1; i <= run.count("line"); ++i) {
    const std::string path = item("line", i, "feeCode");
    const auto fee_code = run.text(path);
    const auto served = run.date(item("line", i, "dateOfService"));
    if (!fee_code || !served) {
      continue;
    }
    const FeeCode* fee =
        profile.feeCode(*program, contract.value_or(profile.default_contract), *fee_code, *served);
    if (fee == nullptr) {
      run.error(code::kFeeCode, path,
                "not in the " + profile.board + " fee table of program " + *program +
                    " on the dateOfService");
    } else {
      checkFeeTax(run, *fee, i);
    }
  }
}

}  // namespace

void checkInvoice(RuleRun& run) {
  checkHeader(run, "invoiceDate");
  checkGstNumber(run);
  checkPostalCode(run, "payee/postalCode");
  checkInvoiceDates(run);
  checkServicePeriods(run);
  checkOneWorker(run);
  checkFeeCodes(run);
  checkInvoiceMoney(run);
}

}  // namespace rtw::worksafe::detail
