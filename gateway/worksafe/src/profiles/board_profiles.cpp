// BoardProfiles: the set of profiles of one conf/boards directory, and the
// questions the rules ask a profile (fee codes on a date, working days).

#include <algorithm>
#include <stdexcept>

#include "rtw/worksafe/board_profiles.h"

namespace rtw::worksafe {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> profileFiles(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    throw std::runtime_error(dir.string() + ": the board profile directory is missing");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json" && entry.is_regular_file()) {
      files.push_back(entry.path());
    }
  }
  if (files.empty()) {
    throw std::runtime_error(dir.string() + ": no board profile (*.json) in the directory");
  }
  std::sort(files.begin(), files.end());  // the same error first, whatever the file system
  return files;
}

}  // namespace

const Program* BoardProfile::program(std::string_view code) const {
  const auto found = programs.find(code);
  return found != programs.end() ? &found->second : nullptr;
}

std::vector<const FeeTable*> BoardProfile::feeTables(std::string_view program_code,
                                                     std::string_view contract) const {
  std::vector<const FeeTable*> result;
  for (const FeeTable& table : fee_tables) {
    if (table.program == program_code && table.contract == contract) {
      result.push_back(&table);
    }
  }
  return result;
}

const FeeCode* BoardProfile::feeCode(std::string_view program_code, std::string_view contract,
                                     std::string_view code, Date on) const {
  for (const FeeTable* table : feeTables(program_code, contract)) {
    if (!table->period.contains(on)) {
      continue;
    }
    if (const auto found = table->codes.find(code); found != table->codes.end()) {
      return &found->second;
    }
  }
  return nullptr;
}

bool BoardProfile::programHasFeeCode(std::string_view program_code, std::string_view code,
                                     Date on) const {
  return std::any_of(fee_tables.begin(), fee_tables.end(), [&](const FeeTable& table) {
    return table.program == program_code && table.period.contains(on) &&
           table.codes.find(code) != table.codes.end();
  });
}

std::int64_t BoardProfile::workingDaysBetween(Date from, Date to) const {
  if (to <= from) {
    return 0;
  }
  // Whole weeks by arithmetic, so that a document with absurd dates costs
  // no more than one with sensible ones.
  const std::int64_t span = to.days() - from.days();
  std::int64_t count = span / 7 * 5;
  for (Date day = from.plusDays(span / 7 * 7 + 1); day <= to; day = day.plusDays(1)) {
    count += day.weekday() <= 5 ? 1 : 0;
  }
  for (auto it = holidays.upper_bound(from); it != holidays.end() && *it <= to; ++it) {
    count -= it->weekday() <= 5 ? 1 : 0;
  }
  return count;
}

std::int64_t BoardProfile::daysBetween(const Deadline& deadline, Date from, Date to) const {
  if (to <= from) {
    return 0;
  }
  return deadline.working_days ? workingDaysBetween(from, to) : to.days() - from.days();
}

std::shared_ptr<const BoardProfiles> BoardProfiles::load(const fs::path& dir) {
  std::vector<BoardProfile> profiles;
  for (const fs::path& file : profileFiles(dir)) {
    BoardProfile profile = loadFile(file);
    for (const BoardProfile& other : profiles) {
      if (other.board == profile.board) {
        throw std::runtime_error(file.string() + ": 'board' " + profile.board +
                                 " is already defined by " + other.source.string());
      }
    }
    profiles.push_back(std::move(profile));
  }
  return of(std::move(profiles));
}

std::shared_ptr<const BoardProfiles> BoardProfiles::of(std::vector<BoardProfile> profiles) {
  auto result = std::make_shared<BoardProfiles>();
  for (BoardProfile& profile : profiles) {
    std::string board = profile.board;
    result->profiles_.insert_or_assign(std::move(board), std::move(profile));
  }
  return result;
}

const BoardProfile* BoardProfiles::find(std::string_view board) const {
  const auto found = profiles_.find(board);
  return found != profiles_.end() ? &found->second : nullptr;
}

std::vector<std::string> BoardProfiles::boards() const {
  std::vector<std::string> result;
  for (const auto& [board, profile] : profiles_) {
    result.push_back(board);
  }
  return result;
}

}  // namespace rtw::worksafe
