#pragma once
// Exact decimal arithmetic for money in mappings (cents in 64 bits). Every
// amount stays within ±kMaxCents, so sums of a few never leave 64 bits and
// an amount or product past it is reported, never wrapped.

#include <cstdint>
#include <string>
#include <string_view>

namespace rtw::mapping::detail {

/// 999,999,999,999,999.99: 15 integer digits, more than any amount a board
/// schema holds (Money has 12 digits in all) and far from 64 bits.
constexpr std::int64_t kMaxCents = 99'999'999'999'999'999;

/// An amount in cents, or why there is none.
struct Cents {
  enum class Error { kNone, kNotDecimal, kOutOfRange };
  std::int64_t value = 0;
  Error error = Error::kNone;
  bool ok() const { return error == Error::kNone; }
};

/// "213.75" → 21375; rounds half away from zero past two decimals.
/// kNotDecimal when the text is not a plain decimal number, kOutOfRange past
/// kMaxCents.
Cents parseCents(std::string_view text);
/// `cents` × `factor` (a decimal such as "0.05" that checkScale accepts),
/// rounded half away from zero; kOutOfRange when the product passes kMaxCents.
Cents scaleCents(std::int64_t cents, std::string_view factor);
/// `total` + `cents`; kOutOfRange when the sum passes kMaxCents.
Cents addCents(std::int64_t total, std::int64_t cents);
/// Empty when `factor` is a usable scale (a decimal of at most 12 digits, 6
/// of them decimals); otherwise the sentence a load error says.
std::string checkScale(std::string_view factor);
/// 21375 → "213.75", -5 → "-0.05".
std::string formatCents(std::int64_t cents);

}  // namespace rtw::mapping::detail
