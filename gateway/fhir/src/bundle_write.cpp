#include "rtw/fhir/bundle.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace rtw::fhir {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void writeEntry(Writer& w, const StoredEntry& entry) {
  w.StartObject();
  if (!entry.full_url.empty()) {
    put(w, "fullUrl", entry.full_url);
  }
  if (!entry.resource.empty()) {
    w.Key("resource");
    w.RawValue(entry.resource.c_str(), entry.resource.size(), rapidjson::kObjectType);
  }
  if (!entry.method.empty()) {
    w.Key("request");
    w.StartObject();
    put(w, "method", entry.method);
    put(w, "url", entry.url);
    if (!entry.if_none_exist.empty()) {
      put(w, "ifNoneExist", entry.if_none_exist);
    }
    w.EndObject();
  }
  if (!entry.status.empty()) {
    w.Key("response");
    w.StartObject();
    put(w, "status", entry.status);
    if (!entry.location.empty()) {
      put(w, "location", entry.location);
    }
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

std::string storedBundleJson(const StoredBundle& bundle) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  put(w, "resourceType", "Bundle");
  put(w, "id", bundle.id);
  w.Key("meta");
  w.StartObject();
  put(w, "versionId", "1");
  put(w, "lastUpdated", bundle.last_updated);
  w.EndObject();
  if (const auto bar = bundle.identifier.find('|'); bar != std::string::npos) {
    w.Key("identifier");
    w.StartObject();
    if (bar > 0) {
      put(w, "system", bundle.identifier.substr(0, bar));
    }
    put(w, "value", bundle.identifier.substr(bar + 1));
    w.EndObject();
  }
  put(w, "type", bundle.type);
  w.Key("entry");
  w.StartArray();
  for (const StoredEntry& entry : bundle.entries) {
    writeEntry(w, entry);
  }
  w.EndArray();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace rtw::fhir
