#include "element_path.h"

#include <charconv>

namespace rtw::worksafe::detail {
namespace {

bool isNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

std::optional<PathStep> parseStep(std::string_view text) {
  PathStep step;
  std::string_view name = text;
  if (const auto open = text.find('['); open != std::string_view::npos) {
    if (text.back() != ']') {
      return std::nullopt;
    }
    const std::string_view digits = text.substr(open + 1, text.size() - open - 2);
    const auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), step.index);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
        step.index == 0) {
      return std::nullopt;
    }
    step.indexed = true;
    name = text.substr(0, open);
  }
  if (name.empty() || !isNameStart(name.front())) {
    return std::nullopt;
  }
  for (char c : name) {
    if (!isNameChar(c)) {
      return std::nullopt;
    }
  }
  step.name = name;
  return step;
}

}  // namespace

std::optional<std::vector<PathStep>> parseElementPath(std::string_view path) {
  std::vector<PathStep> steps;
  steps.reserve(4);
  if (path.empty()) {
    return std::nullopt;
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    const std::string_view text =
        path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    auto step = parseStep(text);
    if (!step) {
      return std::nullopt;
    }
    steps.push_back(*step);
    if (slash == std::string_view::npos) {
      return steps;
    }
    start = slash + 1;
  }
}

std::string stepText(std::string_view name, std::size_t index, bool indexed) {
  std::string text(name);
  if (indexed) {
    text += "[" + std::to_string(index) + "]";
  }
  return text;
}

}  // namespace rtw::worksafe::detail
