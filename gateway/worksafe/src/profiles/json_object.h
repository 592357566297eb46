#pragma once
// Strict reading of the board profile JSON (STYLE.md: config is strict; an
// unknown key fails start-up with its name). Every accessor names the file
// and the dotted key path ("programs.CRRTW.from") when the value is missing
// or of the wrong type.

#include <rapidjson/document.h>

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rtw/worksafe/date.h"

namespace rtw::worksafe::detail {

// A profile file parsed in place: the document's strings and keys point
// into `text`, so an error can say on which line the key it names is.
struct JsonFile {
  std::filesystem::path path;
  std::string text;
  rapidjson::Document document;

  // Parses a file of JSON with comments (and trailing commas). Throws
  // std::runtime_error "<file>: line L, column C: <what>" on bad JSON.
  static std::unique_ptr<JsonFile> parse(const std::filesystem::path& file);

  // The 1-based line of a string or key of the document; 0 when `at` is
  // not in the text.
  std::size_t lineOf(const char* at) const;
};

class JsonObject {
 public:
  // Fails unless `value` is an object whose keys are all in `allowed`, each once.
  JsonObject(const rapidjson::Value& value, std::string path, const JsonFile& file,
             std::initializer_list<std::string_view> allowed);

  bool has(std::string_view key) const;

  std::string string(std::string_view key) const;
  std::optional<std::string> optionalString(std::string_view key) const;
  Date date(std::string_view key) const;
  std::optional<Date> optionalDate(std::string_view key) const;
  int integer(std::string_view key, int min, int max) const;
  std::optional<int> optionalInteger(std::string_view key, int min, int max) const;
  bool boolean(std::string_view key, bool fallback) const;
  // An array of strings; empty when the key is absent.
  std::vector<std::string> strings(std::string_view key) const;

  // A nested object with fixed keys.
  JsonObject object(std::string_view key, std::initializer_list<std::string_view> allowed) const;
  // A nested object whose keys are data (codes): its members in file order.
  std::vector<std::pair<std::string, const rapidjson::Value*>> entries(std::string_view key) const;
  // A nested array; empty when the key is absent.
  std::vector<const rapidjson::Value*> array(std::string_view key) const;

  // The dotted path of a key below this object, for messages.
  std::string keyPath(std::string_view key) const;
  const JsonFile& file() const { return *file_; }
  const std::string& path() const { return path_; }

  // "<file>: line L: '<path>.<key>' <what>", on the line of the key (no
  // line when the key is absent).
  [[noreturn]] void fail(std::string_view key, const std::string& what) const;
  // The same for an entry of the nested object `key` (a code of a code list).
  [[noreturn]] void failEntry(std::string_view key, std::string_view entry,
                              const std::string& what) const;

 private:
  const rapidjson::Value* member(std::string_view key) const;
  const rapidjson::Value& required(std::string_view key) const;
  // The line of a member's key; 0 when there is no such member.
  std::size_t lineOf(std::string_view key) const;

  const rapidjson::Value* value_;
  std::string path_;
  const JsonFile* file_;
};

// "<file>: line L: '<path>' <what>" ("<file>: '<path>' <what>" for line 0)
[[noreturn]] void failAt(const JsonFile& file, std::size_t line, const std::string& path,
                         const std::string& what);

}  // namespace rtw::worksafe::detail
