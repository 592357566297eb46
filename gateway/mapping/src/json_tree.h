#pragma once
// A JSON document read with the line of every value, so that a mapping
// error can name the line of the rule (RapidJSON's DOM keeps no positions).
// Comments are allowed; size and depth are capped before anything recurses.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtw::mapping::detail {

inline constexpr std::size_t kMaxJsonBytes = std::size_t{1} << 20;  // 1 MiB per mapping file
inline constexpr int kMaxJsonDepth = 32;

struct JsonValue {
  // Declared here, defined once JsonValue is complete: clang with libstdc++
  // 12 in C++20 instantiates the (constexpr) vector destructor of the
  // implicit ones while `members` still holds an incomplete pair.
  JsonValue();
  JsonValue(const JsonValue&);
  JsonValue(JsonValue&&) noexcept;
  JsonValue& operator=(const JsonValue&);
  JsonValue& operator=(JsonValue&&) noexcept;
  ~JsonValue();

  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  int line = 0;
  bool boolean = false;
  std::string text;  // kString: the string; kNumber: the number as written
  std::vector<JsonValue> items;
  std::vector<std::pair<std::string, JsonValue>> members;  // in file order

  bool isString() const { return kind == Kind::kString; }
  bool isObject() const { return kind == Kind::kObject; }
  bool isArray() const { return kind == Kind::kArray; }
  const JsonValue* find(std::string_view key) const;
};

inline JsonValue::JsonValue() = default;
inline JsonValue::JsonValue(const JsonValue&) = default;
inline JsonValue::JsonValue(JsonValue&&) noexcept = default;
inline JsonValue& JsonValue::operator=(const JsonValue&) = default;
inline JsonValue& JsonValue::operator=(JsonValue&&) noexcept = default;
inline JsonValue::~JsonValue() = default;

/// A JSON text that does not parse: the line and what is wrong.
struct JsonSyntaxError {
  int line = 0;
  std::string message;
};

/// Parses `text`; on failure returns false and fills `error`.
bool parseJson(std::string_view text, JsonValue& root, JsonSyntaxError& error);

/// "string", "number", "object", ... for messages.
std::string_view kindName(JsonValue::Kind kind);

}  // namespace rtw::mapping::detail
