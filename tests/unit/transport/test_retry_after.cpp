// The board's Retry-After in each form RFC 9110 allows becomes the wait the
// delivery worker honours; anything else is ignored, never misread.

#include <catch2/catch.hpp>

#include <chrono>

#include "rtw/transport/retry_after.h"

using namespace std::chrono;
using rtw::transport::kMaxRetryAfterSeconds;
using rtw::transport::parseHttpDate;
using rtw::transport::parseRetryAfter;

namespace {

// Sun, 06 Nov 1994 08:49:37 GMT, the example of RFC 9110 §5.6.7.
constexpr sys_seconds kExample = sys_days(year{1994} / November / 6) + 8h + 49min + 37s;

}  // namespace

TEST_CASE("the three HTTP-date forms of RFC 9110 name the same instant") {
  const auto now = sys_days(year{2026} / March / 1) + 0s;
  CHECK(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT", now) == kExample);
  CHECK(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", now) == kExample);
  CHECK(parseHttpDate("Sun Nov  6 08:49:37 1994", now) == kExample);
  CHECK(parseHttpDate("Sun Nov 16 08:49:37 1994", now) == kExample + days(10));
}

TEST_CASE("an RFC 850 two-digit year more than 50 years ahead is the century before") {
  const auto now = sys_days(year{2026} / March / 1) + 0s;
  CHECK(parseHttpDate("Monday, 06-Nov-76 08:49:37 GMT", now) ==
        sys_days(year{2076} / November / 6) + 8h + 49min + 37s);
  CHECK(parseHttpDate("Wednesday, 06-Nov-77 08:49:37 GMT", now) ==
        sys_days(year{1977} / November / 6) + 8h + 49min + 37s);
}

TEST_CASE("text that is not an HTTP-date is refused, not read as some date") {
  const auto now = system_clock::now();
  for (const char* bad :
       {"", "soon", "Sun, 6 Nov 1994 08:49:37 GMT", "sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 GMT x",
        "Sun, 31 Feb 2026 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994", "2026-03-01T10:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(parseHttpDate(bad, now));
    CHECK_FALSE(parseRetryAfter(bad, now));
  }
  CHECK_FALSE(parseRetryAfter("-5", now));
  CHECK_FALSE(parseRetryAfter("1.5", now));
}

TEST_CASE("a Retry-After date is the wait from now, rounded up to the second") {
  const system_clock::time_point now = kExample - 90s + 250ms;
  CHECK(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now) == 90);  // 89.75 s rounded up
  CHECK(parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", kExample - 2s) == 2);
  CHECK(parseRetryAfter(" Sun Nov  6 08:49:37 1994 ", kExample - 1s) == 1);  // OWS around it
}

TEST_CASE("a date in the past means retry now, and a far one is capped at an hour") {
  CHECK(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kExample) == 0);
  CHECK(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kExample + days(1000)) == 0);
  CHECK(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kExample - days(30)) ==
        kMaxRetryAfterSeconds);
  CHECK(kMaxRetryAfterSeconds == 3600);
}

TEST_CASE("delta-seconds are the wait as they are, capped at an hour however long") {
  const auto now = system_clock::now();
  CHECK(parseRetryAfter("0", now) == 0);
  CHECK(parseRetryAfter("120", now) == 120);
  CHECK(parseRetryAfter("3601", now) == kMaxRetryAfterSeconds);
  CHECK(parseRetryAfter("99999999999999999999999", now) == kMaxRetryAfterSeconds);
}
