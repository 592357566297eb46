#include "rtw/config/object.h"

#include <algorithm>
#include <charconv>

namespace rtw::config {
namespace {

std::string listOf(const std::vector<std::string_view>& keys) {
  std::string text;
  for (const auto& key : keys) {
    text += (text.empty() ? "" : ", ") + std::string(key);
  }
  return text;
}

std::string notKind(const JsonValue& value) { return ", not " + std::string(kindName(value.kind)); }

}  // namespace

void failAt(const std::string& file, int line, const std::string& path, const std::string& what) {
  throw ConfigError(file, line,
                    "'" + (path.empty() ? std::string("(top level)") : path) + "' " + what);
}

std::optional<std::int64_t> wholeNumber(const JsonValue& value) {
  if (value.kind != JsonValue::Kind::kNumber) {
    return std::nullopt;
  }
  std::int64_t number = 0;
  const char* begin = value.text.data();
  const char* end = begin + value.text.size();
  const auto [stop, error] = std::from_chars(begin, end, number);
  if (error != std::errc() || stop != end) {
    return std::nullopt;  // a fraction, an exponent, or out of range
  }
  return number;
}

Object::Object(const JsonValue& value, std::string path, std::string file,
               std::initializer_list<std::string_view> allowed)
    : Object(value, std::move(path), std::move(file), std::vector<std::string_view>(allowed)) {}

Object::Object(const JsonValue& value, std::string path, std::string file,
               const std::vector<std::string_view>& allowed)
    : value_(&value), path_(std::move(path)), file_(std::move(file)) {
  if (!value.isObject()) {
    failAt(file_, value.line, path_, "must be an object" + notKind(value));
  }
  checkKeys(allowed);
}

void Object::checkKeys(const std::vector<std::string_view>& allowed) const {
  for (const auto& [key, member] : value_->members) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw ConfigError(file_, member.line,
                        "unknown key '" + keyPath(key) + "' (" +
                            (allowed.empty() ? std::string("this object takes no keys")
                                             : "allowed: " + listOf(allowed)) +
                            ")");
    }
  }
}

std::string Object::keyPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

int Object::lineOf(std::string_view key) const {
  const JsonValue* member = value_->find(key);
  return member != nullptr ? member->line : value_->line;
}

void Object::fail(std::string_view key, const std::string& what) const {
  failAt(file_, lineOf(key), keyPath(key), what);
}

void Object::failEntry(std::string_view key, std::string_view entry,
                       const std::string& what) const {
  int line = lineOf(key);
  if (const JsonValue* object = value_->find(key); object != nullptr && object->isObject()) {
    if (const JsonValue* item = object->find(entry)) {
      line = item->line;
    }
  }
  failAt(file_, line, keyPath(key) + "." + std::string(entry), what);
}

const JsonValue* Object::find(std::string_view key) const { return value_->find(key); }

bool Object::has(std::string_view key) const {
  const JsonValue* value = find(key);
  return value != nullptr && !value->isNull();
}

const JsonValue& Object::required(std::string_view key) const {
  if (!has(key)) {
    fail(key, "is required");
  }
  return *find(key);
}

std::string Object::string(std::string_view key) const {
  const JsonValue& value = required(key);
  if (!value.isString() || value.text.empty()) {
    fail(key, "must be a non-empty string" + (value.isString() ? "" : notKind(value)));
  }
  return value.text;
}

std::optional<std::string> Object::optionalString(std::string_view key) const {
  return has(key) ? std::optional<std::string>(string(key)) : std::nullopt;
}

std::int64_t Object::integer(std::string_view key, std::int64_t min, std::int64_t max) const {
  const JsonValue& value = required(key);
  const std::optional<std::int64_t> number = wholeNumber(value);
  if (!number || *number < min || *number > max) {
    fail(key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                  (value.kind == JsonValue::Kind::kNumber ? "" : notKind(value)));
  }
  return *number;
}

std::optional<std::int64_t> Object::optionalInteger(std::string_view key, std::int64_t min,
                                                    std::int64_t max) const {
  return has(key) ? std::optional<std::int64_t>(integer(key, min, max)) : std::nullopt;
}

bool Object::boolean(std::string_view key, bool fallback) const {
  if (!has(key)) {
    return fallback;
  }
  const JsonValue& value = required(key);
  if (value.kind != JsonValue::Kind::kBool) {
    fail(key, "must be true or false" + notKind(value));
  }
  return value.boolean;
}

std::vector<std::string> Object::strings(std::string_view key) const {
  std::vector<std::string> result;
  for (const JsonValue* item : array(key)) {
    if (!item->isString() || item->text.empty()) {
      failAt(file_, item->line, keyPath(key),
             "must be a list of non-empty strings (an entry is " +
                 (item->isString() ? std::string("empty") : std::string(kindName(item->kind))) +
                 ")");
    }
    result.push_back(item->text);
  }
  return result;
}

Object Object::object(std::string_view key, std::initializer_list<std::string_view> allowed) const {
  return Object(required(key), keyPath(key), file_, allowed);
}

std::optional<Object> Object::optionalObject(
    std::string_view key, std::initializer_list<std::string_view> allowed) const {
  return has(key) ? std::optional<Object>(object(key, allowed)) : std::nullopt;
}

std::vector<std::pair<std::string, const JsonValue*>> Object::entries(std::string_view key) const {
  std::vector<std::pair<std::string, const JsonValue*>> result;
  if (!has(key)) {
    return result;
  }
  const JsonValue& value = required(key);
  if (!value.isObject()) {
    fail(key, "must be an object" + notKind(value));
  }
  for (const auto& [name, item] : value.members) {
    if (name.empty()) {
      failAt(file_, item.line, keyPath(key), "has an empty key");
    }
    result.emplace_back(name, &item);  // each key once: the parser refuses duplicates
  }
  return result;
}

std::vector<const JsonValue*> Object::array(std::string_view key) const {
  std::vector<const JsonValue*> result;
  if (!has(key)) {
    return result;
  }
  const JsonValue& value = required(key);
  if (!value.isArray()) {
    fail(key, "must be a list" + notKind(value));
  }
  for (const auto& item : value.items) {
    result.push_back(&item);
  }
  return result;
}

}  // namespace rtw::config
