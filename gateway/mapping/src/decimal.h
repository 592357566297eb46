#pragma once
// Exact decimal arithmetic for money in mappings (cents in 64 bits).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rtw::mapping::detail {

/// "213.75" → 21375; rounds half away from zero past two decimals. Nothing
/// when the text is not a plain decimal number.
std::optional<std::int64_t> parseCents(std::string_view text);
/// `cents` × `factor` (a decimal such as "0.05"), rounded half away from zero.
std::optional<std::int64_t> scaleCents(std::int64_t cents, std::string_view factor);
/// 21375 → "213.75", -5 → "-0.05".
std::string formatCents(std::int64_t cents);

}  // namespace rtw::mapping::detail
