#include "rebase.h"

#include <cctype>

#include "rtw/fhir/resource.h"

namespace rtw::mapping::detail {
namespace {

bool identifierChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

/// Whether `root` appears as a path's first step anywhere after the start
/// of `path` (outside string literals and backquoted names): "A.x | A.y".
bool namesRootAgain(std::string_view path, std::string_view root) {
  char quote = 0;
  for (std::size_t i = root.size(); i < path.size(); ++i) {
    const char c = path[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '\'' || c == '`') {
      quote = c;
      continue;
    }
    if (path.substr(i, root.size()) != root) {
      continue;
    }
    const char before = path[i - 1];
    const std::size_t after = i + root.size();
    const bool whole = !identifierChar(before) && before != '.' &&
                       (after == path.size() || !identifierChar(path[after]));
    if (whole) {
      return true;
    }
  }
  return false;
}

/// `path` onto `through`, or "" with `why` set.
std::string rebased(const std::string& path, std::string_view from, std::string_view through,
                    bool allow_every, std::string& why) {
  const bool starts =
      path.compare(0, from.size(), from) == 0 &&
      (path.size() == from.size() || path[from.size()] == '.' || path[from.size()] == '[');
  if (!starts) {
    why = "'" + path + "' does not start at " + std::string(from);
    return {};
  }
  if (namesRootAgain(path, from)) {
    why = "'" + path + "' names " + std::string(from) +
          " again after its start, which cannot be read through " + std::string(through);
    return {};
  }
  std::string result = std::string(through) + path.substr(from.size());
  if (const std::string problem = fhir::checkPath(result, allow_every); !problem.empty()) {
    why = "'" + result + "' is not FHIRPath the gateway runs: " + problem;
    return {};
  }
  return result;
}

std::string rebaseCondition(Condition& condition, std::string_view from, std::string_view through) {
  if (condition.kind != SourceKind::kFhirPath) {
    return {};
  }
  std::string why;
  condition.path = rebased(condition.path, from, through, false, why);
  return why;
}

std::string rebaseRule(ValueRule& rule, std::string_view from, std::string_view through) {
  std::string why;
  if (rule.kind == SourceKind::kFhirPath && !rule.path.empty()) {
    rule.path = rebased(rule.path, from, through, false, why);
  }
  if (why.empty() && rule.when) {
    why = rebaseCondition(*rule.when, from, through);
  }
  for (auto* parts : {&rule.concat, &rule.first}) {
    if (why.empty()) {
      why = rebaseFhirPaths(*parts, from, through);
    }
  }
  return why;
}

}  // namespace

std::string rebaseFhirPaths(std::vector<ValueRule>& rules, std::string_view from,
                            std::string_view through) {
  for (ValueRule& rule : rules) {
    if (std::string why = rebaseRule(rule, from, through); !why.empty()) {
      return why;
    }
  }
  return {};
}

std::string rebaseFhirPaths(std::vector<RepeatRule>& repeats, std::string_view from,
                            std::string_view through) {
  for (RepeatRule& repeat : repeats) {
    std::string why;
    if (repeat.kind == SourceKind::kFhirPath) {
      repeat.each = rebased(repeat.each, from, through, true, why);
    }
    for (Condition& filter : repeat.filters) {
      if (why.empty()) {
        why = rebaseCondition(filter, from, through);
      }
    }
    if (why.empty()) {
      why = rebaseFhirPaths(repeat.fields, from, through);
    }
    if (!why.empty()) {
      return why;
    }
  }
  return {};
}

}  // namespace rtw::mapping::detail
