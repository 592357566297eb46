// FHIRPath's text functions. Positions and lengths count characters
// (UTF-8 code points), not bytes; upper() and lower() change ASCII letters
// only. matches() runs RE2 (the pattern is a literal compiled at load).

#include <algorithm>
#include <charconv>

#include "fhirpath_builtins.h"
#include "rtw/regex/pattern.h"

namespace rtw::fhir::detail::builtins {
namespace {

bool isContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::size_t characters(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    count += isContinuation(c) ? 0 : 1;
  }
  return count;
}

// The byte offset of character `n` (the size when past the end).
std::size_t byteOffset(std::string_view text, std::size_t n) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!isContinuation(text[i])) {
      if (seen == n) {
        return i;
      }
      ++seen;
    }
  }
  return text.size();
}

// The text of a string item (an element holding text, or a computed string).
std::optional<std::string> textOf(const Item& item) {
  if (item.kind == Item::Kind::kString) {
    return item.text;
  }
  if (item.kind == Item::Kind::kNode && item.node != nullptr && item.node->IsString()) {
    return std::string(item.node->GetString(), item.node->GetStringLength());
  }
  return std::nullopt;
}

// The one string a text function reads; nothing when the input is empty.
std::optional<std::string> inputText(Evaluator& e, const Expr& call, const Collection& input) {
  if (input.empty()) {
    return std::nullopt;
  }
  if (input.size() > 1) {
    e.fail(call, call.name + "() reads one string, the input has " + std::to_string(input.size()) +
                     " items");
  }
  auto text = textOf(input.front());
  if (!text) {
    e.fail(call, call.name + "() reads a string, and its input is not one");
  }
  return text;
}

Collection boolean(bool value) { return {Item::ofBoolean(value)}; }

}  // namespace

long long integerArgument(Evaluator& e, const Expr& call, std::size_t n, const Collection& focus) {
  const Collection value = e.argument(call, n, focus);
  long long number = 0;
  if (value.size() == 1) {
    const Item& item = value.front();
    const std::string text =
        item.kind == Item::Kind::kInteger ? item.text : textOf(item).value_or("");
    const auto result = std::from_chars(text.data(), text.data() + text.size(), number);
    if (!text.empty() && result.ec == std::errc() && result.ptr == text.data() + text.size() &&
        (item.kind == Item::Kind::kInteger || e.document().isNumber(item.node))) {
      return number;
    }
  }
  e.fail(call, call.name + "() needs one integer as argument " + std::to_string(n + 1));
}

std::optional<std::string> stringArgument(Evaluator& e, const Expr& call, std::size_t n,
                                          const Collection& focus) {
  const Collection value = e.argument(call, n, focus);
  if (value.empty()) {
    return std::nullopt;
  }
  auto text = value.size() == 1 ? textOf(value.front()) : std::nullopt;
  if (!text) {
    e.fail(call, call.name + "() needs one string as argument " + std::to_string(n + 1));
  }
  return text;
}

Collection startsWith(Evaluator& e, const Expr& call, Collection input, const Collection& focus) {
  const auto text = inputText(e, call, input);
  const auto prefix = stringArgument(e, call, 0, focus);
  if (!text || !prefix) {
    return {};
  }
  return boolean(text->compare(0, prefix->size(), *prefix) == 0);
}

Collection endsWith(Evaluator& e, const Expr& call, Collection input, const Collection& focus) {
  const auto text = inputText(e, call, input);
  const auto suffix = stringArgument(e, call, 0, focus);
  if (!text || !suffix) {
    return {};
  }
  return boolean(text->size() >= suffix->size() &&
                 text->compare(text->size() - suffix->size(), suffix->size(), *suffix) == 0);
}

Collection containsText(Evaluator& e, const Expr& call, Collection input, const Collection& focus) {
  const auto text = inputText(e, call, input);
  const auto part = stringArgument(e, call, 0, focus);
  if (!text || !part) {
    return {};
  }
  return boolean(text->find(*part) != std::string::npos);
}

Collection matches(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  const auto text = inputText(e, call, input);
  if (!text) {
    return {};
  }
  return boolean(call.pattern->search(*text));
}

Collection indexOf(Evaluator& e, const Expr& call, Collection input, const Collection& focus) {
  const auto text = inputText(e, call, input);
  const auto part = stringArgument(e, call, 0, focus);
  if (!text || !part) {
    return {};
  }
  const std::size_t at = text->find(*part);
  const std::string index = at == std::string::npos
                                ? "-1"
                                : std::to_string(characters(std::string_view(*text).substr(0, at)));
  return {Item::computed(Item::Kind::kInteger, index)};
}

Collection substring(Evaluator& e, const Expr& call, Collection input, const Collection& focus) {
  const auto text = inputText(e, call, input);
  const long long start = integerArgument(e, call, 0, focus);
  const long long wanted = call.args.size() > 1 ? integerArgument(e, call, 1, focus) : -1;
  const auto size = static_cast<long long>(text ? characters(*text) : 0);
  if (!text || start < 0 || start >= size) {
    return {};
  }
  const std::size_t from = byteOffset(*text, static_cast<std::size_t>(start));
  const std::size_t to =
      wanted < 0 ? text->size()
                 : byteOffset(*text, static_cast<std::size_t>(std::min(size, start + wanted)));
  return {Item::computed(Item::Kind::kString, text->substr(from, to - from))};
}

Collection length(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  const auto text = inputText(e, call, input);
  return text ? Collection{Item::computed(Item::Kind::kInteger, std::to_string(characters(*text)))}
              : Collection{};
}

Collection upper(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  auto text = inputText(e, call, input);
  if (!text) {
    return {};
  }
  for (char& c : *text) {
    c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return {Item::computed(Item::Kind::kString, std::move(*text))};
}

Collection lower(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  auto text = inputText(e, call, input);
  if (!text) {
    return {};
  }
  for (char& c : *text) {
    c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return {Item::computed(Item::Kind::kString, std::move(*text))};
}

Collection toString(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  if (input.size() > 1) {
    e.fail(call, "toString() converts one item, not " + std::to_string(input.size()));
  }
  if (input.empty() || (input.front().kind == Item::Kind::kNode &&
                        (input.front().node == nullptr || input.front().node->IsObject()))) {
    return {};
  }
  return {Item::computed(Item::Kind::kString, itemText(input.front(), e.document()))};
}

}  // namespace rtw::fhir::detail::builtins
