#pragma once
// Calendar dates as the WorkSafe documents carry them (xs:date), for the
// board rules: date order, deadlines in days and working days, effective
// dates of programs and fee tables. No time of day and no time zone: a
// document's dates are the board's local calendar dates.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rtw::worksafe {

class Date {
 public:
  /// 1970-01-01.
  constexpr Date() = default;

  /// "YYYY-MM-DD", optionally followed by an xs:date time zone ("Z",
  /// "-08:00"), which is ignored. nullopt for anything else or a day that
  /// does not exist (2025-02-29).
  static std::optional<Date> parse(std::string_view text);
  static std::optional<Date> fromYmd(int year, unsigned month, unsigned day);
  static Date fromDays(std::int64_t days_since_epoch);
  /// Today's date in UTC.
  static Date today();

  std::int64_t days() const { return days_; }
  int year() const;
  unsigned month() const;
  unsigned day() const;
  /// ISO weekday: 1 Monday ... 7 Sunday.
  unsigned weekday() const;

  Date plusDays(std::int64_t days) const { return fromDays(days_ + days); }
  /// The same day `years` later; 29 February becomes 28 February.
  Date plusYears(int years) const;

  std::string toString() const;  // "YYYY-MM-DD"

  auto operator<=>(const Date&) const = default;

 private:
  explicit constexpr Date(std::int64_t days) : days_(days) {}
  std::int64_t days_ = 0;
};

}  // namespace rtw::worksafe
