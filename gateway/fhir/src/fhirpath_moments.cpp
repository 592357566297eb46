// Dates and times as FHIR and FHIRPath write them, and FHIRPath's partial
// comparison of them: field by field as far as both go; equal so far with
// one going further is unknown. Seconds and their fraction are one
// precision. Two moments with offsets, known to the minute, compare as
// instants.

#include <cctype>

#include "fhirpath_values.h"

namespace rtw::fhir::detail {
namespace {

int digitsAt(std::string_view text, std::size_t& pos, std::size_t count) {
  if (pos + count > text.size()) {
    return -1;
  }
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return -1;
    }
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// hh(:mm(:ss(.fff)))) into fields 3..6; false when malformed.
bool parseTime(std::string_view text, std::size_t& pos, Moment& moment) {
  static constexpr int kLimits[] = {23, 59, 59};
  for (int field = 3; field <= 5; ++field) {
    if (field > 3) {
      if (pos >= text.size() || text[pos] != ':') {
        return true;
      }
      ++pos;
    }
    const int value = digitsAt(text, pos, 2);
    if (value < 0 || value > kLimits[field - 3]) {
      return false;
    }
    moment.fields[static_cast<std::size_t>(field)] = value;
    moment.precision = field + 1;
  }
  if (pos < text.size() && text[pos] == '.') {
    const std::size_t start = ++pos;
    int millis = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (pos - start < 3) {
        millis = millis * 10 + (text[pos] - '0');
      }
      ++pos;
    }
    const std::size_t digits = pos - start;
    if (digits == 0 || digits > 9) {
      return false;
    }
    for (std::size_t i = digits; i < 3; ++i) {
      millis *= 10;
    }
    moment.fields[6] = millis;
  }
  return true;
}

bool parseOffset(std::string_view text, std::size_t& pos, Moment& moment) {
  if (pos >= text.size()) {
    return true;
  }
  if (text[pos] == 'Z') {
    ++pos;
    moment.offset = 0;
    return true;
  }
  if (text[pos] != '+' && text[pos] != '-') {
    return false;
  }
  const int sign = text[pos++] == '-' ? -1 : 1;
  const int hours = digitsAt(text, pos, 2);
  if (hours < 0 || hours > 14 || pos >= text.size() || text[pos++] != ':') {
    return false;
  }
  const int minutes = digitsAt(text, pos, 2);
  if (minutes < 0 || minutes > 59) {
    return false;
  }
  moment.offset = sign * (hours * 60 + minutes);
  return true;
}

// Days from 1970-01-01 in the proleptic Gregorian calendar (by whole
// 400-year eras, which repeat exactly).
long daysSinceEpoch(int year, int month, int day) {
  const int y = month <= 2 ? year - 1 : year;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long year_of_era = y - era * 400;
  const long shifted_month = month > 2 ? month - 3 : month + 9;  // March = 0
  const long day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

long minutesUtc(const Moment& m) {
  return daysSinceEpoch(m.fields[0], m.fields[1], m.fields[2]) * 1440 + m.fields[3] * 60 +
         m.fields[4] - *m.offset;
}

int sign(long long value) { return value < 0 ? -1 : (value > 0 ? 1 : 0); }

}  // namespace

std::optional<int> compareMoments(const Moment& a, const Moment& b) {
  if (a.is_time != b.is_time) {
    return std::nullopt;
  }
  std::size_t field = a.is_time ? 3 : 0;
  if (!a.is_time && a.offset && b.offset && a.precision >= 5 && b.precision >= 5) {
    if (const int c = sign(minutesUtc(a) - minutesUtc(b)); c != 0) {
      return c;
    }
    field = 5;
  }
  for (; field < 6; ++field) {
    const bool in_a = a.precision > static_cast<int>(field);
    const bool in_b = b.precision > static_cast<int>(field);
    if (!in_a || !in_b) {
      return in_a == in_b ? std::optional<int>(0) : std::nullopt;
    }
    const long long left = field == 5 ? a.fields[5] * 1000LL + a.fields[6] : a.fields[field];
    const long long right = field == 5 ? b.fields[5] * 1000LL + b.fields[6] : b.fields[field];
    if (left != right) {
      return sign(left - right);
    }
  }
  return 0;
}

std::optional<Moment> parseMoment(std::string_view text, bool time_only) {
  Moment moment;
  std::size_t pos = 0;
  if (time_only || (!text.empty() && text[0] == 'T')) {
    pos = time_only ? 0 : 1;
    moment.is_time = true;
    if (!parseTime(text, pos, moment) || pos != text.size()) {
      return std::nullopt;
    }
    return moment;
  }
  const int year = digitsAt(text, pos, 4);
  if (year < 0) {
    return std::nullopt;
  }
  moment.fields[0] = year;
  moment.precision = 1;
  for (std::size_t field = 1; field <= 2 && pos < text.size() && text[pos] == '-'; ++field) {
    ++pos;
    const int value = digitsAt(text, pos, 2);
    const int limit = field == 1 ? 12 : daysInMonth(year, moment.fields[1]);
    if (value < 1 || value > limit) {
      return std::nullopt;
    }
    moment.fields[field] = value;
    moment.precision = static_cast<int>(field) + 1;
  }
  if (pos < text.size() && text[pos] == 'T' && moment.precision == 3) {
    ++pos;
    if (pos < text.size() && (!parseTime(text, pos, moment) || !parseOffset(text, pos, moment))) {
      return std::nullopt;
    }
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  return moment;
}

}  // namespace rtw::fhir::detail
