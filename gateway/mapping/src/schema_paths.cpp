#include "schema_paths.h"

#include <algorithm>

namespace rtw::mapping::detail {
namespace {

std::string_view withoutIndex(std::string_view step) {
  const auto bracket = step.find('[');
  return bracket == std::string_view::npos ? step : step.substr(0, bracket);
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Digits from `at` on; returns how many.
std::size_t digitsFrom(std::string_view text, std::size_t at) {
  std::size_t n = 0;
  while (at + n < text.size() && isDigit(text[at + n])) {
    ++n;
  }
  return n;
}

// -?[0-9]+(\.[0-9]+)?
bool isDecimal(std::string_view text) {
  std::size_t at = !text.empty() && text.front() == '-' ? 1 : 0;
  const std::size_t whole = digitsFrom(text, at);
  if (whole == 0) {
    return false;
  }
  at += whole;
  if (at == text.size()) {
    return true;
  }
  return text[at] == '.' && digitsFrom(text, at + 1) > 0 &&
         at + 1 + digitsFrom(text, at + 1) == text.size();
}

// [0-9]{4}-[0-9]{2}-[0-9]{2}
bool isIsoDateShape(std::string_view text) {
  return text.size() == 10 && digitsFrom(text, 0) == 4 && text[4] == '-' &&
         digitsFrom(text, 5) == 2 && text[7] == '-' && digitsFrom(text, 8) == 2;
}

}  // namespace

const Element* findElement(const Element& from, std::string_view path, std::string& missing) {
  const Element* at = &from;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view step = withoutIndex(path.substr(0, slash));
    const auto child = std::find_if(at->children.begin(), at->children.end(),
                                    [&](const Element& e) { return e.name == step; });
    if (child == at->children.end()) {
      missing = std::string(step);
      return nullptr;
    }
    at = &*child;
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return at;
}

bool isDateType(const Element& leaf) {
  return leaf.value_type == "date" || leaf.value_type == "dateTime";
}

bool isNumberType(const Element& leaf) {
  return leaf.value_type == "decimal" || leaf.value_type == "integer" ||
         leaf.value_type == "positiveInteger" || leaf.value_type == "nonNegativeInteger";
}

std::string valueMismatch(const Element& leaf, std::string_view value) {
  if (!leaf.enumeration.empty() && std::find(leaf.enumeration.begin(), leaf.enumeration.end(),
                                             value) == leaf.enumeration.end()) {
    std::string allowed;
    for (const auto& code : leaf.enumeration) {
      allowed += (allowed.empty() ? "" : ", ") + code;
    }
    return "'" + std::string(value) + "' is not one of the values of " + leaf.name + " (" +
           allowed + ")";
  }
  const std::string text(value);
  if (isNumberType(leaf) && !isDecimal(text)) {
    return "'" + text + "' is not a number (" + leaf.name + " is xs:" + leaf.value_type + ")";
  }
  if (leaf.value_type == "date" && !isIsoDateShape(text)) {
    return "'" + text + "' is not a date YYYY-MM-DD (" + leaf.name + " is xs:date)";
  }
  return {};
}

}  // namespace rtw::mapping::detail
