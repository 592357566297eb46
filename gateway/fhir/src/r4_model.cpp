#include "r4_model.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "r4_elements.h"

namespace rtw::fhir::detail {
namespace {

using Kind = R4Element::Kind;
using Value = R4Element::Value;

// One "*name=kind" token of a type line; a complex type's name is resolved
// once every type exists (`type_name`).
R4Element readToken(std::string_view token, std::string_view& type_name) {
  R4Element element;
  if (!token.empty() && token.front() == '*') {
    element.repeats = true;
    token.remove_prefix(1);
  }
  if (!token.empty() && token.front() == '@') {
    element.attribute = true;
    token.remove_prefix(1);
  }
  const std::size_t equals = token.find('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 == token.size()) {
    throw std::logic_error("r4_elements.cpp: malformed element '" + std::string(token) + "'");
  }
  element.name = token.substr(0, equals);
  const std::string_view kind = token.substr(equals + 1);
  type_name = {};
  if (kind.size() > 1) {
    element.kind = Kind::kComplex;
    type_name = kind;
    return element;
  }
  switch (kind.front()) {
    case 's':
      break;
    case 'b':
      element.value = Value::kBoolean;
      break;
    case 'i':
      element.value = Value::kInteger;
      break;
    case 'd':
      element.value = Value::kDecimal;
      break;
    case 'x':
      element.kind = Kind::kXhtml;
      break;
    case 'r':
      element.kind = Kind::kResource;
      break;
    default:
      throw std::logic_error("r4_elements.cpp: unknown kind of '" + std::string(token) + "'");
  }
  return element;
}

bool lessByName(const R4Element* a, const R4Element* b) { return a->name < b->name; }

std::size_t skipDigits(std::string_view text, std::size_t at) {
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
    ++at;
  }
  return at;
}

// Where the integer part of a JSON number ends, or npos when there is none.
std::size_t integerEnd(std::string_view text) {
  std::size_t at = !text.empty() && text.front() == '-' ? 1 : 0;
  if (at >= text.size() || text[at] < '0' || text[at] > '9') {
    return std::string_view::npos;
  }
  return text[at] == '0' ? at + 1 : skipDigits(text, at);
}

}  // namespace

const R4Element* R4Type::element(std::string_view element_name) const {
  const auto found = std::lower_bound(
      by_name_.begin(), by_name_.end(), element_name,
      [](const R4Element* element, std::string_view key) { return element->name < key; });
  return found != by_name_.end() && (*found)->name == element_name ? *found : nullptr;
}

R4Model::R4Model() {
  std::vector<R4TypeLine> lines(r4TypeLines().begin(), r4TypeLines().end());
  std::sort(lines.begin(), lines.end(),
            [](const R4TypeLine& a, const R4TypeLine& b) { return a.name < b.name; });
  // Every type first, in that order (so that type() finds them), then their
  // elements: no reallocation afterwards, as elements point at types.
  types_.resize(lines.size());
  for (std::size_t t = 0; t < lines.size(); ++t) {
    types_[t].name = lines[t].name;
    types_[t].resource = lines[t].resource;
  }
  for (std::size_t t = 0; t < lines.size(); ++t) {
    readElements(lines[t].elements, types_[t]);
  }
  element_ = type("Element");
  if (element_ == nullptr) {
    throw std::logic_error("r4_elements.cpp: no Element type");
  }
}

void R4Model::readElements(std::string_view line, R4Type& type) const {
  while (!line.empty()) {
    const std::size_t space = line.find(' ');
    std::string_view type_name;
    R4Element element = readToken(line.substr(0, space), type_name);
    element.order = type.elements.size();
    if (element.kind == Kind::kComplex) {
      element.type = this->type(type_name);
      if (element.type == nullptr) {
        throw std::logic_error("r4_elements.cpp: " + std::string(type.name) + "." +
                               std::string(element.name) + " names no type");
      }
    }
    type.elements.push_back(element);
    line = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
  }
  for (const R4Element& element : type.elements) {
    type.by_name_.push_back(&element);
  }
  std::sort(type.by_name_.begin(), type.by_name_.end(), lessByName);
}

const R4Type* R4Model::type(std::string_view name) const {
  const auto found =
      std::lower_bound(types_.begin(), types_.end(), name,
                       [](const R4Type& type, std::string_view key) { return type.name < key; });
  return found != types_.end() && found->name == name ? &*found : nullptr;
}

const R4Type* R4Model::resource(std::string_view type_name) const {
  const R4Type* found = type(type_name);
  return found != nullptr && found->resource ? found : nullptr;
}

const R4Model& r4Model() {
  static const R4Model model;
  return model;
}

bool isJsonInteger(std::string_view text) { return integerEnd(text) == text.size(); }

bool isJsonDecimal(std::string_view text) {
  std::size_t at = integerEnd(text);
  if (at == std::string_view::npos) {
    return false;
  }
  if (at < text.size() && text[at] == '.') {
    const std::size_t digits = at + 1;
    at = skipDigits(text, digits);
    if (at == digits) {
      return false;
    }
  }
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
      ++at;
    }
    const std::size_t digits = at;
    at = skipDigits(text, at);
    if (at == digits) {
      return false;
    }
  }
  return at == text.size();
}

}  // namespace rtw::fhir::detail
