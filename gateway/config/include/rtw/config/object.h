#pragma once
// Strict reading of one JSON object of a configuration file (STYLE.md:
// config is strict). Its keys are checked when it is made: a key outside the
// allowed ones fails naming it and them. Every accessor fails with the file,
// the line and the dotted key path ("programs.CRRTW.from") when the value is
// missing or of the wrong type:
//   FILE: line N: 'programs.CRRTW.from' must be a date (YYYY-MM-DD)
// A missing key has no line of its own: the error names the line of the
// object that lacks it.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rtw/config/json.h"

namespace rtw::config {

class Object {
 public:
  /// Fails unless `value` is an object whose keys are all in `allowed`.
  /// `path` is its dotted path in the file ("" for the top level).
  Object(const JsonValue& value, std::string path, std::string file,
         std::initializer_list<std::string_view> allowed);
  Object(const JsonValue& value, std::string path, std::string file,
         const std::vector<std::string_view>& allowed);

  /// Present and not null.
  bool has(std::string_view key) const;
  /// The member's value, or nullptr.
  const JsonValue* find(std::string_view key) const;

  std::string string(std::string_view key) const;  // a non-empty string
  std::optional<std::string> optionalString(std::string_view key) const;
  std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  std::optional<std::int64_t> optionalInteger(std::string_view key, std::int64_t min,
                                              std::int64_t max) const;
  bool boolean(std::string_view key, bool fallback) const;
  /// A list of non-empty strings; empty when the key is absent.
  std::vector<std::string> strings(std::string_view key) const;

  /// A nested object with fixed keys (required).
  Object object(std::string_view key, std::initializer_list<std::string_view> allowed) const;
  /// The same, or nothing when the key is absent.
  std::optional<Object> optionalObject(std::string_view key,
                                       std::initializer_list<std::string_view> allowed) const;
  /// A nested object whose keys are data (codes): its members in file order.
  std::vector<std::pair<std::string, const JsonValue*>> entries(std::string_view key) const;
  /// A nested list; empty when the key is absent.
  std::vector<const JsonValue*> array(std::string_view key) const;

  /// The dotted path of a key below this object, for messages.
  std::string keyPath(std::string_view key) const;
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  const JsonValue& value() const { return *value_; }
  /// The line of a member (the object's own line when there is no such member).
  int lineOf(std::string_view key) const;

  /// "FILE: line N: '<path>.<key>' <what>" on the line of the key.
  [[noreturn]] void fail(std::string_view key, const std::string& what) const;
  /// The same for an entry of the nested object `key` (a code of a code list).
  [[noreturn]] void failEntry(std::string_view key, std::string_view entry,
                              const std::string& what) const;

 private:
  const JsonValue& required(std::string_view key) const;
  void checkKeys(const std::vector<std::string_view>& allowed) const;

  const JsonValue* value_;
  std::string path_;
  std::string file_;
};

/// "FILE: line N: '<path>' <what>" (path "" reads "(top level)").
[[noreturn]] void failAt(const std::string& file, int line, const std::string& path,
                         const std::string& what);

/// `value` as a whole number (no fraction or exponent), or nothing.
std::optional<std::int64_t> wholeNumber(const JsonValue& value);

}  // namespace rtw::config
