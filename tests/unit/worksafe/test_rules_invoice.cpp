// Invoice rules: GST number, date order, the authorization period, the WSIB
// billing window, fee codes and their GST applicability, tax codes against
// tax amounts, the arithmetic and one worker per invoice. Each case breaks
// one rule of a valid example.

#include <catch2/catch.hpp>

#include <algorithm>

#include "example_fixture.h"

using namespace rtw::worksafe;
using namespace rtw::worksafe::test;

namespace {

const std::string kClinicBc = "invoice-wsbc-crrtw.xml";     // two exempt lines, authorization
const std::string kClinicOn = "invoice-wsib-msk.xml";       // WSIB, contract STANDARD
const std::string kTraining = "invoice-wsib-training.xml";  // tuition E, books and boots G

}  // namespace

TEST_CASE("GST_REQUIRED: a taxed line needs the payee's GST number", "[rules][invoice]") {
  requireOnly(
      variant(kTraining, {"gstNumber"}),
      error("GST_REQUIRED", "gstNumber", "required when a line is taxed (tax code G or P)"));
}

TEST_CASE("GST_FORMAT and GST_CHECK: the GST number", "[rules][invoice]") {
  requireOnly(variant(kTraining, {}, {{"gstNumber", "123456782RT001"}}),
              error("GST_FORMAT", "gstNumber", "a GST number is 9 digits, RT and 4 digits"));
  requireOnly(variant(kTraining, {}, {{"gstNumber", "123456783RT0001"}}),
              error("GST_CHECK", "gstNumber", "the GST number check digit is wrong"));
  // Given without taxed lines, it is still checked.
  requireOnly(variant(kClinicBc, {}, {{"gstNumber", "123456783RT0001"}}),
              error("GST_CHECK", "gstNumber", "the GST number check digit is wrong"));
}

TEST_CASE("DATE_ORDER: service, then invoice, then today", "[rules][invoice][dates]") {
  requireOnly(variant(kClinicOn, {}, {{"invoiceDate", "2025-07-01"}}),
              error("DATE_ORDER", "invoiceDate", "must not be after today (post-dated)"));
  CHECK(check(variant(kClinicOn, {}, {{"invoiceDate", "2025-06-30"}})).empty());
  requireOnly(variant(kClinicBc, {}, {{"line[1]/dateOfService", "2025-06-21"}}),
              error("DATE_ORDER", "line[1]/dateOfService", "must not be after invoiceDate"));
  requireOnly(variant(kClinicOn, {}, {{"dateOfInjury", "2025-06-03"}}),
              error("DATE_ORDER", "line[1]/dateOfService", "must not be before dateOfInjury"));
  // An inverted period leaves every service outside it.
  requireProblems(
      variant(kClinicBc, {}, {{"authorizationPeriod/end", "2025-05-31"}}),
      {error("DATE_ORDER", "authorizationPeriod/end",
             "must not be before authorizationPeriod/start"),
       error("AUTHORIZATION_PERIOD", "line[1]/dateOfService", "outside the authorizationPeriod"),
       error("AUTHORIZATION_PERIOD", "line[2]/dateOfService", "outside the authorizationPeriod")});
}

TEST_CASE("AUTHORIZATION_PERIOD: services fall within the authorization", "[rules][invoice]") {
  requireOnly(
      variant(kClinicBc, {}, {{"line[2]/dateOfService", "2025-05-30"}}),
      error("AUTHORIZATION_PERIOD", "line[2]/dateOfService", "outside the authorizationPeriod"));
}

TEST_CASE("BILLING_WINDOW: WSIB bills services of the last 31 days only", "[rules][invoice]") {
  // Today is 2025-06-30: 2025-05-30 is 31 days ago, 2025-05-29 is 32.
  CHECK(check(variant(kClinicOn, {}, {{"line[1]/dateOfService", "2025-05-30"}})).empty());
  requireOnly(variant(kClinicOn, {}, {{"line[1]/dateOfService", "2025-05-29"}}),
              error("BILLING_WINDOW", "line[1]/dateOfService",
                    "a service older than 31 days cannot be billed electronically"));
  // WorkSafeBC has no such window.
  CHECK(validateDocument(*schemas(), *profiles(), example(kClinicBc), *Date::parse("2026-06-30"))
            .empty());
}

