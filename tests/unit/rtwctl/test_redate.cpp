// rtwctl hl7 redate: every date of a message moved by one number of days,
// its MSH-7 onto the given day; identifiers that contain a date stay. The
// samples redated for a day far ahead still map and validate on that day,
// so they do not rot.

#include <catch2/catch.hpp>

#include "map_scratch.h"

using namespace rtw::testing;

TEST_CASE("redate moves every date of a message by the same days, MSH-7 onto --today",
          "[rtwctl][redate]") {
  MapScratch scratch;
  const Run run = scratch.rtwctl(
      {"hl7", "redate", "--today", "2031-01-15", kGolden + "lakeshore-msk/dft-invoice.hl7"});
  REQUIRE(run.status == 0);
  // 2025-06-20 → 2031-01-15 is 2,035 days; 2025-06-02 moves by as many.
  CHECK_THAT(run.err, Catch::Contains("dft-invoice.hl7: MSH-7 20250620 -> 20310115, every date "
                                      "moved by 2035 days"));
  CHECK_THAT(run.out, Catch::Contains("|20310115120000-0400||DFT^P03^DFT_P03|LS-20250620-90|"));
  CHECK_THAT(run.out, Catch::Contains("EVN|P03|20310115120000-0400\nPID|"));
  CHECK_THAT(run.out, Catch::Contains("FT1|1|L1|LS-0602-19|20301228||CG|"));
  CHECK_THAT(run.out, Catch::Contains("|19850419|M|"));  // a birth date moves too (1979-09-23)
  CHECK_THAT(run.out, Catch::Contains("1234567897^^^ON^HC"));  // a health number is no date
  CHECK_THAT(run.out, Catch::StartsWith("MSH|^~\\&|ACCURO|"));
}

TEST_CASE("samples redated for 2031-01-15 map and validate as of that day", "[rtwctl][redate]") {
  MapScratch scratch;
  for (const std::string partner : {"harbour-physio", "lakeshore-msk"}) {
    INFO(partner);
    const std::string samples = (scratch.dir() / "samples" / partner).string();
    std::vector<std::string> redate = {"hl7", "redate", "--today", "2031-01-15", "--out", samples};
    std::vector<std::string> map = {"--partner", partner,
                                    "--today",   "2031-01-15",
                                    "--out",     (scratch.dir() / "docs" / partner).string()};
    for (const auto& entry : fs::directory_iterator(kGolden + partner)) {
      if (entry.path().extension() == ".hl7") {
        redate.push_back(entry.path().string());
        map.push_back((fs::path(samples) / entry.path().filename()).string());
      }
    }
    REQUIRE(scratch.rtwctl(redate).status == 0);
    const Run mapped = scratch.map(map);
    CHECK(mapped.status == 0);
    CHECK_THAT(mapped.err, !Catch::Contains("ERROR") && !Catch::Contains("REJECTED"));
    std::vector<std::string> validate = {"validate", "--today", "2031-01-15"};
    for (const auto& entry : fs::directory_iterator(scratch.dir() / "docs" / partner)) {
      validate.push_back(entry.path().string());
    }
    REQUIRE(validate.size() > 3);
    const Run valid = scratch.rtwctl(validate);
    CHECK(valid.status == 0);
    CHECK_THAT(valid.out, !Catch::Contains("ERROR"));
  }
  // Not redated, lakeshore-msk's invoice is outside WSIB's 31-day window then.
  const Run stale = scratch.map({"--partner", "lakeshore-msk", "--today", "2031-01-15",
                                 kGolden + "lakeshore-msk/dft-invoice.hl7"});
  CHECK(stale.status == 1);
  CHECK_THAT(stale.err, Catch::Contains("BILLING_WINDOW") || Catch::Contains("31"));
}
