// The Invoice's arithmetic (spec §2 MONEY): line amount = units x unit
// price (within a cent), subtotal, GST and PST totals, total; and tax code
// against tax amount. All in integer hundredths: a double cannot hold 0.10
// exactly, and a board compares to the cent.

#include <cstdint>
#include <cstdlib>
#include <optional>

#include "rule_run.h"

namespace rtw::worksafe::detail {
namespace {

namespace code = problem_code;

// One cent, in the hundredths-of-a-cent that units x price comes out in.
constexpr std::int64_t kLineTolerance = 100;

// A sum in hundredths, or nothing once it passed 64 bits: thousands of
// lines of 13-digit amounts get there, and no amount the schema allows can
// equal such a sum (a wrapped one could).
using Sum = std::optional<std::int64_t>;

Sum plus(Sum a, Sum b) {
  std::int64_t sum = 0;
  if (!a || !b || __builtin_add_overflow(*a, *b, &sum)) {
    return std::nullopt;
  }
  return sum;
}

struct Sums {
  Sum amounts = 0;
  Sum gst = 0;
  Sum pst = 0;
  bool complete = true;  // every value needed for the sums parsed
};

void checkLineAmount(RuleRun& run, std::size_t line) {
  const auto units = run.hundredths(item("line", line, "units"));
  const auto price = run.hundredths(item("line", line, "unitPrice"));
  const auto amount = run.hundredths(item("line", line, "amount"));
  if (!units || !price || !amount) {
    return;
  }
  // units (hundredths) x price (cents) is in hundredths of a cent. An
  // overflow means a product no amount the schema allows can match.
  std::int64_t product = 0;
  const bool overflow = __builtin_mul_overflow(*units, *price, &product);
  if (overflow || std::llabs(product - *amount * 100) > kLineTolerance) {
    run.error(code::kMoneyLine, item("line", line, "amount"),
              "must be units x unitPrice (within 0.01)");
  }
}

void checkLineTax(RuleRun& run, std::size_t line, Sums& sums) {
  const auto tax_code = run.text(item("line", line, "taxCode"));
  const std::string tax_path = item("line", line, "taxAmount");
  const bool has_tax = run.has(tax_path);
  if (tax_code == "E" && has_tax) {
    run.error(code::kTaxAmount, tax_path, "an exempt line (tax code E) has no taxAmount");
  } else if ((tax_code == "G" || tax_code == "P") && !has_tax) {
    run.error(code::kTaxAmount, tax_path, "required when the tax code is G or P");
  }
  if (!has_tax || (tax_code != "G" && tax_code != "P")) {
    return;
  }
  const auto tax = run.hundredths(tax_path);
  if (!tax) {
    sums.complete = false;
    return;
  }
  Sum& sum = tax_code == "G" ? sums.gst : sums.pst;
  sum = plus(sum, *tax);
}

void requireSum(RuleRun& run, std::string_view code, const std::string& path, Sum sum,
                const std::string& message) {
  const auto value = run.hundredths(path);
  if (value && value != sum) {
    run.error(code, path, message);
  }
}

}  // namespace

void checkInvoiceMoney(RuleRun& run) {
  Sums sums;
  for (std::size_t i = 1; i <= run.count("line"); ++i) {
    checkLineAmount(run, i);
    checkLineTax(run, i, sums);
    const auto amount = run.hundredths(item("line", i, "amount"));
    sums.complete = sums.complete && amount.has_value();
    sums.amounts = plus(sums.amounts, amount.value_or(0));
  }
  // A sum over a value the XSD already rejected would only repeat that.
  if (!sums.complete) {
    return;
  }
  requireSum(run, code::kMoneySubtotal, "subtotal", sums.amounts,
             "must be the sum of the line amounts");
  requireSum(run, code::kMoneyGst, "gstTotal", sums.gst,
             "must be the sum of the taxAmount of the G lines");
  requireSum(run, code::kMoneyPst, "pstTotal", sums.pst,
             "must be the sum of the taxAmount of the P lines");
  // Against the computed sums, not the stated ones: one wrong subtotal is
  // one problem, not two.
  requireSum(run, code::kMoneyTotal, "total", plus(plus(sums.amounts, sums.gst), sums.pst),
             "must be the sum of the line amounts and the tax amounts");
}

}  // namespace rtw::worksafe::detail
