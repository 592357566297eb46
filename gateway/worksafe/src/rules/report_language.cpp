// WorkSafeBC's abilities-focused wording (spec §2 LANGUAGE): from the
// profile's date on, report text should speak of "considerations" and
// "factors", not "limitations" and "barriers". The old words are a warning:
// the report is still valid and still goes to the board.

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "rule_run.h"

namespace rtw::worksafe::detail {
namespace {

using Element = SchemaModel::Element;

// Parts of a report that are not narrative: names, identifiers and the PDF.
// A worker called Barrier is not old wording.
constexpr std::array<std::string_view, 5> kNotNarrative = {"header", "worker", "clinician",
                                                           "copyTo", "attachment"};

bool isNarrative(std::string_view top_level_name) {
  return std::find(kNotNarrative.begin(), kNotNarrative.end(), top_level_name) ==
         kNotNarrative.end();
}

std::string lowered(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

bool isWordChar(unsigned char c) { return std::isalpha(c) != 0 || c >= 0x80; }

// The distinct words of a text, lower case. Bytes of non-ASCII letters count
// as word characters, so "limitationsé" is not "limitations".
std::set<std::string> wordsOf(std::string_view text) {
  std::set<std::string> words;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && !isWordChar(static_cast<unsigned char>(text[pos]))) {
      ++pos;
    }
    const std::size_t start = pos;
    while (pos < text.size() && isWordChar(static_cast<unsigned char>(text[pos]))) {
      ++pos;
    }
    if (pos > start) {
      words.insert(lowered(text.substr(start, pos - start)));
    }
  }
  return words;
}

void checkText(RuleRun& run, const std::string& path, std::string_view text,
               const AbilitiesLanguage& language) {
  const std::set<std::string> words = wordsOf(text);
  for (const auto& [old_word, new_word] : language.words) {
    if (words.count(lowered(old_word)) != 0) {
      run.warning(
          problem_code::kAbilitiesLanguage, path,
          "use abilities-focused wording: '" + new_word + "' instead of '" + old_word + "'");
    }
  }
}

// Every leaf below a node, with its path as Document spells it.
void scan(RuleRun& run, const Document::Node& node, const Element& model, const std::string& path,
          const AbilitiesLanguage& language) {
  std::map<std::string, std::size_t, std::less<>> seen;
  for (const Document::Node& child : node.children) {
    const auto found = std::find_if(model.children.begin(), model.children.end(),
                                    [&](const Element& e) { return e.name == child.name; });
    if (found == model.children.end() || (path.empty() && !isNarrative(child.name))) {
      continue;
    }
    const std::size_t index = ++seen[child.name];
    const std::string step = found->max_occurs != 1 ? item(child.name, index) : child.name;
    const std::string child_path = path.empty() ? step : path + "/" + step;
    if (found->children.empty()) {
      checkText(run, child_path, child.value, language);
    } else {
      scan(run, child, *found, child_path, language);
    }
  }
}

}  // namespace

void checkAbilitiesLanguage(RuleRun& run) {
  const auto& language = run.profile().abilities_language;
  const auto reported = run.date("reportDate");
  if (!language || (reported && *reported < language->since)) {
    return;
  }
  scan(run, run.document().root(), run.model().root, "", *language);
}

}  // namespace rtw::worksafe::detail
