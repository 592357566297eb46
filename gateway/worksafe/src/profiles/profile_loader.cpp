// Reading one board profile file (conf/boards/<board>.json) into a
// BoardProfile. Every key is known here; anything else fails with the file
// and the key, so that a typo in a fee table cannot silently drop a rule.

#include <stdexcept>

#include "rtw/config/object.h"
#include "rtw/worksafe/board_profiles.h"

namespace rtw::worksafe {
namespace {

namespace fs = std::filesystem;
using JsonObject = config::Object;
using config::JsonValue;

Date date(const JsonObject& object, std::string_view key) {
  const JsonValue* value = object.find(key);
  const std::optional<Date> parsed =
      value != nullptr && value->isString() && value->text.size() == 10 ? Date::parse(value->text)
                                                                        : std::nullopt;
  if (!parsed) {
    object.fail(key, object.has(key) ? "must be a date (YYYY-MM-DD)" : "is required");
  }
  return *parsed;
}

std::optional<Date> optionalDate(const JsonObject& object, std::string_view key) {
  return object.has(key) ? std::optional<Date>(date(object, key)) : std::nullopt;
}

int integer(const JsonObject& object, std::string_view key, int min, int max) {
  return static_cast<int>(object.integer(key, min, max));
}

std::optional<int> optionalInteger(const JsonObject& object, std::string_view key, int min,
                                   int max) {
  return object.has(key) ? std::optional<int>(integer(object, key, min, max)) : std::nullopt;
}

std::string indexPath(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index + 1) + "]";
}

Problem::Severity severity(const JsonObject& object, std::string_view key,
                           Problem::Severity fallback) {
  const auto text = object.optionalString(key);
  if (!text) {
    return fallback;
  }
  if (*text != "error" && *text != "warning") {
    object.fail(key, "must be \"error\" or \"warning\"");
  }
  return *text == "error" ? Problem::Severity::kError : Problem::Severity::kWarning;
}

EffectivePeriod period(const JsonObject& object) {
  EffectivePeriod result{optionalDate(object, "from"), optionalDate(object, "until")};
  if (result.from && result.until && *result.until < *result.from) {
    object.fail("until", "is before 'from'");
  }
  return result;
}

ClaimNumberRule claimNumberRule(const JsonObject& profile) {
  const JsonObject rule = profile.object(
      "claim_number", {"pattern", "min_length", "max_length", "description", "system"});
  ClaimNumberRule result;
  try {
    result.pattern.emplace(rule.string("pattern"));
  } catch (const regex::PatternError& error) {
    rule.fail("pattern", std::string("is not a valid regular expression: ") + error.what());
  }
  result.min_length = static_cast<std::size_t>(integer(rule, "min_length", 1, 64));
  result.max_length = static_cast<std::size_t>(integer(rule, "max_length", 1, 64));
  if (result.max_length < result.min_length) {
    rule.fail("max_length", "is below 'min_length'");
  }
  result.description = rule.string("description");
  // Claim numbers have no public identifier system: FHIR partners send them
  // under the gateway's own URI for the board (spec §2).
  if (const auto system = rule.optionalString("system")) {
    if (system->rfind("https://", 0) != 0 && system->rfind("http://", 0) != 0 &&
        system->rfind("urn:", 0) != 0) {
      rule.fail("system", "must be an absolute URI (http://, https:// or urn:)");
    }
    if (system->find_first_of(" \t\r\n") != std::string::npos) {
      rule.fail("system", "must be a URI without spaces");
    }
    result.system = *system;
  }
  return result;
}

std::vector<DocumentType> documentTypes(const JsonObject& program) {
  std::vector<DocumentType> result;
  for (const std::string& name : program.strings("documents")) {
    const auto type = documentTypeFromName(name);
    if (!type) {
      program.fail("documents", "names an unknown document type '" + name +
                                    "' (referral, report, invoice, training-report)");
    }
    result.push_back(*type);
  }
  if (result.empty()) {
    program.fail("documents", "must name at least one document type");
  }
  return result;
}

Program program(const std::string& code, const JsonValue& value, const JsonObject& parent) {
  const JsonObject object(value, parent.keyPath("programs") + "." + code, parent.file(),
                          {"name", "from", "until", "after_until", "note", "documents", "notices"});
  Program result;
  result.code = code;
  result.name = object.string("name");
  result.period = period(object);
  result.after_until = severity(object, "after_until", Problem::Severity::kError);
  result.note = object.optionalString("note").value_or("");
  result.documents = documentTypes(object);
  const auto notices = object.array("notices");
  for (std::size_t i = 0; i < notices.size(); ++i) {
    const JsonObject notice(*notices[i], indexPath(object.keyPath("notices"), i), parent.file(),
                            {"from", "until", "message"});
    result.notices.push_back({period(notice), notice.string("message")});
  }
  return result;
}

FeeTable feeTable(const JsonValue& value, std::size_t index, const JsonObject& parent,
                  const BoardProfile& profile) {
  const JsonObject object(value, indexPath("fee_tables", index), parent.file(),
                          {"program", "contract", "from", "until", "codes"});
  FeeTable table;
  table.program = object.string("program");
  if (profile.program(table.program) == nullptr) {
    object.fail("program", "names a program that is not in 'programs'");
  }
  table.contract = object.string("contract");
  table.period = period(object);
  for (const auto& [code, entry] : object.entries("codes")) {
    const JsonObject fee(*entry, object.keyPath("codes") + "." + code, parent.file(),
                         {"description", "gst"});
    table.codes.emplace(code, FeeCode{code, fee.string("description"), fee.boolean("gst", false)});
  }
  if (table.codes.empty()) {
    object.fail("codes", "must hold at least one fee code");
  }
  return table;
}

std::map<std::string, std::string, std::less<>> codeList(const JsonObject& profile,
                                                         std::string_view key) {
  std::map<std::string, std::string, std::less<>> result;
  for (const auto& [code, description] : profile.entries(key)) {
    if (!description->isString() || description->text.empty()) {
      profile.failEntry(key, code, "must be a description (a non-empty string)");
    }
    result.emplace(code, description->text);
  }
  return result;
}

std::optional<Deadline> deadline(const JsonObject& deadlines, std::string_view key) {
  if (!deadlines.has(key)) {
    return std::nullopt;
  }
  const JsonObject object = deadlines.object(key, {"days", "working_days", "severity"});
  return Deadline{integer(object, "days", 1, 3650), object.boolean("working_days", true),
                  severity(object, "severity", Problem::Severity::kWarning)};
}

void readDeadlines(const JsonObject& profile, BoardProfile& result) {
  if (!profile.has("deadlines")) {
    return;
  }
  const JsonObject deadlines = profile.object(
      "deadlines", {"initial_report", "progress_report_interval", "discharge_report"});
  result.initial_report = deadline(deadlines, "initial_report");
  result.progress_report_interval = deadline(deadlines, "progress_report_interval");
  result.discharge_report = deadline(deadlines, "discharge_report");
}

std::optional<AbilitiesLanguage> abilitiesLanguage(const JsonObject& profile) {
  if (!profile.has("abilities_language")) {
    return std::nullopt;
  }
  const JsonObject object = profile.object("abilities_language", {"since", "words"});
  AbilitiesLanguage result{date(object, "since"), {}};
  for (const auto& [word, replacement] : object.entries("words")) {
    if (!replacement->isString() || replacement->text.empty()) {
      object.failEntry("words", word, "must be the word to use instead (a non-empty string)");
    }
    result.words.emplace_back(word, replacement->text);
  }
  return result;
}

void readPrograms(const JsonObject& profile, BoardProfile& result) {
  for (const auto& [code, value] : profile.entries("programs")) {
    result.programs.emplace(code, program(code, *value, profile));
  }
  if (result.programs.empty()) {
    profile.fail("programs", "must hold at least one program");
  }
  const auto tables = profile.array("fee_tables");
  for (std::size_t i = 0; i < tables.size(); ++i) {
    result.fee_tables.push_back(feeTable(*tables[i], i, profile, result));
  }
}

void readHolidays(const JsonObject& profile, BoardProfile& result) {
  for (const std::string& text : profile.strings("holidays")) {
    const auto date = text.size() == 10 ? Date::parse(text) : std::nullopt;
    if (!date) {
      profile.fail("holidays", "must hold dates (YYYY-MM-DD)");
    }
    result.holidays.insert(*date);
  }
}

}  // namespace

