#include "json_tree.h"

#include <algorithm>

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/stream.h>

namespace rtw::mapping::detail {
namespace {

// Line numbers of byte offsets.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') {
        line_starts_.push_back(i + 1);
      }
    }
  }
  int lineOf(std::size_t offset) const {
    const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    return static_cast<int>(after - line_starts_.begin()) + 1;
  }

 private:
  std::vector<std::size_t> line_starts_;
};

// Builds the tree from RapidJSON's SAX events, reading the stream position
// at each event (the token just read is on that line: strings hold no raw
// line breaks).
class TreeBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TreeBuilder> {
 public:
  TreeBuilder(const rapidjson::StringStream& stream, const LineIndex& lines)
      : stream_(stream), lines_(lines) {}

  bool Null() { return add(JsonValue{}); }
  bool Bool(bool b) {
    JsonValue v;
    v.kind = JsonValue::Kind::kBool;
    v.boolean = b;
    return add(std::move(v));
  }
  bool RawNumber(const char* str, rapidjson::SizeType length, bool) {
    JsonValue v;
    v.kind = JsonValue::Kind::kNumber;
    v.text.assign(str, length);
    return add(std::move(v));
  }
  bool String(const char* str, rapidjson::SizeType length, bool) {
    JsonValue v;
    v.kind = JsonValue::Kind::kString;
    v.text.assign(str, length);
    return add(std::move(v));
  }
  bool Key(const char* str, rapidjson::SizeType length, bool) {
    keys_.emplace_back(str, length);
    return true;
  }
  bool StartObject() { return open(JsonValue::Kind::kObject); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(JsonValue::Kind::kArray); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  JsonValue& root() { return root_; }
  bool tooDeep() const { return too_deep_; }

 private:
  int line() const { return lines_.lineOf(stream_.Tell() == 0 ? 0 : stream_.Tell() - 1); }

  bool open(JsonValue::Kind kind) {
    if (static_cast<int>(open_.size()) >= kMaxJsonDepth) {
      too_deep_ = true;
      return false;
    }
    JsonValue v;
    v.kind = kind;
    v.line = line();
    open_.push_back(std::move(v));
    return true;
  }
  bool close() {
    JsonValue done = std::move(open_.back());
    open_.pop_back();
    return place(std::move(done));
  }
  bool add(JsonValue v) {
    v.line = line();
    return place(std::move(v));
  }
  bool place(JsonValue v) {
    if (open_.empty()) {
      root_ = std::move(v);
    } else if (open_.back().kind == JsonValue::Kind::kArray) {
      open_.back().items.push_back(std::move(v));
    } else {
      open_.back().members.emplace_back(std::move(keys_.back()), std::move(v));
      keys_.pop_back();
    }
    return true;
  }

  const rapidjson::StringStream& stream_;
  const LineIndex& lines_;
  std::vector<JsonValue> open_;
  std::vector<std::string> keys_;
  JsonValue root_;
  bool too_deep_ = false;
};

}  // namespace

const JsonValue* JsonValue::find(std::string_view key) const {
  for (const auto& [name, value] : members) {
    if (name == key) {
      return &value;
    }
  }
  return nullptr;
}

bool parseJson(std::string_view text, JsonValue& root, JsonSyntaxError& error) {
  const LineIndex lines(text);
  if (text.size() > kMaxJsonBytes) {
    error = {1, "the file is larger than " + std::to_string(kMaxJsonBytes) + " bytes"};
    return false;
  }
  const std::string terminated(text);  // RapidJSON reads up to a NUL
  rapidjson::StringStream stream(terminated.c_str());
  TreeBuilder builder(stream, lines);
  // Recursive parsing is safe here: the builder stops at kMaxJsonDepth.
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag |
                              rapidjson::kParseNumbersAsStringsFlag;
  const rapidjson::ParseResult result = reader.Parse<kFlags>(stream, builder);
  if (!result) {
    error.line = lines.lineOf(result.Offset());
    error.message =
        builder.tooDeep()
            ? "JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels"
            : std::string("not valid JSON: ") + rapidjson::GetParseError_En(result.Code());
    return false;
  }
  root = std::move(builder.root());
  return true;
}

std::string_view kindName(JsonValue::Kind kind) {
  switch (kind) {
    case JsonValue::Kind::kNull:
      return "null";
    case JsonValue::Kind::kBool:
      return "true/false";
    case JsonValue::Kind::kNumber:
      return "a number";
    case JsonValue::Kind::kString:
      return "a string";
    case JsonValue::Kind::kArray:
      return "a list";
    case JsonValue::Kind::kObject:
      return "an object";
  }
  return "a value";
}

}  // namespace rtw::mapping::detail
