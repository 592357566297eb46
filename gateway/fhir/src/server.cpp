#include "rtw/fhir/server.h"

#include <cstdint>
#include <initializer_list>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace rtw::fhir {
namespace {

using rapidjson::Value;

std::string written(const rapidjson::Document& document) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  document.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

Value text(const std::string& value, rapidjson::Document::AllocatorType& allocator) {
  return Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

/// [{"code": ...}] for each interaction.
Value interactions(std::initializer_list<const char*> codes,
                   rapidjson::Document::AllocatorType& allocator) {
  Value list(rapidjson::kArrayType);
  for (const char* code : codes) {
    Value interaction(rapidjson::kObjectType);
    interaction.AddMember("code", rapidjson::StringRef(code), allocator);
    list.PushBack(interaction, allocator);
  }
  return list;
}

}  // namespace

std::string operationOutcomeJson(const std::vector<Issue>& issues) {
  rapidjson::Document outcome(rapidjson::kObjectType);
  auto& a = outcome.GetAllocator();
  outcome.AddMember("resourceType", "OperationOutcome", a);
  Value list(rapidjson::kArrayType);
  for (const Issue& issue : issues) {
    Value item(rapidjson::kObjectType);
    item.AddMember("severity", text(issue.severity, a), a);
    item.AddMember("code", text(issue.code, a), a);
    if (!issue.diagnostics.empty()) {
      item.AddMember("diagnostics", text(issue.diagnostics, a), a);
    }
    if (!issue.expression.empty()) {
      Value expressions(rapidjson::kArrayType);
      for (const std::string& expression : issue.expression) {
        expressions.PushBack(text(expression, a), a);
      }
      item.AddMember("expression", expressions, a);
    }
    list.PushBack(item, a);
  }
  outcome.AddMember("issue", list, a);
  return written(outcome);
}

std::string capabilityStatementJson(const std::string& base_url,
                                    const std::vector<std::string>& types,
                                    const std::string& software_version, const std::string& date) {
  rapidjson::Document cs(rapidjson::kObjectType);
  auto& a = cs.GetAllocator();
  cs.AddMember("resourceType", "CapabilityStatement", a);
  cs.AddMember("status", "active", a);
  cs.AddMember("date", text(date, a), a);
  cs.AddMember("publisher", "RTW Gateway", a);
  cs.AddMember("kind", "instance", a);
  Value software(rapidjson::kObjectType);
  software.AddMember("name", "rtw-gateway", a);
  software.AddMember("version", text(software_version, a), a);
  cs.AddMember("software", software, a);
  Value implementation(rapidjson::kObjectType);
  implementation.AddMember("description", "RTW Gateway: FHIR R4 intake for the boards", a);
  implementation.AddMember("url", text(base_url, a), a);
  cs.AddMember("implementation", implementation, a);
  cs.AddMember("fhirVersion", "4.0.1", a);
  Value formats(rapidjson::kArrayType);
  formats.PushBack("json", a);
  formats.PushBack("xml", a);
  cs.AddMember("format", formats, a);
  Value rest(rapidjson::kObjectType);
  rest.AddMember("mode", "server", a);
  Value security(rapidjson::kObjectType);
  security.AddMember("description", "Mutual TLS: the client certificate names the partner", a);
  rest.AddMember("security", security, a);
  Value resources(rapidjson::kArrayType);
  for (const std::string& type : types) {
    Value resource(rapidjson::kObjectType);
    resource.AddMember("type", text(type, a), a);
    resource.AddMember("interaction", interactions({"create", "read"}, a), a);
    resource.AddMember("versioning", "no-version", a);
    resource.AddMember("readHistory", false, a);
    resource.AddMember("updateCreate", false, a);
    resource.AddMember("conditionalCreate", true, a);
    resources.PushBack(resource, a);
  }
  rest.AddMember("resource", resources, a);
  // POST [base]: a transaction (all or nothing) or a batch of creates.
  rest.AddMember("interaction", interactions({"transaction", "batch"}, a), a);
  Value rests(rapidjson::kArrayType);
  rests.PushBack(rest, a);
  cs.AddMember("rest", rests, a);
  return written(cs);
}

namespace {

/// Copies a resource's JSON event by event (numbers as written: "100.00"
/// stays 100.00), leaving out the root's id and meta.versionId /
/// meta.lastUpdated and writing the server's instead.
class ServerFieldsCopy {
 public:
  ServerFieldsCopy(rapidjson::Writer<rapidjson::StringBuffer>& out, const std::string& id,
                   const std::string& version_id, const std::string& last_updated,
                   const std::map<std::string, std::string>& references)
      : out_(out),
        id_(id),
        version_id_(version_id),
        last_updated_(last_updated),
        references_(references) {}

