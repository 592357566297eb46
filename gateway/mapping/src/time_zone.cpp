// Offsets of a zone at an instant, where a wall-clock time falls, the POSIX
// TZ rule of a TZif footer, and the process's cache of zones.

#include "rtw/mapping/time_zone.h"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace rtw::mapping {
namespace {

constexpr std::int64_t kDay = 86400;

// A cursor over a POSIX TZ string; each read returns nothing when the text
// at the cursor is not what was asked for.
class TzText {
 public:
  explicit TzText(std::string_view text) : text_(text) {}

  bool atEnd() const { return pos_ == text_.size(); }
  bool take(char c) {
    if (!atEnd() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // "PST", or "<-03>" for names that are not letters.
  bool name() {
    if (take('<')) {
      const std::size_t close = text_.find('>', pos_);
      const bool ok = close != std::string_view::npos && close > pos_;
      pos_ = ok ? close + 1 : pos_;
      return ok;
    }
    const std::size_t start = pos_;
    while (!atEnd() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
    return pos_ - start >= 3;
  }

  // [+-]h[hh][:mm[:ss]] as signed seconds, hours at most `max_hours`.
  std::optional<std::int32_t> duration(int max_hours) {
    const bool negative = take('-');
    if (!negative) {
      take('+');
    }
    const auto hours = number(1, 3);
    if (!hours || *hours > max_hours) {
      return std::nullopt;
    }
    std::int32_t seconds = *hours * 3600;
    for (const int unit : {60, 1}) {
      if (!take(':')) {
        break;
      }
      const auto part = number(2, 2);
      if (!part || *part > 59) {
        return std::nullopt;
      }
      seconds += *part * unit;
    }
    return negative ? -seconds : seconds;
  }

  // "Mm.w.d[/time]".
  std::optional<DaylightRule::Change> change() {
    DaylightRule::Change change;
    const auto month = take('M') ? number(1, 2) : std::nullopt;
    const auto week = month && take('.') ? number(1, 1) : std::nullopt;
    const auto weekday = week && take('.') ? number(1, 1) : std::nullopt;
    if (!weekday || *month < 1 || *month > 12 || *week < 1 || *week > 5 || *weekday > 6) {
      return std::nullopt;
    }
    change.month = *month;
    change.week = *week;
    change.weekday = *weekday;
    if (take('/')) {
      const auto time = duration(167);  // RFC 8536 allows -167..167 hours
      if (!time) {
        return std::nullopt;
      }
      change.time = *time;
    }
    return change;
  }

 private:
  std::optional<std::int32_t> number(std::size_t min_digits, std::size_t max_digits) {
    std::int32_t value = 0;
    std::size_t digits = 0;
    while (!atEnd() && digits < max_digits &&
           std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      value = value * 10 + (text_[pos_++] - '0');
      ++digits;
    }
    return digits >= min_digits ? std::optional<std::int32_t>(value) : std::nullopt;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// The UTC instant of `change` in `year`, its time of day read with `offset`.
std::int64_t changeAt(const DaylightRule::Change& change, int year, std::int32_t offset) {
  using namespace std::chrono;
  const year_month month{std::chrono::year{year}, std::chrono::month{unsigned(change.month)}};
  const weekday day{unsigned(change.weekday)};
  const sys_days date = change.week == 5 ? sys_days{month / weekday_last{day}}
                                         : sys_days{month / day[unsigned(change.week)]};
  return std::int64_t{date.time_since_epoch().count()} * kDay + change.time - offset;
}

}  // namespace

std::optional<DaylightRule> DaylightRule::parse(std::string_view text) {
  TzText in(text);
  DaylightRule rule;
  // POSIX offsets count hours west of UTC: "PST8" is -08:00.
  const auto standard = in.name() ? in.duration(24) : std::nullopt;
  if (!standard) {
    return std::nullopt;
  }
  rule.standard_offset = -*standard;
  if (in.atEnd()) {
    return rule;
  }
  if (!in.name()) {
    return std::nullopt;
  }
  rule.daylight_offset = rule.standard_offset + 3600;
  if (!in.atEnd() && !in.take(',')) {
    const auto daylight = in.duration(24);
    if (!daylight || !in.take(',')) {
      return std::nullopt;
    }
    rule.daylight_offset = -*daylight;
  }
  const auto start = in.change();
  const auto end = start && in.take(',') ? in.change() : std::nullopt;
  if (!end || !in.atEnd()) {
    return std::nullopt;  // also a daylight name without rules: its dates are not written
  }
  rule.start = *start;
  rule.end = *end;
  return rule;
}

std::int32_t DaylightRule::offsetAt(std::int64_t utc) const {
  if (!daylight_offset) {
    return standard_offset;
  }
  using namespace std::chrono;
  const auto local_days = floor<days>(sys_seconds{seconds{utc + standard_offset}});
  const int year = int(year_month_day{local_days}.year());
  const std::int64_t begins = changeAt(start, year, standard_offset);
  const std::int64_t ends = changeAt(end, year, *daylight_offset);
  // Southern zones have daylight time across the new year: it begins after it ends.
  const bool daylight =
      begins < ends ? (begins <= utc && utc < ends) : !(ends <= utc && utc < begins);
  return daylight ? *daylight_offset : standard_offset;
}

std::int32_t TimeZone::offsetAt(std::int64_t utc) const {
  const auto next = std::upper_bound(transitions_.begin(), transitions_.end(), utc);
  if (next == transitions_.end() && footer_) {
    return footer_->offsetAt(utc);
  }
  if (next == transitions_.begin()) {
    return initial_offset_;
  }
  return offsets_[static_cast<std::size_t>(next - transitions_.begin() - 1)];
}

WallTime TimeZone::resolve(std::int64_t local) const {
  // Transitions are days apart, so the offsets a day either side are the
  // only candidates; each is one if the instant it gives has that offset.
  const std::int32_t before = offsetAt(local - kDay);
  const std::int32_t after = offsetAt(local + kDay);
  const bool before_fits = offsetAt(local - before) == before;
  const bool after_fits = offsetAt(local - after) == after;
  if (before_fits && after_fits && before != after) {
    return {WallTime::Fit::kOverlap, before, after};
  }
  if (before_fits || after_fits) {
    const std::int32_t offset = before_fits ? before : after;
    return {WallTime::Fit::kUnique, offset, offset};
  }
  return {WallTime::Fit::kGap, before, after};
}

TimeZoneCache& TimeZoneCache::system() {
  static TimeZoneCache cache("/usr/share/zoneinfo");
  return cache;
}

std::shared_ptr<const TimeZone> TimeZoneCache::get(std::string_view name) {
  const bool shaped = !name.empty() && name.size() <= 128 && name.front() != '/' &&
                      name.back() != '/' && name.find("..") == std::string_view::npos &&
                      name.find("//") == std::string_view::npos &&
                      std::all_of(name.begin(), name.end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) || c == '/' ||
                               c == '_' || c == '-' || c == '+';
                      });
  if (!shaped) {
    throw TimeZoneError("'" + std::string(name) +
                        "' is not a time zone name (Area/City, as in the tz database)");
  }
  const std::lock_guard lock(mutex_);
  if (auto it = zones_.find(name); it != zones_.end()) {
    return it->second;
  }
  if (!std::filesystem::is_directory(root_)) {
    throw TimeZoneError("no time zone database at " + root_.string() +
                        " (install Debian's tzdata package: scripts/setup)");
  }
  const std::filesystem::path file = root_ / name;
  if (!std::filesystem::is_regular_file(file)) {
    throw TimeZoneError("unknown time zone '" + std::string(name) + "': no file " + file.string());
  }
  auto zone = std::make_shared<const TimeZone>(TimeZone::readFile(file, std::string(name)));
  zones_.emplace(std::string(name), zone);
  return zone;
}

}  // namespace rtw::mapping
