#include "json_object.h"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace rtw::worksafe::detail {
namespace {

namespace fs = std::filesystem;

// Engineers annotate profiles (why a code exists, where a date comes from).
constexpr unsigned kParseFlags =
    rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag;

std::string keyText(const rapidjson::Value& name) {
  return std::string(name.GetString(), name.GetStringLength());
}

// Line and column (1-based) of a byte offset, for a parse error message.
std::pair<std::size_t, std::size_t> lineAndColumn(const std::string& text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, offset - line_start + 1};
}

}  // namespace

void failAt(const JsonFile& file, std::size_t line, const std::string& path,
            const std::string& what) {
  const std::string where = line == 0 ? "" : " line " + std::to_string(line) + ":";
  throw std::runtime_error(file.path.string() + ":" + where + " '" + path + "' " + what);
}

std::unique_ptr<JsonFile> JsonFile::parse(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error(file.string() + ": cannot read the file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = std::make_unique<JsonFile>();
  parsed->path = file;
  parsed->text = text.str();
  // In place: strings and keys stay where they were read (for lineOf).
  parsed->document.ParseInsitu<kParseFlags>(parsed->text.data());
  if (parsed->document.HasParseError()) {
    const auto [line, column] = lineAndColumn(parsed->text, parsed->document.GetErrorOffset());
    throw std::runtime_error(file.string() + ": line " + std::to_string(line) + ", column " +
                             std::to_string(column) + ": " +
                             rapidjson::GetParseError_En(parsed->document.GetParseError()));
  }
  return parsed;
}

std::size_t JsonFile::lineOf(const char* at) const {
  const char* begin = text.data();
  if (at < begin || at > begin + text.size()) {
    return 0;
  }
  return lineAndColumn(text, static_cast<std::size_t>(at - begin)).first;
}

JsonObject::JsonObject(const rapidjson::Value& value, std::string path, const JsonFile& file,
                       std::initializer_list<std::string_view> allowed)
    : value_(&value), path_(std::move(path)), file_(&file) {
  if (!value.IsObject()) {
    failAt(file, 0, path_.empty() ? "(top level)" : path_, "must be an object");
  }
  std::set<std::string, std::less<>> seen;
  for (const auto& item : value.GetObject()) {
    const std::string key = keyText(item.name);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      const std::size_t line = file.lineOf(item.name.GetString());
      throw std::runtime_error(file.path.string() + ":" +
                               (line == 0 ? "" : " line " + std::to_string(line) + ":") +
                               " unknown key '" + keyPath(key) + "'");
    }
    if (!seen.insert(key).second) {
      failAt(file, file.lineOf(item.name.GetString()), keyPath(key), "appears twice");
    }
  }
}

std::string JsonObject::keyPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void JsonObject::fail(std::string_view key, const std::string& what) const {
  failAt(*file_, lineOf(key), keyPath(key), what);
}

void JsonObject::failEntry(std::string_view key, std::string_view entry,
                           const std::string& what) const {
  std::size_t line = lineOf(key);
  if (const rapidjson::Value* object = member(key); object != nullptr && object->IsObject()) {
    for (const auto& item : object->GetObject()) {
      if (std::string_view(item.name.GetString(), item.name.GetStringLength()) == entry) {
        line = file_->lineOf(item.name.GetString());
      }
    }
  }
  failAt(*file_, line, keyPath(key) + "." + std::string(entry), what);
}

std::size_t JsonObject::lineOf(std::string_view key) const {
  for (const auto& item : value_->GetObject()) {
    if (std::string_view(item.name.GetString(), item.name.GetStringLength()) == key) {
      return file_->lineOf(item.name.GetString());
    }
  }
  return 0;  // an absent key has no line of its own
}

const rapidjson::Value* JsonObject::member(std::string_view key) const {
  for (const auto& item : value_->GetObject()) {
    if (std::string_view(item.name.GetString(), item.name.GetStringLength()) == key) {
      return &item.value;
    }
  }
  return nullptr;
}

