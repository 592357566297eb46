#include "decimal.h"

#include <cstdlib>

namespace rtw::mapping::detail {
namespace {

// A decimal as digits and a count of decimals: "2.5" → {25, 1}.
struct Decimal {
  std::int64_t digits = 0;
  int decimals = 0;
};

constexpr int kMaxDigits = 15;  // far below the 64-bit limit, even when multiplied

std::optional<Decimal> parseDecimal(std::string_view text) {
  Decimal d;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  bool dot = false;
  int digits = 0;
  for (char c : text) {
    if (c == '.' && !dot) {
      dot = true;
    } else if (c >= '0' && c <= '9' && digits < kMaxDigits) {
      d.digits = d.digits * 10 + (c - '0');
      ++digits;
      d.decimals += dot ? 1 : 0;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0) {
    return std::nullopt;
  }
  d.digits = negative ? -d.digits : d.digits;
  return d;
}

std::int64_t pow10(int n) {
  std::int64_t p = 1;
  while (n-- > 0) {
    p *= 10;
  }
  return p;
}

std::int64_t divideRounded(std::int64_t value, std::int64_t divisor) {
  const std::int64_t half = divisor / 2;
  return value >= 0 ? (value + half) / divisor : -((-value + half) / divisor);
}

}  // namespace

std::optional<std::int64_t> parseCents(std::string_view text) {
  const auto d = parseDecimal(text);
  if (!d) {
    return std::nullopt;
  }
  if (d->decimals <= 2) {
    return d->digits * pow10(2 - d->decimals);
  }
  return divideRounded(d->digits, pow10(d->decimals - 2));
}

std::optional<std::int64_t> scaleCents(std::int64_t cents, std::string_view factor) {
  const auto d = parseDecimal(factor);
  if (!d || d->decimals > 6 || std::llabs(cents) > pow10(12)) {
    return std::nullopt;
  }
  return divideRounded(cents * d->digits, pow10(d->decimals));
}

std::string formatCents(std::int64_t cents) {
  const bool negative = cents < 0;
  const std::int64_t magnitude = negative ? -cents : cents;
  std::string fraction = std::to_string(magnitude % 100);
  if (fraction.size() < 2) {
    fraction.insert(0, "0");
  }
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + fraction;
}

}  // namespace rtw::mapping::detail