TEST_CASE("FEE_CODE: fee codes come from the table of program and contract", "[rules][invoice]") {
  requireOnly(variant(kClinicOn, {}, {{"line[2]/feeCode", "CRRTW-TRT"}}),
              error("FEE_CODE", "line[2]/feeCode",
                    "not in the WSIB fee table of program MSK_POC on the dateOfService"));
  // Training fee codes are WT_PLAN's, not MSK_POC's.
  requireOnly(variant(kClinicOn, {}, {{"line[1]/feeCode", "WT-TUITION"}}),
              error("FEE_CODE", "line[1]/feeCode",
                    "not in the WSIB fee table of program MSK_POC on the dateOfService"));
}

TEST_CASE("FEE_CODE: a table applies from its effective date", "[rules][invoice]") {
  BoardProfile dated = *profiles()->find("WSBC");
  for (FeeTable& table : dated.fee_tables) {
    if (table.program == "CRRTW") {
      table.period.from = Date::parse("2025-06-03");
    }
  }
  const auto dated_profiles = BoardProfiles::of({dated});
  const auto problems =
      validateDocument(*schemas(), *dated_profiles, example(kClinicBc), exampleToday());
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().path == "line[1]/feeCode");  // 2025-06-02, a day early
  CHECK(problems.front().code == "FEE_CODE");
}

TEST_CASE("FEE_CONTRACT: the contract must have a fee table", "[rules][invoice]") {
  requireOnly(variant(kClinicOn, {}, {{"contract", "PREMIUM"}}),
              error("FEE_CONTRACT", "contract",
                    "no WSIB fee table for program MSK_POC under this contract"));
}

TEST_CASE("FEE_TAX: the tax code follows the fee table's GST applicability", "[rules][invoice]") {
  // Tuition is GST-exempt.
  requireOnly(
      variant(kTraining, {}, {{"line[1]/taxCode", "G"}, {"line[1]/taxAmount", "0.00"}}),
      error("FEE_TAX", "line[1]/taxCode", "the fee code is GST-exempt: tax code G does not apply"));
  // Books are not.
  requireOnly(variant(kTraining, {"line[2]/taxAmount"},
                      {{"line[2]/taxCode", "E"}, {"gstTotal", "10.40"}, {"total", "4428.37"}}),
              error("FEE_TAX", "line[2]/taxCode",
                    "the fee code is subject to GST: tax code E does not apply"));
}

TEST_CASE("TAX_AMOUNT: E has no tax amount, G and P have one", "[rules][invoice]") {
  requireOnly(
      variant(kClinicBc, {}, {{"line[1]/taxAmount", "0.00"}}),
      error("TAX_AMOUNT", "line[1]/taxAmount", "an exempt line (tax code E) has no taxAmount"));
  requireOnly(
      variant(kTraining, {"line[3]/taxAmount"}, {{"gstTotal", "17.94"}, {"total", "4435.91"}}),
      error("TAX_AMOUNT", "line[3]/taxAmount", "required when the tax code is G or P"));
}

TEST_CASE("MONEY_LINE: amount = units x unit price within a cent", "[rules][invoice][money]") {
  // 2.5 x 85.50 = 213.75; 213.76 is within the cent, 213.77 is not.
  CHECK(check(variant(kClinicBc, {},
                      {{"line[2]/amount", "213.76"}, {"subtotal", "463.76"}, {"total", "463.76"}}))
            .empty());
  requireOnly(variant(kClinicBc, {},
                      {{"line[2]/amount", "213.77"}, {"subtotal", "463.77"}, {"total", "463.77"}}),
              error("MONEY_LINE", "line[2]/amount", "must be units x unitPrice (within 0.01)"));
  // No double rounding: 3 x 0.10 is exactly 0.30.
  CHECK(check(variant(kClinicBc, {},
                      {{"line[2]/units", "3"},
                       {"line[2]/unitPrice", "0.10"},
                       {"line[2]/amount", "0.3"},
                       {"subtotal", "250.30"},
                       {"total", "250.30"}}))
            .empty());
}

