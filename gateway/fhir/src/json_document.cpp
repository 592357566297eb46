#include "json_document.h"

#include <algorithm>

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace rtw::fhir::detail {
namespace {

using rapidjson::SizeType;

// Passes SAX events on to the Document and notes which values, counted in
// document order, were numbers: RapidJSON keeps a number whose text we
// keep ("100.00") as a string, and FHIRPath compares numbers as numbers.
struct NumberNotingHandler {
  rapidjson::Document& document;
  std::vector<std::size_t>& numbers;
  std::size_t values = 0;

  bool Null() { return ++values, document.Null(); }
  bool Bool(bool b) { return ++values, document.Bool(b); }
  bool Int(int i) { return ++values, document.Int(i); }
  bool Uint(unsigned u) { return ++values, document.Uint(u); }
  bool Int64(std::int64_t i) { return ++values, document.Int64(i); }
  bool Uint64(std::uint64_t u) { return ++values, document.Uint64(u); }
  bool Double(double d) { return ++values, document.Double(d); }
  bool RawNumber(const char* text, SizeType length, bool copy) {
    numbers.push_back(values++);
    return document.RawNumber(text, length, copy);
  }
  bool String(const char* text, SizeType length, bool copy) {
    return ++values, document.String(text, length, copy);
  }
  bool StartObject() { return ++values, document.StartObject(); }
  bool Key(const char* text, SizeType length, bool copy) {
    return document.Key(text, length, copy);
  }
  bool EndObject(SizeType members) { return document.EndObject(members); }
  bool StartArray() { return ++values, document.StartArray(); }
  bool EndArray(SizeType elements) { return document.EndArray(elements); }
};

// Visits values in the order the parser met them, collecting the numbers.
void collectNumbers(const rapidjson::Value& value, const std::vector<std::size_t>& indexes,
                    std::size_t& counter, std::size_t& next,
                    std::vector<const rapidjson::Value*>& out) {
  if (next < indexes.size() && indexes[next] == counter) {
    out.push_back(&value);
    ++next;
  }
  ++counter;
  if (value.IsObject()) {
    for (const auto& member : value.GetObject()) {
      collectNumbers(member.value, indexes, counter, next, out);
    }
  } else if (value.IsArray()) {
    for (const auto& element : value.GetArray()) {
      collectNumbers(element, indexes, counter, next, out);
    }
  }
}

bool isAbsoluteHttp(std::string_view url) {
  return url.substr(0, 7) == "http://" || url.substr(0, 8) == "https://";
}

}  // namespace

std::string_view stringMember(const rapidjson::Value& value, const char* name) {
  if (!value.IsObject()) {
    return {};
  }
  const auto found = value.FindMember(name);
  return found != value.MemberEnd() && found->value.IsString()
             ? std::string_view(found->value.GetString(), found->value.GetStringLength())
             : std::string_view();
}

bool isResource(const rapidjson::Value& value) {
  if (!value.IsObject()) {
    return false;
  }
  const auto type = value.FindMember("resourceType");
  return type != value.MemberEnd() && type->value.IsString();
}

std::shared_ptr<const JsonDocument> JsonDocument::parse(std::string_view json, std::string& error) {
  auto parsed = std::make_shared<JsonDocument>();
  std::vector<std::size_t> number_indexes;
  bool ok = false;
  auto generator = [&](rapidjson::Document& document) {
    NumberNotingHandler handler{document, number_indexes};
    rapidjson::MemoryStream stream(json.data(), json.size());
    rapidjson::Reader reader;
    ok = !reader.Parse<rapidjson::kParseNumbersAsStringsFlag>(stream, handler).IsError();
    return ok;
  };
  parsed->document_.Populate(generator);
  if (!ok) {
    error = "the text is not JSON";
    return nullptr;
  }
  std::size_t counter = 0;
  std::size_t next = 0;
  collectNumbers(parsed->document_, number_indexes, counter, next, parsed->numbers_);
  std::sort(parsed->numbers_.begin(), parsed->numbers_.end());
  return parsed;
}

std::shared_ptr<const JsonDocument> JsonDocument::adopt(rapidjson::Document& document) {
  auto adopted = std::make_shared<JsonDocument>();
  adopted->document_.Swap(document);
  return adopted;
}

bool JsonDocument::isNumber(const rapidjson::Value* value) const {
  return std::binary_search(numbers_.begin(), numbers_.end(), value);
}

const JsonDocument::BundleIndex& JsonDocument::bundleIndex() const {
  std::call_once(index_once_, [this] {
    if (stringMember(document_, "resourceType") != "Bundle") {
      return;
    }
    const auto entries = document_.FindMember("entry");
    if (entries == document_.MemberEnd() || !entries->value.IsArray()) {
      return;
    }
    for (const auto& entry : entries->value.GetArray()) {
      if (!entry.IsObject()) {
        continue;
      }
      const auto resource = entry.FindMember("resource");
      if (resource == entry.MemberEnd() || !isResource(resource->value)) {
        continue;
      }
      const rapidjson::Value* found = &resource->value;
      const std::string_view full_url = stringMember(entry, "fullUrl");
      if (!full_url.empty()) {
        index_.by_full_url.emplace(full_url, found);  // the first entry of a fullUrl wins
      }
      const std::string_view id = stringMember(*found, "id");
      if (!id.empty()) {
        std::string key = std::string(stringMember(*found, "resourceType")) + "/" + std::string(id);
        if (!isAbsoluteHttp(full_url)) {
          index_.local_by_type_id.emplace(key, found);
        }
        index_.by_type_id.emplace(std::move(key), found);
      }
    }
  });
  return index_;
}

const rapidjson::Value* JsonDocument::entryByFullUrl(std::string_view url) const {
  const auto& index = bundleIndex().by_full_url;
  const auto found = index.find(url);
  return found == index.end() ? nullptr : found->second;
}

const rapidjson::Value* JsonDocument::entryByTypeAndId(std::string_view type, std::string_view id,
                                                       bool local_only) const {
  const auto& index = local_only ? bundleIndex().local_by_type_id : bundleIndex().by_type_id;
  const auto found = index.find(std::string(type) + "/" + std::string(id));
  return found == index.end() ? nullptr : found->second;
}

}  // namespace rtw::fhir::detail
