#pragma once
// What the mapping targets share: a walk over a mapping
// file's JSON for the rules that compile a regular expression.

#include <cstddef>
#include <string_view>

#include "json_tree.h"
#include "schema_support.h"

namespace rtw::fuzz {

/// Until the mapping engine's regular expressions are RE2 (linear, no
/// recursion), std::regex overflows the stack on long values and deep
/// patterns, a known defect being replaced. While this is true the loader
/// target leaves out mapping files with "extract" or "matches" rules, and
/// the evaluation target runs mappings with such rules only on messages of
/// at most kStdRegexSafeBytes: the partners' patterns overflow the 8 MiB
/// stack under ASan from about 25 KB of value on ("^([^:]+):").
inline constexpr bool kStdRegexInMappings = true;
inline constexpr std::size_t kStdRegexSafeBytes = 8192;

inline bool hasRegexRule(const mapping::detail::JsonValue& value) {
  for (const auto& [key, member] : value.members) {
    if (key == "extract" || key == "matches" || hasRegexRule(member)) {
      return true;
    }
  }
  for (const auto& item : value.items) {
    if (hasRegexRule(item)) {
      return true;
    }
  }
  return false;
}

/// True when `text` is a JSON text with a regex rule anywhere (or not JSON
/// the loader will take: it fails before compiling any pattern).
inline bool mappingHasRegexRule(std::string_view text) {
  mapping::detail::JsonValue root;
  mapping::detail::JsonSyntaxError error;
  return mapping::detail::parseJson(text, root, error) && hasRegexRule(root);
}

}  // namespace rtw::fuzz
