#pragma once
// The board's Retry-After (RFC 9110 §10.2.3) as a wait: delta-seconds
// ("120") or an HTTP-date (§5.6.7) in any of its three forms, the preferred
// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" and the obsolete RFC 850
// "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994".

#include <chrono>
#include <optional>
#include <string_view>

namespace rtw::transport {

/// The longest wait a Retry-After is honoured for: one hour. A board down
/// for longer is tried again each hour (its answer renews the wait), so a
/// far date, a clock that is wrong or a typo cannot park documents for days.
constexpr int kMaxRetryAfterSeconds = 3600;

/// The seconds to wait before the next try: the delta, or the time from
/// `now` until the date rounded up to a whole second (0 for a date that has
/// passed), at most kMaxRetryAfterSeconds. Nothing when the value is neither
/// form (it is then ignored, and the usual backoff applies).
std::optional<int> parseRetryAfter(std::string_view value,
                                   std::chrono::system_clock::time_point now);

/// An HTTP-date in any of the three forms; `now` places an RFC 850 two-digit
/// year (one more than 50 years ahead is the century before).
std::optional<std::chrono::sys_seconds> parseHttpDate(std::string_view text,
                                                      std::chrono::system_clock::time_point now);

}  // namespace rtw::transport
