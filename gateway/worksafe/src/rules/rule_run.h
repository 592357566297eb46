#pragma once
// What every board rule works with: the document, its schema model, the
// board's profile, "today", and the problems found so far. Values that are
// missing or do not parse are skipped here: the XSD has reported them, and a
// second message about the same field would only add noise.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/worksafe/board_profiles.h"
#include "rtw/worksafe/rules.h"

namespace rtw::worksafe::detail {

class RuleRun {
 public:
  RuleRun(const Document& document, const SchemaModel& model, const BoardProfile& profile,
          Date today)
      : document_(document), model_(model), profile_(profile), today_(today) {}

  const Document& document() const { return document_; }
  const SchemaModel& model() const { return model_; }
  const BoardProfile& profile() const { return profile_; }
  Date today() const { return today_; }

  // A leaf's value when present and not empty.
  std::optional<std::string> text(std::string_view path) const;
  // Whether an element (leaf or not) is present.
  bool has(std::string_view path) const { return document_.count(path) > 0; }
  std::size_t count(std::string_view path) const { return document_.count(path); }
  std::optional<Date> date(std::string_view path) const;
  // A non-negative decimal with at most two decimals, in hundredths (cents
  // for money).
  std::optional<std::int64_t> hundredths(std::string_view path) const;

  void add(Problem::Severity severity, std::string_view code, std::string path,
           std::string message);
  void error(std::string_view code, std::string path, std::string message) {
    add(Problem::Severity::kError, code, std::move(path), std::move(message));
  }
  void warning(std::string_view code, std::string path, std::string message) {
    add(Problem::Severity::kWarning, code, std::move(path), std::move(message));
  }

  std::vector<Problem> take() { return std::move(problems_); }

 private:
  const Document& document_;
  const SchemaModel& model_;
  const BoardProfile& profile_;
  Date today_;
  std::vector<Problem> problems_;
};

// "line[2]/feeCode": the path of a field of the index-th (1-based) repeat.
std::string item(std::string_view name, std::size_t index, std::string_view field = {});

// "a DISCHARGE report", "an INITIAL report": the article English wants.
std::string withArticle(std::string_view word);

// A decimal text ("12", "12.5", "12.50", "+0.5", "1.") in hundredths;
// nullopt when it is not a decimal or has a third non-zero decimal.
std::optional<std::int64_t> parseHundredths(std::string_view text);

// DATE_ORDER: `later` must not be before `earlier` (when both are dates).
void requireNotBefore(RuleRun& run, const std::string& later, std::string_view earlier);
// DATE_ORDER: `path` must not be after `latest`.
void requireNotAfter(RuleRun& run, const std::string& path, std::string_view latest);

// The shared rules, each applied wherever its field appears.
void checkHeader(RuleRun& run, std::string_view document_date_path);
void checkHealthNumber(RuleRun& run, std::string_view prefix);  // "worker/healthNumber"
void checkPostalCode(RuleRun& run, const std::string& path);

// One entry per document type.
void checkReferral(RuleRun& run);
void checkReport(RuleRun& run);
void checkAbilitiesLanguage(RuleRun& run);
void checkInvoice(RuleRun& run);
void checkInvoiceMoney(RuleRun& run);
void checkTrainingReport(RuleRun& run);

}  // namespace rtw::worksafe::detail