  bool Null() {
    return scalar([&] { return out_.Null(); });
  }
  bool Bool(bool b) {
    return scalar([&] { return out_.Bool(b); });
  }
  bool Int(int) { return false; }  // numbers come raw (kParseNumbersAsStringsFlag)
  bool Uint(unsigned) { return false; }
  bool Int64(std::int64_t) { return false; }
  bool Uint64(std::uint64_t) { return false; }
  bool Double(double) { return false; }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    return scalar([&] { return out_.RawValue(s, n, rapidjson::kNumberType); });
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (key_ == "reference" && !references_.empty()) {
      if (const auto found = references_.find(std::string(s, n)); found != references_.end()) {
        return scalar([&] {
          return out_.String(found->second.c_str(),
                             static_cast<rapidjson::SizeType>(found->second.size()));
        });
      }
    }
    return scalar([&] { return out_.String(s, n); });
  }
  bool StartObject() {
    const bool skip = enter();
    ++depth_;
    in_meta_.push_back(!skip && depth_ == 2 && key_ == "meta");
    return skip || out_.StartObject();
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    key_.assign(s, n);
    skip_value_ = (depth_ == 1 && key_ == "id") ||
                  (in_meta_.back() && (key_ == "versionId" || key_ == "lastUpdated"));
    if (depth_ == 1 && key_ == "meta") {
      seen_meta_ = true;
    }
    return skip_value_ || skipping() || out_.Key(s, n);
  }
  bool EndObject(rapidjson::SizeType) {
    key_.clear();  // a string after it is an array's item, not this member's value
    const bool was_meta = in_meta_.back();
    in_meta_.pop_back();
    --depth_;
    if (skipped_depth_ > 0 && depth_ + 1 == skipped_depth_) {
      skipped_depth_ = 0;
      return true;
    }
    if (skipping()) {
      return true;
    }
    if (was_meta) {
      writeMetaFields();
    }
    if (depth_ == 0) {
      out_.Key("id");
      out_.String(id_.c_str(), static_cast<rapidjson::SizeType>(id_.size()));
      if (!seen_meta_) {
        out_.Key("meta");
        out_.StartObject();
        writeMetaFields();
        out_.EndObject();
      }
    }
    return out_.EndObject();
  }
  bool StartArray() {
    const bool skip = enter();
    ++depth_;
    in_meta_.push_back(false);
    return skip || out_.StartArray();
  }
  bool EndArray(rapidjson::SizeType) {
    in_meta_.pop_back();
    --depth_;
    if (skipped_depth_ > 0 && depth_ + 1 == skipped_depth_) {
      skipped_depth_ = 0;
      return true;
    }
    return skipping() || out_.EndArray();
  }

 private:
  bool skipping() const { return skipped_depth_ > 0; }
  /// A scalar: left out when it is a skipped member's value (which it
  /// ends) or inside a skipped one, else written.
  template <class Write>
  bool scalar(Write write) {
    if (skip_value_) {
      skip_value_ = false;
      return true;
    }
    return skipping() || write();
  }
  /// An object or array that is a skipped member's value is left out whole.
  bool enter() {
    if (skip_value_) {
      skip_value_ = false;
      skipped_depth_ = depth_ + 1;
    }
    return skipping();
  }
  void writeMetaFields() {
    out_.Key("versionId");
    out_.String(version_id_.c_str(), static_cast<rapidjson::SizeType>(version_id_.size()));
    out_.Key("lastUpdated");
    out_.String(last_updated_.c_str(), static_cast<rapidjson::SizeType>(last_updated_.size()));
  }

  rapidjson::Writer<rapidjson::StringBuffer>& out_;
  const std::string& id_;
  const std::string& version_id_;
  const std::string& last_updated_;
  const std::map<std::string, std::string>& references_;
  int depth_ = 0;
  int skipped_depth_ = 0;
  bool skip_value_ = false;
  bool seen_meta_ = false;
  std::string key_;
  std::vector<bool> in_meta_;
};

}  // namespace

std::string withServerFields(std::string_view json, const std::string& id,
                             const std::string& version_id, const std::string& last_updated,
                             std::string& error,
                             const std::map<std::string, std::string>& references) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  ServerFieldsCopy copy(writer, id, version_id, last_updated, references);
  rapidjson::Reader reader;
  rapidjson::MemoryStream stream(json.data(), json.size());
  const rapidjson::ParseResult result =
      reader.Parse<rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseStopWhenDoneFlag>(
          stream, copy);
  if (!result) {
    error = std::string("not a resource the server can store: ") +
            rapidjson::GetParseError_En(result.Code());
    return {};
  }
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace rtw::fhir
