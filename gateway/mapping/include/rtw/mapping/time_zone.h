#pragma once
// Named IANA time zones ("America/Vancouver") read from the system's TZif
// files (RFC 8536, /usr/share/zoneinfo, Debian package tzdata). GCC 12's
// libstdc++ has no std::chrono::tzdb, hence this reader. A TimeZone is
// immutable once read and shared by any number of threads.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rtw::mapping {

/// A zone that cannot be used: no such file, or not a valid TZif file.
/// what() names the file.
class TimeZoneError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The daylight-saving rule of a POSIX TZ string ("PST8PDT,M3.2.0,M11.1.0"),
/// which a TZif file carries as its footer for times past its last
/// transition. Offsets are seconds east of UTC.
struct DaylightRule {
  /// "Mm.w.d/time": day d (0 = Sunday) of week w (5 = last) of month m, at
  /// `time` seconds after local midnight (may be negative or past 24 h).
  struct Change {
    int month = 0;
    int week = 0;
    int weekday = 0;
    std::int32_t time = 2 * 3600;
  };
  std::int32_t standard_offset = 0;
  std::optional<std::int32_t> daylight_offset;  // none: standard time all year
  Change start;                                 // standard → daylight, in standard time
  Change end;                                   // daylight → standard, in daylight time

  /// Reads a TZ string. Nothing when it is not one (or uses the Jn / n
  /// day forms, which no zone of the tz database needs).
  static std::optional<DaylightRule> parse(std::string_view text);
  std::int32_t offsetAt(std::int64_t utc) const;
};

/// How a local wall-clock time (no offset) falls in a zone.
struct WallTime {
  enum class Fit { kUnique, kGap, kOverlap };
  Fit fit = Fit::kUnique;
  std::int32_t before = 0;  // the offset before the nearby transition (kUnique: the offset)
  std::int32_t after = 0;   // the offset after it (kUnique: the same)
};

class TimeZone {
 public:
  /// Reads TZif bytes (v1, or the 64-bit data and footer of v2+). `origin`
  /// names the file in errors. Throws TimeZoneError.
  static TimeZone parse(std::string_view bytes, std::string name, const std::string& origin);
  static TimeZone readFile(const std::filesystem::path& file, std::string name);

  const std::string& name() const { return name_; }
  /// Seconds east of UTC in force at `utc` (seconds since 1970-01-01T00:00Z).
  std::int32_t offsetAt(std::int64_t utc) const;
  /// Where `local` (a wall-clock time as seconds since 1970-01-01T00:00
  /// local) falls: once, in a gap (spring forward) or twice (fall back).
  WallTime resolve(std::int64_t local) const;

 private:
  std::string name_;
  std::vector<std::int64_t> transitions_;  // ascending, UTC
  std::vector<std::int32_t> offsets_;      // the offset from each transition on
  std::int32_t initial_offset_ = 0;        // before the first transition (time type 0)
  std::optional<DaylightRule> footer_;     // past the last transition
};

/// Zones read once and kept: every mapping set naming "America/Vancouver"
/// shares one TimeZone. Safe to call from any number of threads.
class TimeZoneCache {
 public:
  explicit TimeZoneCache(std::filesystem::path root) : root_(std::move(root)) {}
  /// /usr/share/zoneinfo, shared by the whole process.
  static TimeZoneCache& system();

  /// The zone `name` ("Area/City"), read on first use. Throws TimeZoneError
  /// for a name that is not one, a missing file or a file that is not TZif.
  std::shared_ptr<const TimeZone> get(std::string_view name);
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones_;
};

}  // namespace rtw::mapping
