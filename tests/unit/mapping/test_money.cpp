// Money in mappings is exact and bounded: an amount, a scaled amount or a sum
// past the largest amount is the rule's finding naming the field, never a
// wrapped 64-bit number; a scale that is not a usable decimal fails at load.

#include <catch2/catch.hpp>

#include <optional>

#include "mapping_fixture.h"

using namespace rtw::mapping;
using namespace rtw::mapping::testing;

namespace {

// An invoice mapping whose one line's amount is FT1-11 and whose taxAmount
// is that amount x `scale`, with the subtotal summed over the lines.
std::string invoiceMapping(const std::string& scale) {
  return "{ \"messages\": { \"DFT^P03\": { \"document\": \"invoice\", \"repeat\": [\n"
         "{ \"target\": \"line\", \"each\": \"FT1[*]\",\n"
         "  \"fields\": { \"amount\": { \"hl7\": \"FT1-11\", \"money\": true },\n"
         "    \"taxAmount\": { \"field\": \"amount\", \"scale\": \"" +
         scale +
         "\" } } } ],\n"
         "\"totals\": { \"subtotal\": { \"sum\": \"line[*]/amount\" } } } } }";
}

std::string charges(const std::string& amount, int lines = 1) {
  std::string dft = "MSH|^~\\&|EMR|FAC|RTWGW|WSBC|20250314170000-0700||DFT^P03|M3|P|2.5.1\r";
  for (int i = 1; i <= lines; ++i) {
    dft += "FT1|" + std::to_string(i) + "|||20250305||CG|CRRTW-ADM^Assessment||||" + amount + "|" +
           amount + "\r";
  }
  return dft;
}

std::optional<MappingError> loadError(const std::string& text) {
  MappingFolder folder;
  folder.write("mapping.json", text);
  try {
    folder.load();
  } catch (const MappingError& error) {
    return error;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("a scaled amount past 64 bits is the rule's error, not a wrapped number") {
  // 9,999,999,999.99 x 10^10 is about 10^23 cents: far past 64 bits.
  const Mapped m = run(invoiceMapping("10000000000"), "DFT^P03", charges("9999999999.99"));
  CHECK(m.get("line[1]/amount") == "9999999999.99");
  CHECK(m.get("line[1]/taxAmount").empty());
  CHECK_THAT(m.findings(),
             Catch::Contains("ERROR line[1]/taxAmount: the amount x scale 10000000000 is beyond "
                             "999999999999999.99"));
  CHECK(m.evaluation.hasErrors());
}

TEST_CASE("a scale keeps exact cents near the largest amount") {
  const Mapped m = run(invoiceMapping("0.5"), "DFT^P03", charges("999999999999999.99"));
  CHECK(m.get("line[1]/taxAmount") == "500000000000000.00");  // .995 rounds half up
  CHECK_FALSE(m.evaluation.hasErrors());
}

TEST_CASE("an amount with more integer digits than any amount is out of range, not garbage") {
  const Mapped m = run(invoiceMapping("1"), "DFT^P03", charges("12345678901234567"));
  CHECK(m.get("line[1]/amount").empty());
  CHECK_THAT(m.findings(),
             Catch::Contains("ERROR line[1]/amount: the amount is beyond 999999999999999.99"));
}

TEST_CASE("leading zeros and long fractions are still plain decimals") {
  const Mapped m =
      run(invoiceMapping("0.050000"), "DFT^P03", charges("000000000000000045.505000001"));
  CHECK(m.get("line[1]/amount") == "45.51");
  CHECK(m.get("line[1]/taxAmount") == "2.28");
  CHECK_FALSE(m.evaluation.hasErrors());
}

TEST_CASE("a sum past the largest amount is the total's error, not a wrapped number") {
  // 100 lines of 999,999,999,999,999 overflow 64 bits when added in cents.
  const Mapped m = run(invoiceMapping("1"), "DFT^P03", charges("999999999999999", 100));
  CHECK(m.get("line[100]/amount") == "999999999999999.00");
  CHECK(m.get("subtotal").empty());
  CHECK_THAT(m.findings(),
             Catch::Contains("ERROR subtotal: the sum is beyond 999999999999999.99 (sum)"));
}

TEST_CASE("a scale that is not a usable decimal fails at load with file, line and rule") {
  const auto check = [](const std::string& scale, const std::string& problem) {
    const auto error = loadError(invoiceMapping(scale));
    REQUIRE(error);
    CHECK(error->where().line == 4);
    CHECK(error->where().rule == "DFT^P03 line/taxAmount");
    CHECK_THAT(error->problem(), Catch::Contains(problem));
    CHECK_THAT(std::string(error->what()), Catch::Contains("mapping.json:4 (rule DFT^P03 line/"));
  };
  check("0,05", "'scale' must be a decimal number such as \"0.05\", not '0,05'");
  check("5%", "must be a decimal number");
  check("", "must be a decimal number");
  check("0.0000001", "'scale' 0.0000001 has too many digits (at most 12, 6 of them decimals)");
  check("1234567890123", "has too many digits");
  CHECK_FALSE(loadError(invoiceMapping("0.130000")));  // trailing zeros carry no value
}