const rapidjson::Value& JsonObject::required(std::string_view key) const {
  const rapidjson::Value* value = member(key);
  if (value == nullptr || value->IsNull()) {
    fail(key, "is required");
  }
  return *value;
}

bool JsonObject::has(std::string_view key) const {
  const rapidjson::Value* value = member(key);
  return value != nullptr && !value->IsNull();
}

std::string JsonObject::string(std::string_view key) const {
  const rapidjson::Value& value = required(key);
  if (!value.IsString() || value.GetStringLength() == 0) {
    fail(key, "must be a non-empty string");
  }
  return std::string(value.GetString(), value.GetStringLength());
}

std::optional<std::string> JsonObject::optionalString(std::string_view key) const {
  return has(key) ? std::optional<std::string>(string(key)) : std::nullopt;
}

Date JsonObject::date(std::string_view key) const {
  const rapidjson::Value& value = required(key);
  std::optional<Date> date;
  if (value.IsString()) {
    const std::string_view text(value.GetString(), value.GetStringLength());
    date = text.size() == 10 ? Date::parse(text) : std::nullopt;
  }
  if (!date) {
    fail(key, "must be a date (YYYY-MM-DD)");
  }
  return *date;
}

std::optional<Date> JsonObject::optionalDate(std::string_view key) const {
  return has(key) ? std::optional<Date>(date(key)) : std::nullopt;
}

int JsonObject::integer(std::string_view key, int min, int max) const {
  const rapidjson::Value& value = required(key);
  if (!value.IsInt() || value.GetInt() < min || value.GetInt() > max) {
    fail(key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value.GetInt();
}

std::optional<int> JsonObject::optionalInteger(std::string_view key, int min, int max) const {
  return has(key) ? std::optional<int>(integer(key, min, max)) : std::nullopt;
}

bool JsonObject::boolean(std::string_view key, bool fallback) const {
  if (!has(key)) {
    return fallback;
  }
  const rapidjson::Value& value = required(key);
  if (!value.IsBool()) {
    fail(key, "must be true or false");
  }
  return value.GetBool();
}

std::vector<std::string> JsonObject::strings(std::string_view key) const {
  std::vector<std::string> result;
  for (const rapidjson::Value* item : array(key)) {
    if (!item->IsString() || item->GetStringLength() == 0) {
      fail(key, "must be an array of non-empty strings");
    }
    result.emplace_back(item->GetString(), item->GetStringLength());
  }
  return result;
}

JsonObject JsonObject::object(std::string_view key,
                              std::initializer_list<std::string_view> allowed) const {
  return JsonObject(required(key), keyPath(key), *file_, allowed);
}

std::vector<std::pair<std::string, const rapidjson::Value*>> JsonObject::entries(
    std::string_view key) const {
  std::vector<std::pair<std::string, const rapidjson::Value*>> result;
  if (!has(key)) {
    return result;
  }
  const rapidjson::Value& value = required(key);
  if (!value.IsObject()) {
    fail(key, "must be an object");
  }
  for (const auto& item : value.GetObject()) {
    std::string name = keyText(item.name);
    const bool duplicate = std::any_of(result.begin(), result.end(),
                                       [&](const auto& entry) { return entry.first == name; });
    if (name.empty() || duplicate) {
      fail(key, name.empty() ? "has an empty key" : "has the key '" + name + "' twice");
    }
    result.emplace_back(std::move(name), &item.value);
  }
  return result;
}

std::vector<const rapidjson::Value*> JsonObject::array(std::string_view key) const {
  std::vector<const rapidjson::Value*> result;
  if (!has(key)) {
    return result;
  }
  const rapidjson::Value& value = required(key);
  if (!value.IsArray()) {
    fail(key, "must be an array");
  }
  for (const auto& item : value.GetArray()) {
    result.push_back(&item);
  }
  return result;
}

}  // namespace rtw::worksafe::detail
