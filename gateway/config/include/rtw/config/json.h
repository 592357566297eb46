#pragma once
// The one reader of the gateway's JSON configuration: partner files, board
// profiles and mappings. A document is read into a tree that keeps the line
// of every value (RapidJSON's DOM keeps no positions), so that an error can
// say "FILE: line N: ...". `//` and `/* */` comments and trailing commas are
// allowed (engineers annotate these files); a key given twice in one object
// is an error, not a silent "last one wins". Size and depth are capped
// before anything recurses.

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtw::config {

inline constexpr std::size_t kMaxJsonBytes = std::size_t{1} << 20;  // 1 MiB per file
inline constexpr int kMaxJsonDepth = 32;

/// A configuration file that cannot be used: what() is "FILE: line N:
/// PROBLEM" ("FILE: PROBLEM" when no line applies).
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, int line, const std::string& problem);
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  /// The problem alone, without file and line.
  const std::string& problem() const { return problem_; }

 private:
  std::string file_;
  int line_;
  std::string problem_;
};

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
  int line = 0;  // where the value is (an object or list: its opening bracket)
  bool boolean = false;
  std::string text;  // kString: the string; kNumber: the number as written
  std::vector<JsonValue> items;
  std::vector<std::pair<std::string, JsonValue>> members;  // in file order, each key once

  bool isString() const { return kind == Kind::kString; }
  bool isObject() const { return kind == Kind::kObject; }
  bool isArray() const { return kind == Kind::kArray; }
  bool isNull() const { return kind == Kind::kNull; }
  const JsonValue* find(std::string_view key) const;
};

inline JsonValue::JsonValue() = default;
inline JsonValue::JsonValue(const JsonValue&) = default;
inline JsonValue::JsonValue(JsonValue&&) noexcept = default;
inline JsonValue& JsonValue::operator=(const JsonValue&) = default;
inline JsonValue& JsonValue::operator=(JsonValue&&) noexcept = default;
inline JsonValue::~JsonValue() = default;

/// Parses `text` read from `file` (named in errors). Throws ConfigError:
/// bad syntax (with the column), too large, too deep, a duplicate key.
JsonValue parseJson(std::string_view text, const std::string& file);

/// Reads and parses a file; ConfigError when it cannot be read too.
JsonValue readJsonFile(const std::filesystem::path& file);

/// "a string", "a number", "an object", ... for messages.
std::string_view kindName(JsonValue::Kind kind);

}  // namespace rtw::config
