#include "rtw/transport/retry_after.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include "http_whitespace.h"

namespace rtw::transport {
namespace {

using detail::withoutOws;

using namespace std::chrono;

constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Reads an HTTP-date from left to right; each step fails on the first
// character that does not fit (names are case-sensitive, §5.6.7).
class DateReader {
 public:
  explicit DateReader(std::string_view text) : text_(text) {}

  bool literal(std::string_view expected) {
    if (text_.substr(0, expected.size()) != expected) {
      return false;
    }
    text_.remove_prefix(expected.size());
    return true;
  }

  bool digits(std::size_t count, int& value) {
    if (text_.size() < count) {
      return false;
    }
    value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (text_[i] < '0' || text_[i] > '9') {
        return false;
      }
      value = value * 10 + (text_[i] - '0');
    }
    text_.remove_prefix(count);
    return true;
  }

  // asctime's day of month: two digits, or a space and one digit.
  bool paddedDay(int& value) { return literal(" ") ? digits(1, value) : digits(2, value); }

  template <std::size_t N>
  bool name(const std::array<std::string_view, N>& names, int* index = nullptr) {
    for (std::size_t i = 0; i < N; ++i) {
      if (literal(names[i])) {
        if (index != nullptr) {
          *index = static_cast<int>(i) + 1;
        }
        return true;
      }
    }
    return false;
  }

  bool timeOfDay(int& hour, int& minute, int& second) {
    return digits(2, hour) && literal(":") && digits(2, minute) && literal(":") &&
           digits(2, second) && hour <= 23 && minute <= 59 && second <= 60;  // 60: leap second
  }

  bool done() const { return text_.empty(); }

 private:
  std::string_view text_;
};

struct Fields {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

std::optional<sys_seconds> toTime(const Fields& f) {
  const year_month_day date{year{f.year}, month{static_cast<unsigned>(f.month)},
                            day{static_cast<unsigned>(f.day)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return sys_days(date) + hours(f.hour) + minutes(f.minute) + seconds(f.second);
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<Fields> readImfFixdate(std::string_view text) {
  DateReader r(text);
  Fields f;
  const bool ok = r.name(kDays) && r.literal(", ") && r.digits(2, f.day) && r.literal(" ") &&
                  r.name(kMonths, &f.month) && r.literal(" ") && r.digits(4, f.year) &&
                  r.literal(" ") && r.timeOfDay(f.hour, f.minute, f.second) && r.literal(" GMT") &&
                  r.done();
  return ok ? std::optional(f) : std::nullopt;
}

// "Sunday, 06-Nov-94 08:49:37 GMT"; the year's century is resolved later.
std::optional<Fields> readRfc850(std::string_view text) {
  DateReader r(text);
  Fields f;
  const bool ok = r.name(kLongDays) && r.literal(", ") && r.digits(2, f.day) && r.literal("-") &&
                  r.name(kMonths, &f.month) && r.literal("-") && r.digits(2, f.year) &&
                  r.literal(" ") && r.timeOfDay(f.hour, f.minute, f.second) && r.literal(" GMT") &&
                  r.done();
  return ok ? std::optional(f) : std::nullopt;
}

// "Sun Nov  6 08:49:37 1994"
std::optional<Fields> readAsctime(std::string_view text) {
  DateReader r(text);
  Fields f;
  const bool ok = r.name(kDays) && r.literal(" ") && r.name(kMonths, &f.month) && r.literal(" ") &&
                  r.paddedDay(f.day) && r.literal(" ") && r.timeOfDay(f.hour, f.minute, f.second) &&
                  r.literal(" ") && r.digits(4, f.year) && r.done();
  return ok ? std::optional(f) : std::nullopt;
}

// §5.6.7: a two-digit year more than 50 years ahead is the most recent past
// year with the same last two digits.
int fullYear(int two_digits, system_clock::time_point now) {
  const int this_year = static_cast<int>(year_month_day(floor<days>(now)).year());
  int full = this_year - this_year % 100 + two_digits;
  if (full > this_year + 50) {
    full -= 100;
  }
  return full;
}

// delta-seconds = 1*DIGIT, of any length: past the cap is the cap.
std::optional<int> parseDelta(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
    if (value > kMaxRetryAfterSeconds) {
      value = kMaxRetryAfterSeconds;  // and no overflow however many digits follow
    }
  }
  return value;
}

}  // namespace

std::optional<sys_seconds> parseHttpDate(std::string_view text, system_clock::time_point now) {
  text = withoutOws(text);
  if (auto f = readImfFixdate(text)) {
    return toTime(*f);
  }
  if (auto f = readRfc850(text)) {
    f->year = fullYear(f->year, now);
    return toTime(*f);
  }
  if (auto f = readAsctime(text)) {
    return toTime(*f);
  }
  return std::nullopt;
}

std::optional<int> parseRetryAfter(std::string_view value, system_clock::time_point now) {
  value = withoutOws(value);
  if (auto delta = parseDelta(value)) {
    return delta;
  }
  const auto date = parseHttpDate(value, now);
  if (!date) {
    return std::nullopt;
  }
  if (*date <= now) {
    return 0;
  }
  // Rounded up: the wait ends at the date, never before it.
  const auto wait = ceil<seconds>(*date - now).count();
  return static_cast<int>(std::min<std::int64_t>(wait, kMaxRetryAfterSeconds));
}

}  // namespace rtw::transport
