#include "rtw/fhir/bundle.h"

#include <rapidjson/document.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace rtw::fhir {
namespace {

std::string text(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) {
    return {};
  }
  const auto member = object.FindMember(name);
  return member != object.MemberEnd() && member->value.IsString()
             ? std::string(member->value.GetString(), member->value.GetStringLength())
             : std::string();
}

/// Writes numbers as they were read (kParseNumbersAsStringsFlag).
class RawWriter : public rapidjson::Writer<rapidjson::StringBuffer> {
 public:
  using rapidjson::Writer<rapidjson::StringBuffer>::Writer;
};

/// Where each entry's resource is in the Bundle's text (SAX, the stream's
/// offsets): resources are cut out of the text as sent, so their numbers
/// keep how they were written ("100.00").
class ResourceSpans : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ResourceSpans> {
 public:
  explicit ResourceSpans(const rapidjson::StringStream& stream) : stream_(stream) {}

  bool Default() { return true; }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return true; }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (depth_ == 1) {
      root_key_.assign(s, n);
    } else if (depth_ == 3) {
      entry_key_.assign(s, n);
    }
    return true;
  }
  bool StartObject() {
    if (depth_ == 2 && in_entries_) {
      spans.emplace_back(0, 0);
    } else if (depth_ == 3 && in_entries_ && entry_key_ == "resource") {
      start_ = stream_.Tell() - 1;
      resource_depth_ = depth_ + 1;
    }
    ++depth_;
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    if (depth_ == resource_depth_) {
      spans.back() = {start_, stream_.Tell()};
      resource_depth_ = -1;
    }
    --depth_;
    return true;
  }
  bool StartArray() {
    in_entries_ = in_entries_ || (depth_ == 1 && root_key_ == "entry");
    ++depth_;
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    --depth_;
    if (depth_ == 1) {
      in_entries_ = false;
    }
    return true;
  }

  std::vector<std::pair<std::size_t, std::size_t>> spans;  // per entry; (0, 0): no resource

 private:
  const rapidjson::StringStream& stream_;
  int depth_ = 0;
  int resource_depth_ = -1;
  bool in_entries_ = false;
  std::size_t start_ = 0;
  std::string root_key_;
  std::string entry_key_;
};

}  // namespace

std::optional<BundleRequest> readBundle(std::string_view json, std::string& error) {
  rapidjson::Document bundle;
  bundle.Parse<rapidjson::kParseNumbersAsStringsFlag>(json.data(), json.size());
  if (bundle.HasParseError() || !bundle.IsObject() || text(bundle, "resourceType") != "Bundle") {
    error = "not a Bundle in JSON";
    return std::nullopt;
  }
  BundleRequest request;
  request.type = text(bundle, "type");
  if (const auto id = bundle.FindMember("identifier"); id != bundle.MemberEnd()) {
    request.identifier = text(id->value, "system") + "|" + text(id->value, "value");
  }
  const auto entries = bundle.FindMember("entry");
  if (entries == bundle.MemberEnd()) {
    return request;
  }
  if (!entries->value.IsArray()) {
    error = "Bundle.entry is not an array";
    return std::nullopt;
  }
  const std::string copy(json);  // RapidJSON's StringStream wants a NUL at the end
  rapidjson::StringStream stream(copy.c_str());
  ResourceSpans spans(stream);
  rapidjson::Reader reader;
  reader.Parse<rapidjson::kParseNumbersAsStringsFlag>(stream, spans);
  if (spans.spans.size() != entries->value.Size()) {
    error = "the Bundle's entries could not be read";
    return std::nullopt;
  }
  std::size_t index = 0;
  for (const auto& entry : entries->value.GetArray()) {
    if (!entry.IsObject()) {
      error = "a Bundle.entry is not an object";
      return std::nullopt;
    }
    BundleEntry item;
    item.full_url = text(entry, "fullUrl");
    if (const auto req = entry.FindMember("request"); req != entry.MemberEnd()) {
      item.method = text(req->value, "method");
      item.url = text(req->value, "url");
      item.if_none_exist = text(req->value, "ifNoneExist");
    }
    const auto [from, to] = spans.spans[index++];
    if (to > from) {
      item.resource = copy.substr(from, to - from);
    }
    request.entries.push_back(std::move(item));
  }
  return request;
}

std::string bundleResponseJson(const std::string& type, const std::vector<EntryResponse>& entries) {
  rapidjson::StringBuffer buffer;
  RawWriter w(buffer);
  auto put = [&w](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  put("resourceType", "Bundle");
  put("type", type);
  w.Key("entry");
  w.StartArray();
  for (const EntryResponse& entry : entries) {
    w.StartObject();
    w.Key("response");
    w.StartObject();
    put("status", entry.status);
    if (!entry.location.empty()) {
      put("location", entry.location);
    }
    if (!entry.etag.empty()) {
      put("etag", entry.etag);
    }
    if (!entry.last_modified.empty()) {
      put("lastModified", entry.last_modified);
    }
    if (!entry.outcome.empty()) {
      w.Key("outcome");
      w.RawValue(entry.outcome.c_str(), entry.outcome.size(), rapidjson::kObjectType);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace rtw::fhir
