#include "transforms.h"

#include <algorithm>
#include <cctype>

#include "decimal.h"
#include "rtw/hl7v2/timestamp.h"
#include "zone_policy.h"

namespace rtw::mapping::detail {
namespace {

std::string trimmed(const std::string& value) {
  const auto first = value.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return {};
  }
  const auto last = value.find_last_not_of(" \t\r\n");
  return value.substr(first, last - first + 1);
}

std::string splitPart(const std::string& value, const std::string& separator, int part) {
  std::size_t start = 0;
  for (int i = 1; i < part; ++i) {
    const auto next = value.find(separator, start);
    if (next == std::string::npos || separator.empty()) {
      return {};
    }
    start = next + separator.size();
  }
  const auto end = separator.empty() ? std::string::npos : value.find(separator, start);
  return value.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

Transformed toDate(const ValueRule& rule, const std::string& value, const ZonePolicy& zone) {
  auto ts = hl7v2::parseTimestamp(value);
  if (!ts || ts->precision < hl7v2::Timestamp::Precision::kDay) {
    return {{}, "the source is not an HL7 date (YYYYMMDD...)"};
  }
  if (rule.date == ValueRule::DateFormat::kDate) {
    char text[11];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", ts->year, ts->month, ts->day);
    return {text, {}};
  }
  if (ts->precision < hl7v2::Timestamp::Precision::kMinute) {
    return {{}, "the source has no time of day (YYYYMMDDHHMM at least)"};
  }
  if (!ts->offset_minutes) {
    if (std::string error = applyZonePolicy(*ts, zone); !error.empty()) {
      return {{}, error};
    }
  }
  if (ts->precision < hl7v2::Timestamp::Precision::kSecond) {
    ts->precision = hl7v2::Timestamp::Precision::kSecond;
  }
  return {ts->toIso8601(), {}};
}

Transformed lookUp(const ValueRule& rule, const std::string& value, const MappingSet& set) {
  const CodeTable* table = set.table(rule.table);
  if (auto it = table->codes.find(value); it != table->codes.end()) {
    return {it->second, {}};
  }
  if (table->fallback) {
    return {*table->fallback, {}};
  }
  return {{}, "the source code is not in table '" + rule.table + "' (and it has no \"*\")", true};
}

Transformed toMoney(const ValueRule& rule, const std::string& value) {
  Cents cents = parseCents(value);
  if (cents.error == Cents::Error::kNotDecimal) {
    return {{}, "the source is not a decimal number"};
  }
  if (cents.ok() && !rule.scale.empty()) {
    cents = scaleCents(cents.value, rule.scale);
    if (!cents.ok()) {
      return {{}, "the amount x scale " + rule.scale + " is beyond " + formatCents(kMaxCents)};
    }
  }
  if (!cents.ok()) {
    return {{}, "the amount is beyond " + formatCents(kMaxCents)};
  }
  return {formatCents(cents.value), {}};
}

}  // namespace

Transformed applyTransforms(const ValueRule& rule, std::string value, const MappingSet& set) {
  if (rule.trim) {
    value = trimmed(value);
  }
  if (rule.extract && !value.empty()) {
    value = rule.extract->firstGroup(value).value_or(std::string());
  }
  if (rule.split && !value.empty()) {
    value = splitPart(value, rule.split->first, rule.split->second);
    value = rule.trim ? trimmed(value) : value;
  }
  if (rule.letter_case != ValueRule::Case::kAsIs) {
    const bool upper = rule.letter_case == ValueRule::Case::kUpper;
    std::transform(value.begin(), value.end(), value.begin(), [upper](unsigned char c) {
      return static_cast<char>(upper ? std::toupper(c) : std::tolower(c));
    });
  }
  if (value.empty()) {
    return {};
  }
  Transformed result{std::move(value), {}};
  if (!rule.table.empty()) {
    result = lookUp(rule, result.value, set);
  }
  if (result.error.empty() && rule.date != ValueRule::DateFormat::kNone) {
    result = toDate(rule, result.value, set.zone());
  }
  if (result.error.empty() && (rule.money || !rule.scale.empty())) {
    result = toMoney(rule, result.value);
  }
  return result;
}

}  // namespace rtw::mapping::detail
