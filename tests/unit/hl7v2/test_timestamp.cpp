// TS/DTM: every precision, the offset, ISO 8601 output, invalid values.

#include <catch2/catch.hpp>

#include <string>

#include "rtw/hl7v2/timestamp.h"
#include "samples.h"

using rtw::hl7v2::parseTimestamp;
using rtw::hl7v2::readTs;
using rtw::hl7v2::Timestamp;
using rtw::hl7v2::test::parseOrFail;
using rtw::hl7v2::test::referral;

namespace {

std::string iso(std::string_view dtm) {
  auto ts = parseTimestamp(dtm);
  return ts ? ts->toIso8601() : "<invalid>";
}

}  // namespace

TEST_CASE("every DTM precision becomes ISO 8601 with that precision", "[hl7v2][timestamp]") {
  CHECK(iso("2025") == "2025");
  CHECK(iso("202503") == "2025-03");
  CHECK(iso("20250301") == "2025-03-01");
  CHECK(iso("2025030110") == "2025-03-01T10");
  CHECK(iso("202503011015") == "2025-03-01T10:15");
  CHECK(iso("20250301101500") == "2025-03-01T10:15:00");
  CHECK(iso("20250301101500.1") == "2025-03-01T10:15:00.1");
  CHECK(iso("20250301101500.1234") == "2025-03-01T10:15:00.1234");
}

TEST_CASE("the UTC offset is kept as written", "[hl7v2][timestamp]") {
  CHECK(iso("20250301101500-0800") == "2025-03-01T10:15:00-08:00");
  CHECK(iso("20250301101500+0000") == "2025-03-01T10:15:00+00:00");
  CHECK(iso("202503011015+0530") == "2025-03-01T10:15+05:30");
  CHECK(iso("20250301101500.25+1400") == "2025-03-01T10:15:00.25+14:00");
  CHECK(iso("20250301-0800") == "2025-03-01-08:00");
  CHECK(iso("2025-0330") == "2025-03:30");
  auto ts = parseTimestamp("20250301101500-0830");
  REQUIRE(ts.has_value());
  CHECK(ts->offset_minutes == -510);
  CHECK_FALSE(parseTimestamp("20250301")->offset_minutes.has_value());
}

TEST_CASE("the parts and precision are readable", "[hl7v2][timestamp]") {
  auto ts = parseTimestamp("20240229235958.07");
  REQUIRE(ts.has_value());
  Timestamp expected;
  expected.precision = Timestamp::Precision::kFraction;
  expected.year = 2024;
  expected.month = 2;
  expected.day = 29;
  expected.hour = 23;
  expected.minute = 59;
  expected.second = 58;
  expected.fraction = "07";
  CHECK(*ts == expected);
  auto month = parseTimestamp("199912");
  REQUIRE(month.has_value());
  CHECK(month->precision == Timestamp::Precision::kMonth);
  CHECK(month->day == 0);
  CHECK(month->hour == 0);
}

TEST_CASE("invalid date/times give nothing", "[hl7v2][timestamp]") {
  const char* const kInvalid[] = {"",
                                  "202",
                                  "20250",
                                  "2025030",
                                  "202503011",
                                  "2025030110150",
                                  "202503011015001",
                                  "0000",
                                  "202513",
                                  "20251301",
                                  "20256501",
                                  "202500",
                                  "20250230",
                                  "20230229",
                                  "20250431",
                                  "2025030124",
                                  "202503011060",
                                  "20250301101560",
                                  "20250301101500.",
                                  "20250301101500.12345",
                                  "202503011015.5",
                                  "20250301101500.x",
                                  "20250301101500-08",
                                  "20250301101500-1500",
                                  "20250301101500+0860",
                                  "20250301101500 -0800",
                                  "2025-03-01",
                                  "20250301T1015",
                                  " 20250301",
                                  "20250301 ",
                                  "2025030110150O"};
  for (const char* bad : kInvalid) {
    INFO(bad);
    CHECK_FALSE(parseTimestamp(bad).has_value());
  }
  CHECK(parseTimestamp("20000229").has_value());  // 2000 is a leap year, 2023 is not
}

TEST_CASE("readTs reads a TS field, a DTM component and skips absent values",
          "[hl7v2][timestamp]") {
  rtw::hl7v2::Message m = parseOrFail(referral() +
                                      "OBR|1|||||20250301101500-0800^S|||||||||||||||||||||\"\"\r"
                                      "ZTS|2025x|^bad\r");
  CHECK(readTs(m, "MSH-7")->toIso8601() == "2025-03-01T10:15:00-08:00");
  CHECK(readTs(m, "RF1-7")->toIso8601() == "2025-03-01");
  CHECK(readTs(m, "OBR-6")->toIso8601() == "2025-03-01T10:15:00-08:00");  // TS-2 ignored
  CHECK(readTs(m, "OBR-6.1")->toIso8601() == "2025-03-01T10:15:00-08:00");
  CHECK_FALSE(readTs(m, "OBR-27").has_value());  // explicit null
  CHECK_FALSE(readTs(m, "OBR-8").has_value());   // empty
  CHECK_FALSE(readTs(m, "OBR-40").has_value());  // absent
  CHECK_FALSE(readTs(m, "ZTS-1").has_value());   // invalid
  CHECK_FALSE(readTs(m, "ZTS-2").has_value());   // first component empty
  CHECK_FALSE(readTs(m, "not a path").has_value());
}