TEST_CASE("MONEY_SUBTOTAL, MONEY_GST, MONEY_PST, MONEY_TOTAL: the sums",
          "[rules][invoice][money]") {
  requireOnly(variant(kClinicBc, {}, {{"subtotal", "463.74"}}),
              error("MONEY_SUBTOTAL", "subtotal", "must be the sum of the line amounts"));
  requireOnly(variant(kTraining, {}, {{"gstTotal", "28.35"}}),
              error("MONEY_GST", "gstTotal", "must be the sum of the taxAmount of the G lines"));
  requireOnly(variant(kTraining, {}, {{"line[3]/taxCode", "P"}, {"gstTotal", "17.94"}}),
              error("MONEY_PST", "pstTotal", "must be the sum of the taxAmount of the P lines"));
  requireOnly(
      variant(kClinicBc, {}, {{"total", "463.76"}}),
      error("MONEY_TOTAL", "total", "must be the sum of the line amounts and the tax amounts"));
  // A PST line counted where it belongs is valid.
  CHECK(check(variant(kTraining, {},
                      {{"line[3]/taxCode", "P"}, {"gstTotal", "17.94"}, {"pstTotal", "10.40"}}))
            .empty());
}

TEST_CASE("MONEY: amounts are non-negative with two decimals (the schema)", "[rules][money]") {
  requireOnly(variant(kClinicBc, {}, {{"pstTotal", "-1.00"}}),
              error("SCHEMA", "pstTotal",
                    "[facet 'minInclusive'] The value is less than the minimum value allowed "
                    "('0')."));
  requireOnly(variant(kClinicBc, {}, {{"line[1]/unitPrice", "250.001"}}),
              error("SCHEMA", "line[1]/unitPrice",
                    "[facet 'fractionDigits'] The value has more fractional digits than are "
                    "allowed ('2')."));
  requireOnly(variant(kClinicBc, {},
                      {{"line[1]/units", "0.00"},
                       {"line[1]/amount", "0.00"},
                       {"subtotal", "213.75"},
                       {"total", "213.75"}}),
              error("SCHEMA", "line[1]/units",
                    "[facet 'minExclusive'] The value must be greater than '0'."));
}

TEST_CASE("ONE_WORKER: every line is for the header's claim", "[rules][invoice]") {
  requireOnly(variant(kClinicBc, {}, {{"line[1]/claimNumber", "87654321"}}),
              error("ONE_WORKER", "line[1]/claimNumber",
                    "an invoice is for one worker: must be the header's claimNumber"));
  CHECK(check(variant(kClinicBc, {}, {{"line[2]/claimNumber", "12345678"}})).empty());
}

TEST_CASE("an invoice number has at most 20 characters (the schema)", "[rules][invoice]") {
  requireOnly(variant(kClinicBc, {}, {{"invoiceNumber", "HP-2025-0107-00000001"}}),
              error("SCHEMA", "invoiceNumber",
                    "[facet 'pattern'] The value is not accepted by the pattern "
                    "'[A-Za-z0-9][A-Za-z0-9_\\-/]{0,19}'."));
  CHECK(check(variant(kClinicBc, {}, {{"invoiceNumber", "HP-2025-0107-0000001"}})).empty());
}

TEST_CASE("MONEY_SUBTOTAL, MONEY_TOTAL: sums past 64 bits match no amount, and do not wrap",
          "[rules][invoice][money]") {
  // 9,300 lines of 9,999,999,999,999.99 (13 digits, which the rules read
  // even where the XSD refuses them) add up past 2^63 hundredths. A wrapped
  // sum is undefined behaviour (the sanitizer build stops on it).
  const std::string xml = example(kClinicBc);
  const std::size_t first = xml.find("  <line>");
  const std::size_t end = xml.find("  <subtotal>");
  REQUIRE((first != std::string::npos && end != std::string::npos));
  std::string lines;
  for (int i = 0; i < 9300; ++i) {
    lines +=
        "  <line>\n    <dateOfService>2025-06-02</dateOfService>\n"
        "    <feeCode>CRRTW-ADM</feeCode>\n    <description>Admission assessment</description>\n"
        "    <units>1</units>\n    <unitPrice>9999999999999.99</unitPrice>\n"
        "    <amount>9999999999999.99</amount>\n    <taxCode>E</taxCode>\n  </line>\n";
  }
  const std::string huge = xml.substr(0, first) + lines + xml.substr(end);
  const std::vector<Problem> problems = check(huge);
  const auto has = [&](const std::string& code, const std::string& path) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const Problem& p) { return p.code == code && p.path == path; });
  };
  CHECK(has("MONEY_SUBTOTAL", "subtotal"));
  CHECK(has("MONEY_TOTAL", "total"));
  CHECK_FALSE(has("MONEY_LINE", "line[9300]/amount"));  // 1 x price is exact in 64 bits
}
