#include "rule_run.h"

namespace rtw::worksafe::detail {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Hundredths fit in an int64 with room to add thousands of them; longer
// numbers are not amounts any board pays.
constexpr std::size_t kMaxIntegerDigits = 13;

}  // namespace

std::optional<std::string> RuleRun::text(std::string_view path) const {
  auto value = document_.get(path);
  if (!value || value->empty()) {
    return std::nullopt;
  }
  return value;
}

std::optional<Date> RuleRun::date(std::string_view path) const {
  const auto value = text(path);
  return value ? Date::parse(*value) : std::nullopt;
}

std::optional<std::int64_t> RuleRun::hundredths(std::string_view path) const {
  const auto value = text(path);
  const auto parsed = value ? parseHundredths(*value) : std::nullopt;
  // Every amount and count in the schemas is >= 0; a negative one is the
  // XSD's to report, and arithmetic on it would only echo that.
  return parsed && *parsed >= 0 ? parsed : std::nullopt;
}

void RuleRun::add(Problem::Severity severity, std::string_view code, std::string path,
                  std::string message) {
  problems_.push_back(Problem{severity, std::move(path), std::move(message), std::string(code)});
}

std::string item(std::string_view name, std::size_t index, std::string_view field) {
  std::string path = std::string(name) + "[" + std::to_string(index) + "]";
  if (!field.empty()) {
    path += "/" + std::string(field);
  }
  return path;
}

std::string withArticle(std::string_view word) {
  const bool vowel =
      !word.empty() && std::string_view("AEIOUaeiou").find(word.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(word);
}

std::optional<std::int64_t> parseHundredths(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  // Trailing zeros carry no value ("1.500" is 1.5, which xs:decimal allows).
  while (fraction.size() > 2 && fraction.back() == '0') {
    fraction.remove_suffix(1);
  }
  if ((whole.empty() && fraction.empty()) || whole.size() > kMaxIntegerDigits ||
      fraction.size() > 2) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  for (char c : whole) {
    if (!isDigit(c)) {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  for (std::size_t i = 0; i < 2; ++i) {
    const char c = i < fraction.size() ? fraction[i] : '0';
    if (!isDigit(c)) {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

void requireNotBefore(RuleRun& run, const std::string& later, std::string_view earlier) {
  const auto later_date = run.date(later);
  const auto earlier_date = run.date(earlier);
  if (later_date && earlier_date && *later_date < *earlier_date) {
    run.error(problem_code::kDateOrder, later, "must not be before " + std::string(earlier));
  }
}

void requireNotAfter(RuleRun& run, const std::string& path, std::string_view latest) {
  const auto date = run.date(path);
  const auto latest_date = run.date(latest);
  if (date && latest_date && *latest_date < *date) {
    run.error(problem_code::kDateOrder, path, "must not be after " + std::string(latest));
  }
}

}  // namespace rtw::worksafe::detail
