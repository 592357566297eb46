#include "decimal.h"

#include <algorithm>
#include <optional>

namespace rtw::mapping::detail {
namespace {

constexpr std::size_t kMaxIntegerDigits = 15;  // kMaxCents' dollars
constexpr std::size_t kMaxScaleDigits = 12;
constexpr std::size_t kMaxScaleDecimals = 6;

// A decimal text cut into its parts: "-0012.50" → negative, "12", "50".
// Leading zeros of the whole part carry no value and are dropped, so that
// they count against no digit limit.
struct DecimalText {
  bool negative = false;
  std::string_view whole;
  std::string_view fraction;
};

bool allDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<DecimalText> splitDecimal(std::string_view text) {
  DecimalText d;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    d.negative = text[0] == '-';
    text.remove_prefix(1);
  }
  const std::size_t dot = text.find('.');
  d.whole = text.substr(0, dot);
  d.fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if ((d.whole.empty() && d.fraction.empty()) || !allDigits(d.whole) || !allDigits(d.fraction)) {
    return std::nullopt;
  }
  while (!d.whole.empty() && d.whole.front() == '0') {
    d.whole.remove_prefix(1);
  }
  return d;
}

std::int64_t digitsValue(std::string_view digits) {
  std::int64_t value = 0;
  for (char c : digits) {
    value = value * 10 + (c - '0');
  }
  return value;
}

std::int64_t pow10(std::size_t n) {
  std::int64_t p = 1;
  while (n-- > 0) {
    p *= 10;
  }
  return p;
}

// value / divisor, rounded half away from zero, without the overflow that
// adding half of the divisor first would risk near the 64-bit limit.
std::int64_t divideRounded(std::int64_t value, std::int64_t divisor) {
  std::int64_t quotient = value / divisor;
  const std::int64_t remainder = value % divisor;
  if ((remainder < 0 ? -remainder : remainder) * 2 >= divisor) {
    quotient += value < 0 ? -1 : 1;
  }
  return quotient;
}

Cents outOfRange() { return {0, Cents::Error::kOutOfRange}; }

// A scale as an integer and a count of decimals: "0.050" → {5, 2}.
struct Factor {
  std::int64_t digits = 0;
  std::size_t decimals = 0;
};

std::optional<Factor> parseFactor(std::string_view text, std::string* problem) {
  auto d = splitDecimal(text);
  if (!d) {
    *problem = "'scale' must be a decimal number such as \"0.05\", not '" + std::string(text) + "'";
    return std::nullopt;
  }
  // Trailing zeros of the fraction carry no value ("0.050" is 0.05).
  while (!d->fraction.empty() && d->fraction.back() == '0') {
    d->fraction.remove_suffix(1);
  }
  std::string digits = std::string(d->whole) + std::string(d->fraction);
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  if (d->fraction.size() > kMaxScaleDecimals || digits.size() > kMaxScaleDigits) {
    *problem = "'scale' " + std::string(text) + " has too many digits (at most " +
               std::to_string(kMaxScaleDigits) + ", " + std::to_string(kMaxScaleDecimals) +
               " of them decimals)";
    return std::nullopt;
  }
  const std::int64_t value = digitsValue(digits);
  return Factor{d->negative ? -value : value, d->fraction.size()};
}

}  // namespace

Cents parseCents(std::string_view text) {
  const auto d = splitDecimal(text);
  if (!d) {
    return {0, Cents::Error::kNotDecimal};
  }
  if (d->whole.size() > kMaxIntegerDigits) {
    return outOfRange();
  }
  // Two decimals, and the third rounds half away from zero: the digits after
  // it cannot change which way.
  const auto fractionDigit = [&](std::size_t i) {
    return i < d->fraction.size() ? d->fraction[i] - '0' : 0;
  };
  std::int64_t value = digitsValue(d->whole) * 100 + fractionDigit(0) * 10 + fractionDigit(1);
  value += fractionDigit(2) >= 5 ? 1 : 0;
  if (value > kMaxCents) {
    return outOfRange();
  }
  return {d->negative ? -value : value, Cents::Error::kNone};
}

Cents scaleCents(std::int64_t cents, std::string_view factor) {
  std::string problem;
  const auto f = parseFactor(factor, &problem);
  if (!f) {
    return {0, Cents::Error::kNotDecimal};
  }
  std::int64_t product = 0;
  if (__builtin_mul_overflow(cents, f->digits, &product)) {
    return outOfRange();
  }
  const std::int64_t value = divideRounded(product, pow10(f->decimals));
  if (value > kMaxCents || value < -kMaxCents) {
    return outOfRange();
  }
  return {value, Cents::Error::kNone};
}

Cents addCents(std::int64_t total, std::int64_t cents) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(total, cents, &sum) || sum > kMaxCents || sum < -kMaxCents) {
    return outOfRange();
  }
  return {sum, Cents::Error::kNone};
}

std::string checkScale(std::string_view factor) {
  std::string problem;
  parseFactor(factor, &problem);
  return problem;
}

std::string formatCents(std::int64_t cents) {
  const bool negative = cents < 0;
  // Unsigned, so that even the most negative value has a magnitude.
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(cents) : static_cast<std::uint64_t>(cents);
  std::string fraction = std::to_string(magnitude % 100);
  if (fraction.size() < 2) {
    fraction.insert(0, "0");
  }
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + fraction;
}

}  // namespace rtw::mapping::detail
