// The board-profile loader (conf/boards/*.json) on a file an engineer
// wrote, then the board rules run with the profile that loaded on the
// example documents of tests/data/worksafe. Problems must be
// std::runtime_error naming the file.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "rtw/worksafe/board_profiles.h"
#include "rtw/worksafe/rules.h"
#include "schema_support.h"

namespace {

namespace fs = std::filesystem;
using rtw::worksafe::Date;

const std::vector<rtw::worksafe::Document>& examples() {
  static const auto documents = [] {
    std::vector<rtw::worksafe::Document> read;
    for (const char* name : {"referral-wsbc-crrtw.xml", "invoice-wsib-msk.xml",
                             "report-progress-wsbc.xml", "training-report-progress.xml"}) {
      std::ifstream in(rtw::fuzz::sourceDir() / "tests/data/worksafe" / name, std::ios::binary);
      const std::string xml{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      read.push_back(rtw::fuzz::schemas().read(xml));
    }
    return read;
  }();
  return documents;
}

void useProfile(const rtw::worksafe::BoardProfile& profile) {
  const Date from = *Date::parse("2024-12-20");
  const Date to = *Date::parse("2025-01-10");
  RTW_FUZZ_CHECK(profile.workingDaysBetween(to, from) == 0);
  RTW_FUZZ_CHECK(profile.workingDaysBetween(from, to) <= 21);
  for (const auto& deadline :
       {profile.initial_report, profile.progress_report_interval, profile.discharge_report}) {
    if (deadline) {
      (void)profile.daysBetween(*deadline, from, to);
    }
  }
  RTW_FUZZ_CHECK(profile.claim_number.pattern.has_value());  // a profile without one fails to load
  (void)profile.claim_number.pattern->fullMatch("12345678");
  for (const auto& [code, program] : profile.programs) {
    RTW_FUZZ_CHECK(profile.program(code) == &program);
    (void)profile.programHasFeeCode(code, "100", from);
  }
  for (const auto& document : examples()) {
    (void)rtw::worksafe::checkBoardRules(document, *rtw::fuzz::schemas().model(document.type()),
                                         profile, to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fs::path file = rtw::fuzz::scratchDir() / "board.json";
  rtw::fuzz::writeFile(file, rtw::fuzz::asText(data, size));
  try {
    useProfile(rtw::worksafe::BoardProfiles::loadFile(file));
  } catch (const std::runtime_error& error) {
    RTW_FUZZ_CHECK(std::string(error.what()).find(file.string()) != std::string::npos);
  }
  return 0;
}
