#include "rtw/worksafe/date.h"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace rtw::worksafe {
namespace {

namespace chrono = std::chrono;

chrono::year_month_day civil(std::int64_t days) {
  return chrono::year_month_day(chrono::sys_days(chrono::days(days)));
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

template <typename Number>
bool readNumber(std::string_view text, Number& value) {
  for (char c : text) {
    if (!isDigit(c)) {
      return false;
    }
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

// xs:date allows "Z" or "+hh:mm"/"-hh:mm" after the date.
bool isTimeZone(std::string_view zone) {
  if (zone.empty() || zone == "Z") {
    return true;
  }
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && isDigit(zone[1]) &&
         isDigit(zone[2]) && zone[3] == ':' && isDigit(zone[4]) && isDigit(zone[5]);
}

}  // namespace

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !isTimeZone(text.substr(10))) {
    return std::nullopt;
  }
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  if (!readNumber(text.substr(0, 4), year) || !readNumber(text.substr(5, 2), month) ||
      !readNumber(text.substr(8, 2), day)) {
    return std::nullopt;
  }
  return fromYmd(year, month, day);
}

std::optional<Date> Date::fromYmd(int year, unsigned month, unsigned day) {
  const chrono::year_month_day ymd{chrono::year(year), chrono::month(month), chrono::day(day)};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return Date(chrono::sys_days(ymd).time_since_epoch().count());
}

Date Date::fromDays(std::int64_t days_since_epoch) { return Date(days_since_epoch); }

Date Date::today() {
  const auto now = chrono::floor<chrono::days>(chrono::system_clock::now());
  return Date(now.time_since_epoch().count());
}

int Date::year() const { return static_cast<int>(civil(days_).year()); }

unsigned Date::month() const { return static_cast<unsigned>(civil(days_).month()); }

unsigned Date::day() const { return static_cast<unsigned>(civil(days_).day()); }

unsigned Date::weekday() const {
  return chrono::weekday(chrono::sys_days(chrono::days(days_))).iso_encoding();
}

Date Date::plusYears(int years) const {
  chrono::year_month_day later = civil(days_) + chrono::years(years);
  if (!later.ok()) {
    later = later.year() / later.month() / chrono::last;  // 29 February in a common year
  }
  return Date(chrono::sys_days(later).time_since_epoch().count());
}

std::string Date::toString() const {
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", year(), month(), day());
  return text;
}

}  // namespace rtw::worksafe
