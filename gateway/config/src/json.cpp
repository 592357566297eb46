#include "rtw/config/json.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_set>

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/stream.h>

namespace rtw::config {
namespace {

// Lines (and columns) of byte offsets.
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
  std::size_t columnOf(std::size_t offset) const {
    const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const std::size_t start = after == line_starts_.begin() ? 0 : *(after - 1);
    return offset - start + 1;
  }

 private:
  std::vector<std::size_t> line_starts_;
};

// What stopped the builder (RapidJSON then reports a termination).
struct Stop {
  int line = 0;
  std::string problem;
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
    return add(std::move(v), tokenStartLine());
  }
  bool String(const char* str, rapidjson::SizeType length, bool) {
    JsonValue v;
    v.kind = JsonValue::Kind::kString;
    v.text.assign(str, length);
    return add(std::move(v), tokenStartLine());
  }
  bool Key(const char* str, rapidjson::SizeType length, bool) {
    Open& object = open_.back();
    std::string key(str, length);
    if (!object.keys.insert(key).second) {
      const auto first = std::find_if(object.value.members.begin(), object.value.members.end(),
                                      [&](const auto& member) { return member.first == key; });
      const std::string first_line =
          first == object.value.members.end()
              ? ""
              : " (first on line " + std::to_string(first->second.line) + ")";
      stop_ = Stop{tokenStartLine(), "'" + childPath(key) + "' appears twice" + first_line};
      return false;
    }
    object.key = std::move(key);
    return true;
  }
  bool StartObject() { return open(JsonValue::Kind::kObject); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(JsonValue::Kind::kArray); }
  bool EndArray(rapidjson::SizeType) { return close(); }

  JsonValue& root() { return root_; }
  const std::optional<Stop>& stopped() const { return stop_; }

 private:
  struct Open {
    JsonValue value;
    std::string path;
    std::string key;  // an object's key whose value comes next
    std::unordered_set<std::string> keys;
  };

  // RapidJSON reads strings and numbers through a copy of the stream, so at
  // their events the position is still their first character; at the
  // others it is just past the token.
  int line() const { return lines_.lineOf(stream_.Tell() == 0 ? 0 : stream_.Tell() - 1); }
  int tokenStartLine() const { return lines_.lineOf(stream_.Tell()); }

  // The dotted path of the next value below the innermost open container:
  // "programs.CRRTW.from", "fee_tables[2]" (1-based, as people count).
  std::string childPath(const std::string& key) const {
    if (open_.empty()) {
      return "";
    }
    const Open& parent = open_.back();
    if (parent.value.kind == JsonValue::Kind::kArray) {
      return parent.path + "[" + std::to_string(parent.value.items.size() + 1) + "]";
    }
    return parent.path.empty() ? key : parent.path + "." + key;
  }

  bool open(JsonValue::Kind kind) {
    if (static_cast<int>(open_.size()) >= kMaxJsonDepth) {
      stop_ = Stop{line(), "JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
      return false;
    }
    Open container;
    container.value.kind = kind;
    container.value.line = line();
    container.path = open_.empty() ? "" : childPath(open_.back().key);
    open_.push_back(std::move(container));
    return true;
  }
  bool close() {
    JsonValue done = std::move(open_.back().value);
    open_.pop_back();
    return place(std::move(done));
  }
  bool add(JsonValue v) { return add(std::move(v), line()); }
  bool add(JsonValue v, int at) {
    v.line = at;
    return place(std::move(v));
  }
  bool place(JsonValue v) {
    if (open_.empty()) {
      root_ = std::move(v);
    } else if (open_.back().value.kind == JsonValue::Kind::kArray) {
      open_.back().value.items.push_back(std::move(v));
    } else {
      Open& object = open_.back();
      object.value.members.emplace_back(std::move(object.key), std::move(v));
      object.key.clear();
    }
    return true;
  }

  const rapidjson::StringStream& stream_;
  const LineIndex& lines_;
  std::vector<Open> open_;
  JsonValue root_;
  std::optional<Stop> stop_;
};

}  // namespace

ConfigError::ConfigError(std::string file, int line, const std::string& problem)
    : std::runtime_error(file + ":" + (line > 0 ? " line " + std::to_string(line) + ":" : "") +
                         " " + problem),
      file_(std::move(file)),
      line_(line),
      problem_(problem) {}

const JsonValue* JsonValue::find(std::string_view key) const {
  for (const auto& [name, value] : members) {
    if (name == key) {
      return &value;
    }
  }
  return nullptr;
}

JsonValue parseJson(std::string_view text, const std::string& file) {
  if (text.size() > kMaxJsonBytes) {
    throw ConfigError(file, 1,
                      "the file is larger than " + std::to_string(kMaxJsonBytes) + " bytes");
  }
  const LineIndex lines(text);
  const std::string terminated(text);  // RapidJSON reads up to a NUL
  rapidjson::StringStream stream(terminated.c_str());
  TreeBuilder builder(stream, lines);
  // Recursive parsing is safe here: the builder stops at kMaxJsonDepth.
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag |
                              rapidjson::kParseNumbersAsStringsFlag;
  const rapidjson::ParseResult result = reader.Parse<kFlags>(stream, builder);
  if (builder.stopped()) {
    throw ConfigError(file, builder.stopped()->line, builder.stopped()->problem);
  }
  if (!result) {
    throw ConfigError(file, lines.lineOf(result.Offset()),
                      "not valid JSON at column " +
                          std::to_string(lines.columnOf(result.Offset())) + ": " +
                          rapidjson::GetParseError_En(result.Code()));
  }
  if (terminated.size() != std::char_traits<char>::length(terminated.c_str())) {
    // RapidJSON stopped at a NUL byte: what follows it was never read.
    throw ConfigError(file, lines.lineOf(std::char_traits<char>::length(terminated.c_str())),
                      "holds a NUL byte");
  }
  return std::move(builder.root());
}

JsonValue readJsonFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw ConfigError(file.string(), 0, "cannot be read");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parseJson(text.str(), file.string());
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

}  // namespace rtw::config
