// Named zones from the system's tz database (through cctz): offsets either
// side of the 2025 daylight-saving changes, the rule far in the future, local
// mean time before the first transition, wall-clock gaps and overlaps in
// northern and southern zones and in zones without daylight time, unknown
// names, corrupt files, and the cache under several threads.

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <iterator>
#include <latch>
#include <thread>

#include "mapping_fixture.h"
#include "rtw/mapping/time_zone.h"

using namespace rtw::mapping;
using namespace rtw::mapping::testing;

namespace {

constexpr std::int32_t kHour = 3600;

// Seconds since the epoch of a civil date and time (UTC, or wall clock for resolve()).
std::int64_t at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  using namespace std::chrono;
  const sys_days day{year{y} / month{mo} / std::chrono::day{d}};
  return std::int64_t{day.time_since_epoch().count()} * 86400 + h * 3600 + mi * 60 + s;
}

std::shared_ptr<const TimeZone> zone(const std::string& name) {
  return TimeZoneCache::system().get(name);
}

std::string zoneFileBytes(const std::string& name) {
  std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("Vancouver: PST until 2025-03-09 10:00Z, PDT until 2025-11-02 09:00Z") {
  const auto vancouver = zone("America/Vancouver");
  CHECK(vancouver->offsetAt(at(2025, 1, 15, 12)) == -8 * kHour);
  CHECK(vancouver->offsetAt(at(2025, 3, 9, 9, 59, 59)) == -8 * kHour);
  CHECK(vancouver->offsetAt(at(2025, 3, 9, 10)) == -7 * kHour);
  CHECK(vancouver->offsetAt(at(2025, 7, 15, 12)) == -7 * kHour);
  CHECK(vancouver->offsetAt(at(2025, 11, 2, 8, 59, 59)) == -7 * kHour);
  CHECK(vancouver->offsetAt(at(2025, 11, 2, 9)) == -8 * kHour);
}

TEST_CASE("Toronto: EST until 2025-03-09 07:00Z, EDT until 2025-11-02 06:00Z") {
  const auto toronto = zone("America/Toronto");
  CHECK(toronto->offsetAt(at(2025, 3, 9, 6, 59, 59)) == -5 * kHour);
  CHECK(toronto->offsetAt(at(2025, 3, 9, 7)) == -4 * kHour);
  CHECK(toronto->offsetAt(at(2025, 11, 2, 5, 59, 59)) == -4 * kHour);
  CHECK(toronto->offsetAt(at(2025, 11, 2, 6)) == -5 * kHour);
}

TEST_CASE("far in the future the footer's rule decides (second Sunday of March 2100 is the 14th)") {
  const auto vancouver = zone("America/Vancouver");
  CHECK(vancouver->offsetAt(at(2100, 1, 15)) == -8 * kHour);
  CHECK(vancouver->offsetAt(at(2100, 3, 14, 9, 59, 59)) == -8 * kHour);
  CHECK(vancouver->offsetAt(at(2100, 3, 14, 10)) == -7 * kHour);
  CHECK(vancouver->offsetAt(at(2100, 7, 1)) == -7 * kHour);
  CHECK(vancouver->offsetAt(at(2100, 11, 7, 8, 59, 59)) == -7 * kHour);
  CHECK(vancouver->offsetAt(at(2100, 11, 7, 9)) == -8 * kHour);
  CHECK(zone("America/Toronto")->offsetAt(at(2300, 7, 1)) == -4 * kHour);
}

TEST_CASE("before the first transition the zone is on local mean time") {
  CHECK(zone("America/Vancouver")->offsetAt(at(1800, 1, 1)) == -(8 * kHour + 12 * 60 + 28));
  CHECK(zone("America/Toronto")->offsetAt(at(1800, 1, 1)) == -(5 * kHour + 17 * 60 + 32));
}

TEST_CASE("a wall-clock time falls once, in the spring-forward gap, or twice at fall-back") {
  const auto vancouver = zone("America/Vancouver");
  const WallTime summer = vancouver->resolve(at(2025, 7, 15, 9, 30));
  CHECK(summer.fit == WallTime::Fit::kUnique);
  CHECK(summer.before == -7 * kHour);

  const WallTime gap = vancouver->resolve(at(2025, 3, 9, 2, 30));
  CHECK(gap.fit == WallTime::Fit::kGap);
  CHECK(gap.before == -8 * kHour);
  CHECK(gap.after == -7 * kHour);
  CHECK(vancouver->resolve(at(2025, 3, 9, 1, 59, 59)).fit == WallTime::Fit::kUnique);
  CHECK(vancouver->resolve(at(2025, 3, 9, 3)).fit == WallTime::Fit::kUnique);

  const WallTime twice = vancouver->resolve(at(2025, 11, 2, 1, 30));
  CHECK(twice.fit == WallTime::Fit::kOverlap);
  CHECK(twice.before == -7 * kHour);  // the first 01:30, in PDT
  CHECK(twice.after == -8 * kHour);
  CHECK(vancouver->resolve(at(2025, 11, 2, 2)).fit == WallTime::Fit::kUnique);

  CHECK(zone("America/Toronto")->resolve(at(2025, 3, 9, 2, 0)).fit == WallTime::Fit::kGap);
  CHECK(zone("America/Toronto")->resolve(at(2025, 11, 2, 1, 59)).fit == WallTime::Fit::kOverlap);
}

TEST_CASE("far in the future the zone's rule gives the gaps and overlaps too") {
  const auto vancouver = zone("America/Vancouver");
  const WallTime gap = vancouver->resolve(at(2100, 3, 14, 2, 30));
  CHECK(gap.fit == WallTime::Fit::kGap);
  CHECK(gap.before == -8 * kHour);
  CHECK(gap.after == -7 * kHour);
  const WallTime twice = vancouver->resolve(at(2100, 11, 7, 1, 30));
  CHECK(twice.fit == WallTime::Fit::kOverlap);
  CHECK(twice.before == -7 * kHour);
  CHECK(twice.after == -8 * kHour);
  CHECK(vancouver->resolve(at(2100, 3, 7, 2, 30)).fit == WallTime::Fit::kUnique);  // a week early

  const auto toronto = zone("America/Toronto");
  CHECK(toronto->resolve(at(2100, 3, 14, 2, 30)).fit == WallTime::Fit::kGap);
  const WallTime toronto_twice = toronto->resolve(at(2100, 11, 7, 1, 30));
  CHECK(toronto_twice.fit == WallTime::Fit::kOverlap);
  CHECK(toronto_twice.before == -4 * kHour);
  CHECK(toronto_twice.after == -5 * kHour);
}

TEST_CASE("a zone without daylight saving time: Regina is -06:00 all year, each time once") {
  const auto regina = zone("America/Regina");
  for (const std::int64_t utc : {at(2025, 1, 15, 12), at(2025, 3, 9, 9), at(2025, 7, 15, 12),
                                 at(2025, 11, 2, 8), at(2300, 7, 1)}) {
    CHECK(regina->offsetAt(utc) == -6 * kHour);
  }
  // The times that are a gap and an overlap in Vancouver and Toronto.
  for (const std::int64_t local : {at(2025, 3, 9, 2, 30), at(2025, 11, 2, 1, 30)}) {
    const WallTime wall = regina->resolve(local);
    CHECK(wall.fit == WallTime::Fit::kUnique);
    CHECK(wall.before == -6 * kHour);
    CHECK(wall.after == -6 * kHour);
  }
}

TEST_CASE("southern zones: Sydney springs forward in October and falls back in April") {
  const auto sydney = zone("Australia/Sydney");
  CHECK(sydney->offsetAt(at(2040, 1, 1)) == 11 * kHour);
  CHECK(sydney->offsetAt(at(2040, 7, 1)) == 10 * kHour);
  const WallTime gap = sydney->resolve(at(2025, 10, 5, 2, 30));  // first Sunday of October
  CHECK(gap.fit == WallTime::Fit::kGap);
  CHECK(gap.before == 10 * kHour);
  CHECK(gap.after == 11 * kHour);
  const WallTime twice = sydney->resolve(at(2025, 4, 6, 2, 30));  // first Sunday of April
  CHECK(twice.fit == WallTime::Fit::kOverlap);
  CHECK(twice.before == 11 * kHour);
  CHECK(twice.after == 10 * kHour);
}

TEST_CASE("a zone that stopped daylight saving time: Tehran, +04:30 in summer 2021, +03:30 now") {
  const auto tehran = zone("Asia/Tehran");
  CHECK(tehran->offsetAt(at(2021, 7, 1)) == 4 * kHour + 30 * 60);
  CHECK(tehran->offsetAt(at(2040, 7, 1)) == 3 * kHour + 30 * 60);
  CHECK(tehran->resolve(at(2040, 3, 21, 0, 30)).fit == WallTime::Fit::kUnique);
}

TEST_CASE("an unknown zone name is refused naming the zone") {
  for (const char* name : {"America/Atlantis", "Mars/Olympus_Mons", "America"}) {
    INFO(name);
    CHECK_THROWS_AS(zone(name), TimeZoneError);
    CHECK_THROWS_WITH(zone(name), Catch::StartsWith("unknown time zone '" + std::string(name) +
                                                    "': no file /usr/share/zoneinfo/"));
  }
}

TEST_CASE("a short or corrupt zone file is refused with a message naming it, never a crash") {
  const std::string good = zoneFileBytes("America/Vancouver");
  MappingFolder root;
  TimeZoneCache zones(root.path());
  root.write("Good/Zone", good);
  CHECK(zones.get("Good/Zone")->offsetAt(at(2025, 7, 15)) == -7 * kHour);
  // Every truncation, including one that only cuts the footer's last newline.
  for (std::size_t size = 0; size < good.size(); ++size) {
    INFO("first " << size << " bytes");
    const std::string name = "Cut/" + std::to_string(size);
    const std::filesystem::path file = root.write(name, good.substr(0, size));
    CHECK_THROWS_WITH(zones.get(name), Catch::StartsWith("time zone file " + file.string() +
                                                         " is not a valid TZif file"));
  }
  std::string huge_count = good;
  huge_count[32] = '\x7f';  // timecnt of the v1 header: far more transitions than bytes
  root.write("Bad/Count", huge_count);
  CHECK_THROWS_AS(zones.get("Bad/Count"), TimeZoneError);
  root.write("Bad/Text", "not a zone file at all, but long enough to hold a TZif header......");
  CHECK_THROWS_WITH(zones.get("Bad/Text"), Catch::Contains("is not a valid TZif file"));
  // Leap-second zones count time differently: refused, as cctz does not read them.
  CHECK_THROWS_WITH(zone("right/America/Vancouver"), Catch::Contains("leap-second records"));
}

TEST_CASE(
    "the cache names the missing file, refuses path tricks, and reads a corrupt file cleanly") {
  MappingFolder root;
  root.write("Test/Broken", "TZif2 but then nothing");
  TimeZoneCache zones(root.path());
  CHECK_THROWS_WITH(zones.get("Test/Broken"),
                    Catch::StartsWith("time zone file " + (root.path() / "Test/Broken").string() +
                                      " is not a valid TZif file"));
  CHECK_THROWS_WITH(zones.get("Test/Missing"), "unknown time zone 'Test/Missing': no file " +
                                                   (root.path() / "Test/Missing").string());
  for (const char* name : {"../etc/passwd", "/etc/passwd", "America/../../x", "a b", ""}) {
    INFO(name);
    CHECK_THROWS_WITH(zones.get(name), Catch::Contains("is not a time zone name"));
  }
  TimeZoneCache nowhere(root.path() / "no-such-dir");
  CHECK_THROWS_WITH(nowhere.get("America/Vancouver"),
                    Catch::Contains("no time zone database at") && Catch::Contains("tzdata"));
}

TEST_CASE("several threads reading and converting through one cache share one zone") {
  TimeZoneCache zones("/usr/share/zoneinfo");
  constexpr int kThreads = 8;
  std::latch start(kThreads);
  std::vector<std::shared_ptr<const TimeZone>> seen(kThreads);
  std::vector<int> wrong(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();  // all ask for the zone at once, before anyone has read it
      seen[t] = zones.get(t % 2 == 0 ? "America/Vancouver" : "America/Toronto");
      const std::int32_t standard = t % 2 == 0 ? -8 * kHour : -5 * kHour;
      for (int day = 0; day < 2000; ++day) {  // 2025 to 2030, past the fat file into the footer
        const std::int64_t noon = at(2025, 1, 1, 12) + std::int64_t{day} * 86400;
        const std::int32_t offset = seen[t]->offsetAt(noon);
        wrong[t] += offset != standard && offset != standard + kHour;
        wrong[t] += seen[t]->resolve(noon).fit != WallTime::Fit::kUnique;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (int t = 0; t < kThreads; ++t) {
    INFO("thread " << t);
    CHECK(wrong[t] == 0);
    CHECK(seen[t] == seen[t % 2]);  // one TimeZone per name, read once
  }
  CHECK(seen[0]->name() == "America/Vancouver");
  CHECK(seen[1]->name() == "America/Toronto");
}
