// Zones through cctz: the offset at an instant, where a wall-clock time
// falls, and the process's cache of zones by name.

#include "rtw/mapping/time_zone.h"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <algorithm>
#include <cctype>
#include <fstream>

namespace rtw::mapping {
namespace {

constexpr cctz::civil_second kLocalEpoch(1970, 1, 1, 0, 0, 0);

}  // namespace

struct TimeZone::Rules {
  cctz::time_zone zone;  // a handle on cctz's zone, which cctz keeps for the process
};

TimeZone::TimeZone(std::string name, std::unique_ptr<const Rules> rules)
    : name_(std::move(name)), rules_(std::move(rules)) {}
TimeZone::TimeZone(TimeZone&&) noexcept = default;
TimeZone& TimeZone::operator=(TimeZone&&) noexcept = default;
TimeZone::~TimeZone() = default;

TimeZone TimeZone::readFile(const std::filesystem::path& file, std::string name) {
  if (!std::ifstream(file, std::ios::binary)) {
    throw TimeZoneError("time zone file " + file.string() + " cannot be read");
  }
  // An absolute path is read as it is; a relative one would be looked up
  // under $TZDIR.
  auto rules = std::make_unique<Rules>();
  if (!cctz::load_time_zone(std::filesystem::absolute(file).string(), &rules->zone)) {
    throw TimeZoneError("time zone file " + file.string() +
                        " is not a valid TZif file, or it has leap-second records (a \"right/\" "
                        "zone: use the zone without them)");
  }
  return TimeZone(std::move(name), std::move(rules));
}

std::int32_t TimeZone::offsetAt(std::int64_t utc) const {
  const cctz::time_point<cctz::seconds> instant{cctz::seconds{utc}};
  return static_cast<std::int32_t>(rules_->zone.lookup(instant).offset);
}

WallTime TimeZone::resolve(std::int64_t local) const {
  const cctz::time_zone::civil_lookup found = rules_->zone.lookup(kLocalEpoch + local);
  // Each candidate instant is `local` read with one offset: the offset is the difference.
  const auto offsetOf = [local](const cctz::time_point<cctz::seconds>& instant) {
    return static_cast<std::int32_t>(local - instant.time_since_epoch().count());
  };
  const std::int32_t before = offsetOf(found.pre);
  const std::int32_t after = offsetOf(found.post);
  switch (found.kind) {
    case cctz::time_zone::civil_lookup::SKIPPED:
      return {WallTime::Fit::kGap, before, after};
    case cctz::time_zone::civil_lookup::REPEATED:
      return {WallTime::Fit::kOverlap, before, after};
    case cctz::time_zone::civil_lookup::UNIQUE:
      break;
  }
  return {WallTime::Fit::kUnique, before, before};
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
