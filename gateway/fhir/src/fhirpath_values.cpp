#include "fhirpath_values.h"

#include <cctype>
#include <charconv>

namespace rtw::fhir::detail {
namespace {

enum class Shape { kNone, kObject, kBoolean, kNumber, kString, kMoment, kTime };

// What an item is for comparing.
struct View {
  Shape shape = Shape::kNone;
  std::string_view text;
  bool boolean = false;
};

bool isAny(std::string_view type, std::initializer_list<std::string_view> names) {
  for (const std::string_view name : names) {
    if (type == name) {
      return true;
    }
  }
  return false;
}

View view(const Item& item, const JsonDocument& document) {
  View v;
  switch (item.kind) {
    case Item::Kind::kBoolean:
      return {Shape::kBoolean, {}, item.boolean};
    case Item::Kind::kInteger:
    case Item::Kind::kDecimal:
      return {Shape::kNumber, item.text, false};
    case Item::Kind::kString:
      return {Shape::kString, item.text, false};
    case Item::Kind::kDate:
    case Item::Kind::kDateTime:
      return {Shape::kMoment, item.text, false};
    case Item::Kind::kTime:
      return {Shape::kTime, item.text, false};
    case Item::Kind::kNode:
      break;
  }
  if (item.node == nullptr) {
    return v;
  }
  if (item.node->IsBool()) {
    v.shape = Shape::kBoolean;
    v.boolean = item.node->GetBool();
    return v;
  }
  if (item.node->IsObject()) {
    v.shape = Shape::kObject;
    return v;
  }
  if (!item.node->IsString()) {
    return v;
  }
  v.text = {item.node->GetString(), item.node->GetStringLength()};
  if (document.isNumber(item.node) ||
      isAny(item.type, {"integer", "decimal", "positiveInt", "unsignedInt", "integer64"})) {
    v.shape = Shape::kNumber;
  } else if (isAny(item.type, {"date", "dateTime", "instant"})) {
    v.shape = Shape::kMoment;
  } else if (item.type == "time") {
    v.shape = Shape::kTime;
  } else {
    v.shape = Shape::kString;
  }
  return v;
}

std::optional<Moment> momentOf(const View& v) {
  return parseMoment(v.text, v.shape == Shape::kTime);
}

std::optional<int> compareNumbers(std::string_view a, std::string_view b) {
  const auto left = parseNumber(a);
  const auto right = parseNumber(b);
  if (!left || !right) {
    return std::nullopt;
  }
  return *left < *right ? -1 : (*left > *right ? 1 : 0);
}

bool isMomentShape(Shape shape) { return shape == Shape::kMoment || shape == Shape::kTime; }

// Dates against dates, or a date against a string that holds one.
std::optional<int> compareAsMoments(const View& a, const View& b) {
  const auto left = isMomentShape(a.shape) ? momentOf(a) : parseMoment(a.text);
  const auto right = isMomentShape(b.shape) ? momentOf(b) : parseMoment(b.text);
  if (!left || !right) {
    return std::nullopt;
  }
  return compareMoments(*left, *right);
}

bool jsonEqual(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.GetType() != b.GetType()) {
    return false;
  }
  if (a.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) {
      return false;
    }
    for (const auto& member : a.GetObject()) {
      const auto other = b.FindMember(member.name);
      if (other == b.MemberEnd() || !jsonEqual(member.value, other->value)) {
        return false;
      }
    }
    return true;
  }
  if (a.IsArray()) {
    if (a.Size() != b.Size()) {
      return false;
    }
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!jsonEqual(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
  return a == b;
}

}  // namespace

std::optional<long double> parseNumber(std::string_view text) {
  // JSON's number form, which holds FHIR's integer and decimal.
  std::size_t pos = 0;
  if (pos < text.size() && text[pos] == '-') {
    ++pos;
  }
  const std::size_t digits = pos;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
    ++pos;
  }
  if (pos == digits) {
    return std::nullopt;
  }
  if (pos < text.size() && text[pos] == '.') {
    const std::size_t fraction = ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      ++pos;
    }
    if (pos == fraction) {
      return std::nullopt;
    }
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      ++pos;
    }
    const std::size_t exponent = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      ++pos;
    }
    if (pos == exponent) {
      return std::nullopt;
    }
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  long double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc()) {
    return std::nullopt;
  }
  return value;
}

std::optional<int> compareItems(const Item& left, const Item& right, const JsonDocument& document) {
  const View a = view(left, document);
  const View b = view(right, document);
  if (a.shape == Shape::kNumber || b.shape == Shape::kNumber) {
    // Numbers only with numbers: the identifier "0012" is no 12.
    return a.shape == b.shape ? compareNumbers(a.text, b.text) : std::nullopt;
  }
  if (isMomentShape(a.shape) || isMomentShape(b.shape)) {
    const bool comparable = (isMomentShape(a.shape) || a.shape == Shape::kString) &&
                            (isMomentShape(b.shape) || b.shape == Shape::kString);
    return comparable ? compareAsMoments(a, b) : std::nullopt;
  }
  if (a.shape == Shape::kString && b.shape == Shape::kString) {
    // Two texts that both hold dates (period.start < period.end) compare as dates.
    if (parseMoment(a.text) && parseMoment(b.text)) {
      return compareAsMoments(a, b);
    }
    const int c = a.text.compare(b.text);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return std::nullopt;
}

std::optional<bool> equalItems(const Item& left, const Item& right, const JsonDocument& document) {
  const View a = view(left, document);
  const View b = view(right, document);
  if (a.shape == Shape::kNone || b.shape == Shape::kNone) {
    return false;
  }
  if (a.shape == Shape::kObject || b.shape == Shape::kObject) {
    return a.shape == b.shape && jsonEqual(*left.node, *right.node);
  }
  if (a.shape == Shape::kBoolean || b.shape == Shape::kBoolean) {
    return a.shape == b.shape && a.boolean == b.boolean;
  }
  if (a.shape == Shape::kNumber || b.shape == Shape::kNumber) {
    const auto c = compareItems(left, right, document);
    return c.has_value() && *c == 0;
  }
  if (isMomentShape(a.shape) || isMomentShape(b.shape)) {
    const auto c = compareAsMoments(a, b);
    if (!c) {
      // Unknown when both are dates of another precision; a text that is
      // no date at all is simply not equal.
      const bool both_moments = (isMomentShape(a.shape) || parseMoment(a.text)) &&
                                (isMomentShape(b.shape) || parseMoment(b.text));
      return both_moments ? std::nullopt : std::optional<bool>(false);
    }
    return *c == 0;
  }
  return a.text == b.text;
}

std::optional<bool> itemBoolean(const Item& item) {
  if (item.kind == Item::Kind::kBoolean) {
    return item.boolean;
  }
  if (item.kind == Item::Kind::kNode && item.node != nullptr && item.node->IsBool()) {
    return item.node->GetBool();
  }
  return std::nullopt;
}

}  // namespace rtw::fhir::detail
