// The composite data type readers. Positions follow HL7 v2.5; earlier
// versions put the same things in the same places for the parts read here
// (later ones only add components at the end).

#include "rtw/hl7v2/datatypes.h"

#include <utility>

#include "er7.h"
#include "path_spec.h"
#include "typed_value.h"

namespace rtw::hl7v2 {
namespace detail {
namespace {

bool isNull(std::string_view raw) { return raw.empty() || raw == "\"\""; }

}  // namespace

std::optional<TypedValue> TypedValue::first(const Message& message, std::string_view path) {
  std::vector<TypedValue> found = all(message, path);
  if (found.empty()) {
    return std::nullopt;
  }
  return found.front();
}

std::vector<TypedValue> TypedValue::all(const Message& message, std::string_view path) {
  std::vector<TypedValue> values;
  auto spec = parsePath(path);
  if (!spec || spec->namesDelimiterField()) {
    return values;
  }
  const Delimiters& d = message.delimiters();
  char separator = d.component;
  char inner = d.subcomponent;
  if (spec->subcomponent > 0) {
    separator = '\0';
    inner = '\0';
  } else if (spec->component > 0) {
    separator = d.subcomponent;
    inner = '\0';
  }
  for (std::string_view raw : message.rawAll(path)) {
    if (!isNull(raw)) {
      values.push_back(TypedValue(message, raw, separator, inner));
    }
  }
  return values;
}

std::string_view TypedValue::rawPart(int n) const {
  if (separator_ == '\0') {
    return n == 1 ? raw_ : std::string_view();
  }
  return pieceOf(raw_, n, separator_).value_or(std::string_view());
}

// Like Message::get(): a part that has subcomponents reads its first one.
std::string TypedValue::part(int n) const { return subpart(n, 1); }

std::string TypedValue::subpart(int n, int m) const {
  std::string_view whole = rawPart(n);
  if (inner_ == '\0') {
    return m == 1 ? message_->decode(whole) : std::string();
  }
  return message_->decode(pieceOf(whole, m, inner_).value_or(std::string_view()));
}

HierarchicDesignator TypedValue::designator(int n) const {
  return {subpart(n, 1), subpart(n, 2), subpart(n, 3)};
}

}  // namespace detail

namespace {

using detail::TypedValue;

HierarchicDesignator toHd(const TypedValue& v) { return {v.part(1), v.part(2), v.part(3)}; }

Identifier toCx(const TypedValue& v) {
  return {v.part(1), v.part(2), v.part(3), v.designator(4), v.part(5), v.designator(6)};
}

PersonName toXpn(const TypedValue& v) {
  return {v.subpart(1, 1), v.part(2), v.part(3), v.part(4), v.part(5), v.part(6), v.part(7)};
}

Address toXad(const TypedValue& v) {
  return {v.subpart(1, 1), v.part(2), v.part(3), v.part(4), v.part(5), v.part(6), v.part(7)};
}

CodedValue toCe(const TypedValue& v) {
  return {v.part(1), v.part(2), v.part(3), v.part(4), v.part(5),
          v.part(6), v.part(7), v.part(8), v.part(9)};
}

IdentifiedPerson toXcn(const TypedValue& v) {
  PersonName name{v.subpart(2, 1), v.part(3), v.part(4), v.part(5),
                  v.part(6),       v.part(7), v.part(10)};
  return {v.part(1),  std::move(name), v.part(8),  v.designator(9),
          v.part(11), v.part(12),      v.part(13), v.designator(14)};
}

template <class Convert>
auto readFirst(const Message& message, std::string_view path, Convert convert)
    -> std::optional<decltype(convert(std::declval<const TypedValue&>()))> {
  std::optional<TypedValue> value = TypedValue::first(message, path);
  if (!value) {
    return std::nullopt;
  }
  return convert(*value);
}

template <class Convert>
auto readEvery(const Message& message, std::string_view path, Convert convert) {
  std::vector<decltype(convert(std::declval<const TypedValue&>()))> out;
  for (const TypedValue& value : TypedValue::all(message, path)) {
    out.push_back(convert(value));
  }
  return out;
}

}  // namespace

std::optional<HierarchicDesignator> readHd(const Message& message, std::string_view path) {
  return readFirst(message, path, toHd);
}
std::optional<Identifier> readCx(const Message& message, std::string_view path) {
  return readFirst(message, path, toCx);
}
std::optional<PersonName> readXpn(const Message& message, std::string_view path) {
  return readFirst(message, path, toXpn);
}
std::optional<Address> readXad(const Message& message, std::string_view path) {
  return readFirst(message, path, toXad);
}
std::optional<CodedValue> readCe(const Message& message, std::string_view path) {
  return readFirst(message, path, toCe);
}
std::optional<IdentifiedPerson> readXcn(const Message& message, std::string_view path) {
  return readFirst(message, path, toXcn);
}

std::vector<Identifier> readAllCx(const Message& message, std::string_view path) {
  return readEvery(message, path, toCx);
}
std::vector<PersonName> readAllXpn(const Message& message, std::string_view path) {
  return readEvery(message, path, toXpn);
}
std::vector<Address> readAllXad(const Message& message, std::string_view path) {
  return readEvery(message, path, toXad);
}
std::vector<CodedValue> readAllCe(const Message& message, std::string_view path) {
  return readEvery(message, path, toCe);
}
std::vector<IdentifiedPerson> readAllXcn(const Message& message, std::string_view path) {
  return readEvery(message, path, toXcn);
}

}  // namespace rtw::hl7v2
