#pragma once
// What FHIRPath's comparisons see in an item: booleans, numbers, strings,
// dates and times with their precision (FHIRPath N1 "Comparison" and
// "Equality": a date known to the day compared with one known to the
// second is unknown, not false, when the day is the same).

#include <array>
#include <optional>
#include <string_view>

#include "fhirpath_eval.h"

namespace rtw::fhir::detail {

/// A date, dateTime or time as written, with what it gives.
struct Moment {
  bool is_time = false;         // a time of day only (@T10:30, FHIR time)
  int precision = 0;            // fields given: year=1 ... second=6 (fraction counts with it)
  std::array<int, 7> fields{};  // year, month, day, hour, minute, second, millisecond
  std::optional<int> offset;    // minutes east of UTC when given ("Z" is 0)
};

/// FHIR's and FHIRPath's forms: 2024, 2024-11, 2024-11-01,
/// 2024-11-01T10:30:00(.123)(Z|+hh:mm), FHIRPath partial dateTimes
/// (2024-11-01T10) and times (T10:30, or 10:30:00 when `time_only`).
std::optional<Moment> parseMoment(std::string_view text, bool time_only = false);

/// FHIRPath's comparison of two moments: nothing when unknown (one is
/// known further than the other and they agree as far as both go) or when
/// a time of day meets a date.
std::optional<int> compareMoments(const Moment& a, const Moment& b);

/// The number a text holds (FHIR integer or decimal), when it is one.
std::optional<long double> parseNumber(std::string_view text);

/// Comparison of two items: <0, 0, >0, or nothing when they cannot be
/// compared or the answer is unknown (different precision, different kinds).
std::optional<int> compareItems(const Item& left, const Item& right, const JsonDocument& document);
/// FHIRPath equality of two items: nothing when unknown (dates of another
/// precision).
std::optional<bool> equalItems(const Item& left, const Item& right, const JsonDocument& document);

/// The boolean an item holds (a computed boolean or a JSON true/false).
std::optional<bool> itemBoolean(const Item& item);

}  // namespace rtw::fhir::detail
