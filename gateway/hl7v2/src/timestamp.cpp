// DTM parsing and ISO 8601 output. Precision is part of the value in HL7
// ("201503" is a month, not the 1st of it), so it is kept, never filled in.

#include "rtw/hl7v2/timestamp.h"

#include <cstdio>
#include <utility>

#include "typed_value.h"

namespace rtw::hl7v2 {
namespace {

bool allDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

int number(std::string_view digits) {
  int value = 0;
  for (char c : digits) {
    value = value * 10 + (c - '0');
  }
  return value;
}

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// The "+HHMM" / "-HHMM" suffix, or nothing when it is not one.
std::optional<int> parseOffset(std::string_view text) {
  if (text.size() != 5 || (text[0] != '+' && text[0] != '-') || !allDigits(text.substr(1))) {
    return std::nullopt;
  }
  int hours = number(text.substr(1, 2));
  int minutes = number(text.substr(3, 2));
  if (hours > 14 || minutes > 59) {
    return std::nullopt;
  }
  int total = hours * 60 + minutes;
  return text[0] == '-' ? -total : total;
}

// Fills the date and time parts from 4, 6, 8, 10, 12 or 14 digits.
bool readParts(std::string_view digits, Timestamp& ts) {
  using Precision = Timestamp::Precision;
  static constexpr Precision kByLength[] = {Precision::kYear,   Precision::kMonth,
                                            Precision::kDay,    Precision::kHour,
                                            Precision::kMinute, Precision::kSecond};
  if (digits.size() < 4 || digits.size() > 14 || digits.size() % 2 != 0) {
    return false;
  }
  ts.precision = kByLength[(digits.size() - 4) / 2];
  int* parts[] = {&ts.month, &ts.day, &ts.hour, &ts.minute, &ts.second};
  ts.year = number(digits.substr(0, 4));
  for (std::size_t i = 4; i < digits.size(); i += 2) {
    *parts[(i - 4) / 2] = number(digits.substr(i, 2));
  }
  bool month_ok = digits.size() < 6 || (ts.month >= 1 && ts.month <= 12);
  bool day_ok =
      digits.size() < 8 || (month_ok && ts.day >= 1 && ts.day <= daysInMonth(ts.year, ts.month));
  return ts.year >= 1 && month_ok && day_ok && ts.hour <= 23 && ts.minute <= 59 && ts.second <= 59;
}

std::string twoDigits(int value) {
  char text[4];
  std::snprintf(text, sizeof text, "%02d", value);
  return text;
}

}  // namespace

std::optional<Timestamp> parseTimestamp(std::string_view dtm) {
  Timestamp ts;
  std::size_t zone = dtm.find_first_of("+-");
  if (zone != std::string_view::npos) {
    ts.offset_minutes = parseOffset(dtm.substr(zone));
    if (!ts.offset_minutes) {
      return std::nullopt;
    }
    dtm = dtm.substr(0, zone);
  }
  std::size_t dot = dtm.find('.');
  std::string_view digits = dtm.substr(0, dot);
  if (!allDigits(digits) || !readParts(digits, ts)) {
    return std::nullopt;
  }
  if (dot != std::string_view::npos) {
    std::string_view fraction = dtm.substr(dot + 1);
    if (ts.precision != Timestamp::Precision::kSecond || fraction.size() > 4 ||
        !allDigits(fraction)) {
      return std::nullopt;
    }
    ts.precision = Timestamp::Precision::kFraction;
    ts.fraction = std::string(fraction);
  }
  return ts;
}

std::string Timestamp::toIso8601() const {
  char year_text[8];
  std::snprintf(year_text, sizeof year_text, "%04d", year);
  std::string out = year_text;
  const std::pair<Precision, std::string> parts[] = {
      {Precision::kMonth, "-" + twoDigits(month)},   {Precision::kDay, "-" + twoDigits(day)},
      {Precision::kHour, "T" + twoDigits(hour)},     {Precision::kMinute, ":" + twoDigits(minute)},
      {Precision::kSecond, ":" + twoDigits(second)}, {Precision::kFraction, "." + fraction},
  };
  for (const auto& [needed, text] : parts) {
    if (precision >= needed) {
      out += text;
    }
  }
  if (offset_minutes) {
    int total = *offset_minutes;
    out += total < 0 ? '-' : '+';
    total = total < 0 ? -total : total;
    out += twoDigits(total / 60) + ":" + twoDigits(total % 60);
  }
  return out;
}

std::optional<Timestamp> readTs(const Message& message, std::string_view path) {
  std::optional<detail::TypedValue> value = detail::TypedValue::first(message, path);
  if (!value) {
    return std::nullopt;
  }
  return parseTimestamp(value->part(1));
}

}  // namespace rtw::hl7v2
