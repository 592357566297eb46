// Named zones from the system's TZif files: offsets either side of the 2025
// daylight-saving changes, the footer rule far in the future, local mean time
// before the first transition, wall-clock gaps and overlaps, corrupt files,
// and the cache under several threads.

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

TEST_CASE("POSIX TZ strings: the Mm.w.d form, southern zones, zones without daylight time") {
  const auto pacific = DaylightRule::parse("PST8PDT,M3.2.0,M11.1.0");
  REQUIRE(pacific);
  CHECK(pacific->offsetAt(at(2031, 3, 9, 10)) == -7 * kHour);  // 2031-03-09 is its 2nd Sunday
  CHECK(pacific->offsetAt(at(2031, 3, 9, 9, 59)) == -8 * kHour);

  const auto sydney = DaylightRule::parse("AEST-10AEDT,M10.1.0,M4.1.0/3");
  REQUIRE(sydney);
  CHECK(sydney->offsetAt(at(2040, 1, 1)) == 11 * kHour);
  CHECK(sydney->offsetAt(at(2040, 7, 1)) == 10 * kHour);

  const auto tehran = DaylightRule::parse("<+0330>-3:30");
  REQUIRE(tehran);
  CHECK(tehran->offsetAt(at(2040, 7, 1)) == 3 * kHour + 30 * 60);

  const auto late = DaylightRule::parse("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1");  // negative times
  REQUIRE(late);
  CHECK(late->daylight_offset == -2 * kHour);
  CHECK(late->start.time == -2 * kHour);

  for (const char* bad :
       {"", "PST", "PST8PDT", "PST8PDT,J60,J300", "PST8PDT,M13.1.0,M11.1.0",
        "PST8PDT,M3.6.0,M11.1.0", "PST8PDT,M3.2.0", "8PDT", "PST8PDT,M3.2.0,M11.1.0x"}) {
    INFO(bad);
    CHECK_FALSE(DaylightRule::parse(bad));
  }
}

TEST_CASE("a TZif file with only version 1 (32-bit) data is read too") {
  std::string bytes = zoneFileBytes("America/Vancouver");
  bytes[4] = '\0';  // claims to be v1: the 64-bit data after the first block is ignored
  const TimeZone v1 = TimeZone::parse(bytes, "America/Vancouver", "test");
  CHECK(v1.offsetAt(at(2025, 7, 15)) == -7 * kHour);
  CHECK(v1.offsetAt(at(2025, 12, 15)) == -8 * kHour);
}

TEST_CASE("a short or corrupt TZif file is refused with a message naming it, never a crash") {
  const std::string good = zoneFileBytes("America/Vancouver");
  REQUIRE_NOTHROW(TimeZone::parse(good, "America/Vancouver", "good"));
  // Every truncation, including one that only cuts the footer.
  for (std::size_t size = 0; size < good.size(); ++size) {
    INFO("first " << size << " bytes");
    CHECK_THROWS_AS(TimeZone::parse(good.substr(0, size), "x", "cut.tzif"), TimeZoneError);
  }
  const auto refused = [](std::string bytes) {
    try {
      TimeZone::parse(bytes, "x", "/zones/broken");
    } catch (const TimeZoneError& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  CHECK(refused("not a zone file at all, but long enough to hold a TZif header......") ==
        "time zone file /zones/broken is not a valid TZif file: it does not start with \"TZif\"");
  std::string huge_count = good;
  huge_count[32] = '\x7f';  // timecnt of the v1 header: far more transitions than bytes
  CHECK_THAT(refused(huge_count), Catch::Contains("it ends inside its data"));
  std::string bad_footer = good;
  bad_footer.replace(bad_footer.rfind("PST8PDT"), 7, "PST8PDX");
  bad_footer.replace(bad_footer.rfind(",M3.2.0"), 7, ",J60.00");
  CHECK_THAT(refused(bad_footer), Catch::Contains("its footer 'PST8PDX,J60.00,M11.1.0'"));
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