BoardProfile BoardProfiles::loadFile(const fs::path& file) {
  const JsonValue json = config::readJsonFile(file);
  const JsonObject profile(
      json, "", file.string(),
      {"board", "name", "claim_number", "programs", "default_contract", "fee_tables",
       "discharge_statuses", "decline_reasons", "hold_reasons", "withdrawal_reasons", "deadlines",
       "holidays", "electronic_billing_days", "training_plan_max_years", "abilities_language"});
  BoardProfile result;
  result.source = file;
  result.board = profile.string("board");
  result.name = profile.string("name");
  result.claim_number = claimNumberRule(profile);
  readPrograms(profile, result);
  result.default_contract = profile.string("default_contract");
  result.discharge_statuses = codeList(profile, "discharge_statuses");
  result.decline_reasons = codeList(profile, "decline_reasons");
  result.hold_reasons = codeList(profile, "hold_reasons");
  result.withdrawal_reasons = codeList(profile, "withdrawal_reasons");
  readDeadlines(profile, result);
  readHolidays(profile, result);
  result.electronic_billing_days = optionalInteger(profile, "electronic_billing_days", 1, 3650);
  result.training_plan_max_years = optionalInteger(profile, "training_plan_max_years", 1, 20);
  result.abilities_language = abilitiesLanguage(profile);
  return result;
}

}  // namespace rtw::worksafe
