#pragma once
// Named IANA time zones ("America/Vancouver") from the system's tz database
// (/usr/share/zoneinfo, Debian package tzdata), read through Google's cctz
// (Debian package libcctz-dev): GCC 12's libstdc++ has no std::chrono::tzdb.
// cctz stays behind this header. A TimeZone is immutable once read and
// shared by any number of threads.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rtw::mapping {

/// A zone that cannot be used: not a zone name, no such file, or a file
/// that is not a zone. what() names the zone or the file.
class TimeZoneError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// How a local wall-clock time (no offset) falls in a zone. Offsets are
/// seconds east of UTC.
struct WallTime {
  enum class Fit { kUnique, kGap, kOverlap };
  Fit fit = Fit::kUnique;
  std::int32_t before = 0;  // the offset before the nearby transition (kUnique: the offset)
  std::int32_t after = 0;   // the offset after it (kUnique: the same)
};

class TimeZone {
 public:
  /// Reads the zone file `file` (TZif, with its rule for the years past
  /// its last transition). `name` is what name() gives. Throws
  /// TimeZoneError naming the file when it is not a zone.
  static TimeZone readFile(const std::filesystem::path& file, std::string name);

  TimeZone(TimeZone&&) noexcept;
  TimeZone& operator=(TimeZone&&) noexcept;
  ~TimeZone();

  const std::string& name() const { return name_; }
  /// Seconds east of UTC in force at `utc` (seconds since 1970-01-01T00:00Z).
  std::int32_t offsetAt(std::int64_t utc) const;
  /// Where `local` (a wall-clock time as seconds since 1970-01-01T00:00
  /// local) falls: once, in a gap (spring forward) or twice (fall back).
  WallTime resolve(std::int64_t local) const;

 private:
  struct Rules;  // the cctz zone
  TimeZone(std::string name, std::unique_ptr<const Rules> rules);

  std::string name_;
  std::unique_ptr<const Rules> rules_;
};

/// Zones read once and kept: every mapping set naming "America/Vancouver"
/// shares one TimeZone. Safe to call from any number of threads.
class TimeZoneCache {
 public:
  explicit TimeZoneCache(std::filesystem::path root) : root_(std::move(root)) {}
  /// /usr/share/zoneinfo, shared by the whole process.
  static TimeZoneCache& system();

  /// The zone `name` ("Area/City"), read on first use from root()/name.
  /// Throws TimeZoneError for a name that is not one, a missing file or a
  /// file that is not a zone.
  std::shared_ptr<const TimeZone> get(std::string_view name);
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> zones_;
};

}  // namespace rtw::mapping
