#pragma once
// Board profiles: what differs between WorkSafeBC and WSIB and changes
// without a rebuild (spec §1): programs and their effective dates, fee-code
// tables per program and contract, code lists (discharge statuses,
// decline/hold/withdrawal reasons), the claim-number rule, report deadlines,
// the electronic billing window, the training plan limit and the
// abilities-focused wording. One JSON file per board in conf/boards/.
//
// Loaded once at start-up (strict: an unknown key fails with the file and
// key) and immutable afterwards, so one BoardProfiles serves every thread.

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rtw/regex/pattern.h"
#include "rtw/worksafe/date.h"
#include "rtw/worksafe/document.h"

namespace rtw::worksafe {

/// A period of dates, both ends inclusive; an absent end is open.
struct EffectivePeriod {
  std::optional<Date> from;
  std::optional<Date> until;

  bool contains(Date date) const { return (!from || *from <= date) && (!until || date <= *until); }
};

/// An advisory shown (as a WARNING) for documents of a program dated within
/// its period, e.g. "OR1 is for rural and remote areas only".
struct ProgramNotice {
  EffectivePeriod period;
  std::string message;
};

struct Program {
  std::string code;
  std::string name;
  EffectivePeriod period;
  /// Severity for a document dated after period.until (before period.from is
  /// always an error): OR2 after CRRTW replaced it is only a warning.
  Problem::Severity after_until = Problem::Severity::kError;
  std::string note;                     // appended to the not-in-effect message
  std::vector<DocumentType> documents;  // the document types the program takes
  std::vector<ProgramNotice> notices;
};

struct FeeCode {
  std::string code;
  std::string description;
  bool gst = false;  // GST/HST applies; health services and tuition are exempt
};

/// The fee codes one contract pays under one program during a period.
struct FeeTable {
  std::string program;
  std::string contract;
  EffectivePeriod period;
  std::map<std::string, FeeCode, std::less<>> codes;
};

struct ClaimNumberRule {
  // The whole number must match, e.g. ^[0-9]{8}$ (RE2 syntax: linear time).
  std::optional<regex::Pattern> pattern;
  std::size_t min_length = 1;
  std::size_t max_length = 20;
  std::string description;  // "8 digits", for messages
  // The identifier system FHIR partners send the claim number under (the
  // gateway's own URI: there is no public one); "" when the profile has none.
  // Mappings read it as %claimNumberSystem.
  std::string system;
};

struct Deadline {
  int days = 0;
  bool working_days = true;  // Monday to Friday, without the profile's holidays
  Problem::Severity severity = Problem::Severity::kWarning;
};

/// WorkSafeBC's abilities-focused wording: old word -> the word to use.
struct AbilitiesLanguage {
  Date since;
  std::vector<std::pair<std::string, std::string>> words;
};

class BoardProfile {
 public:
  std::string board;  // "WSBC", "WSIB": header/board
  std::string name;
  std::filesystem::path source;  // the file it came from, for messages
  ClaimNumberRule claim_number;
  std::map<std::string, Program, std::less<>> programs;
  std::string default_contract;  // for invoices that name no contract
  std::vector<FeeTable> fee_tables;
  // Code -> description.
  std::map<std::string, std::string, std::less<>> discharge_statuses;
  std::map<std::string, std::string, std::less<>> decline_reasons;
  std::map<std::string, std::string, std::less<>> hold_reasons;
  std::map<std::string, std::string, std::less<>> withdrawal_reasons;
  std::optional<Deadline> initial_report;            // after the assessment
  std::optional<Deadline> progress_report_interval;  // longest reporting period
  std::optional<Deadline> discharge_report;          // after the discharge
  std::set<Date> holidays;
  std::optional<int> electronic_billing_days;  // WSIB: 31
  std::optional<int> training_plan_max_years;  // WSIB Work Transition: 3
  std::optional<AbilitiesLanguage> abilities_language;

  const Program* program(std::string_view code) const;

  /// The fee tables for a program and contract, whatever their dates.
  std::vector<const FeeTable*> feeTables(std::string_view program, std::string_view contract) const;

  /// The fee code in the table for program + contract in effect on a date.
  const FeeCode* feeCode(std::string_view program, std::string_view contract, std::string_view code,
                         Date on) const;

  /// True when the code is in any table of the program in effect on a date
  /// (Referral services name no contract).
  bool programHasFeeCode(std::string_view program, std::string_view code, Date on) const;

  /// Working days after `from` up to and including `to` (0 when to <= from).
  std::int64_t workingDaysBetween(Date from, Date to) const;

  /// The day count a deadline measures between two dates.
  std::int64_t daysBetween(const Deadline& deadline, Date from, Date to) const;
};

class BoardProfiles {
 public:
  /// Loads every *.json in dir (comments allowed). Throws std::runtime_error
  /// naming the file (and the key, for content errors) on the first problem.
  static std::shared_ptr<const BoardProfiles> load(const std::filesystem::path& dir);

  /// One profile file; throws as load() does.
  static BoardProfile loadFile(const std::filesystem::path& file);

  /// Profiles built in code (tests, tools).
  static std::shared_ptr<const BoardProfiles> of(std::vector<BoardProfile> profiles);

  const BoardProfile* find(std::string_view board) const;
  std::vector<std::string> boards() const;

 private:
  std::map<std::string, BoardProfile, std::less<>> profiles_;
};

}  // namespace rtw::worksafe
