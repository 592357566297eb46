#include "xml_fixture.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "rtw/fhir/xml.h"
#include "xhtml.h"

namespace rtw::fhir::test {
namespace {

namespace fs = std::filesystem;

// A number keeps its text, marked so that it never equals the string of
// that text: toJson() must write numbers as numbers and strings as strings.
constexpr char kNumberMark = '\x01';

struct MarkNumbers {
  rapidjson::Document& out;
  bool Null() { return out.Null(); }
  bool Bool(bool b) { return out.Bool(b); }
  bool Int(int i) { return out.Int(i); }
  bool Uint(unsigned i) { return out.Uint(i); }
  bool Int64(std::int64_t i) { return out.Int64(i); }
  bool Uint64(std::uint64_t i) { return out.Uint64(i); }
  bool Double(double d) { return out.Double(d); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    const std::string marked = kNumberMark + std::string(text, length);
    return out.String(marked.data(), static_cast<rapidjson::SizeType>(marked.size()), true);
  }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    return out.String(text, length, copy);
  }
  bool StartObject() { return out.StartObject(); }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    return out.Key(text, length, copy);
  }
  bool EndObject(rapidjson::SizeType count) { return out.EndObject(count); }
  bool StartArray() { return out.StartArray(); }
  bool EndArray(rapidjson::SizeType count) { return out.EndArray(count); }
};

// Objects with their members sorted by name; each "div" as writeNarrative() writes it.
void canonical(const rapidjson::Value& value, rapidjson::Writer<rapidjson::StringBuffer>& out,
               bool narrative = false) {
  if (value.IsObject()) {
    std::vector<const rapidjson::Value::Member*> members;
    for (const auto& member : value.GetObject()) {
      members.push_back(&member);
    }
    std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
      return std::string_view(a->name.GetString()) < std::string_view(b->name.GetString());
    });
    out.StartObject();
    for (const auto* member : members) {
      out.Key(member->name.GetString(), member->name.GetStringLength());
      canonical(member->value, out, std::string_view(member->name.GetString()) == "div");
    }
    out.EndObject();
  } else if (value.IsArray()) {
    out.StartArray();
    for (const auto& item : value.GetArray()) {
      canonical(item, out);
    }
    out.EndArray();
  } else if (narrative && value.IsString()) {
    std::string xhtml;
    std::string error;
    if (!detail::writeNarrativeText({value.GetString(), value.GetStringLength()}, xhtml, error)) {
      xhtml = "(not XHTML: " + error + ")";
    }
    out.String(xhtml.data(), static_cast<rapidjson::SizeType>(xhtml.size()));
  } else {
    value.Accept(out);
  }
}

// Reads `json` into a document through MarkNumbers (Document::Populate()
// moves the value read onto the document).
struct MarkedReading {
  const std::string& json;
  bool read = false;
  bool operator()(rapidjson::Document& out) {
    MarkNumbers handler{out};
    rapidjson::Reader reader;
    rapidjson::StringStream stream(json.c_str());
    read = !reader.Parse<rapidjson::kParseNumbersAsStringsFlag>(stream, handler).IsError();
    return read;
  }
};

// Nothing when `json` is not JSON.
std::optional<std::string> canonicalJson(const std::string& json) {
  rapidjson::Document document;
  MarkedReading reading{json};
  document.Populate(reading);
  if (!reading.read) {
    return std::nullopt;
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  canonical(document, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string readText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  INFO(file.string());
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> corpusFiles(const std::string& suffix) {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(RTW_CORPUS_DIR) / "fhir";
  INFO("the shared corpus: " << dir.string());
  REQUIRE(fs::is_directory(dir));
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());
  return files;
}

fs::path dataFile(const std::string& name) {
  return fs::path(RTW_SOURCE_DIR) / "tests/data/fhir" / name;
}

Resource xmlResource(const std::string& xml) {
  std::string error;
  auto resource = parseXml(xml, error);
  INFO(error);
  REQUIRE(resource);
  CHECK(error.empty());
  return *resource;
}

Resource jsonResource(const std::string& json) {
  std::string error;
  auto resource = Resource::parseJson(json, error);
  INFO(error);
  REQUIRE(resource);
  return *resource;
}

std::string xmlOf(const Resource& resource) {
  std::string error;
  auto xml = toXml(resource, error);
  INFO(error);
  REQUIRE(xml);
  return *xml;
}

std::string jsonDifference(const std::string& expected, const std::string& actual) {
  const auto a = canonicalJson(expected);
  const auto b = canonicalJson(actual);
  if (!a || !b) {
    return "not JSON: " + (a ? actual : expected);
  }
  if (*a == *b) {
    return {};
  }
  std::size_t at = 0;
  while (at < a->size() && at < b->size() && (*a)[at] == (*b)[at]) {
    ++at;
  }
  const std::size_t from = at > 60 ? at - 60 : 0;
  return "first difference at " + std::to_string(at) + ":\n  expected ..." + a->substr(from, 160) +
         "\n  actual   ..." + b->substr(from, 160);
}

std::string resourceXml(const std::string& type, const std::string& body) {
  return "<" + type + " xmlns=\"http://hl7.org/fhir\">" + body + "</" + type + ">";
}

std::string xmlError(const std::string& xml) {
  std::string error;
  const auto resource = parseXml(xml, error);
  INFO(xml);
  CHECK_FALSE(resource);
  CHECK_FALSE(error.empty());
  return error;
}

}  // namespace rtw::fhir::test
