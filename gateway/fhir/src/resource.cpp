#include "rtw/fhir/resource.h"

#include <rapidjson/document.h>

#include "fhirpath.h"
#include "resource_access.h"

namespace rtw::fhir {
namespace {

using detail::FhirPath;
using detail::FhirStep;

// RapidJSON's DOM parser recurses once per level: refuse deep nesting first.
bool nestsTooDeep(std::string_view json) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        return true;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

// An item of a FHIRPath collection: a JSON value, or a computed count/boolean.
struct Item {
  const rapidjson::Value* json = nullptr;
  std::string computed;
};
using Collection = std::vector<Item>;

std::string text(const Item& item) {
  if (item.json == nullptr) {
    return item.computed;
  }
  if (item.json->IsString()) {
    return {item.json->GetString(), item.json->GetStringLength()};
  }
  if (item.json->IsBool()) {
    return item.json->GetBool() ? "true" : "false";
  }
  return {};  // objects and arrays have no text of their own
}

// A member step flattens: an array member adds each of its elements.
Collection member(const Collection& input, const std::string& name) {
  Collection output;
  for (const auto& item : input) {
    if (item.json == nullptr || !item.json->IsObject()) {
      continue;
    }
    const auto found = item.json->FindMember(name.c_str());
    if (found == item.json->MemberEnd() || found->value.IsNull()) {
      continue;
    }
    if (found->value.IsArray()) {
      for (const auto& element : found->value.GetArray()) {
        output.push_back({&element, {}});
      }
    } else {
      output.push_back({&found->value, {}});
    }
  }
  return output;
}

bool matches(const Item& item, const FhirStep& where) {
  for (const auto& [path, literal] : where.tests) {
    Collection values{item};
    for (const auto& name : path) {
      values = member(values, name);
    }
    bool equal = false;
    for (const auto& value : values) {
      equal = equal || text(value) == literal;
    }
    if (!equal) {
      return false;
    }
  }
  return true;
}

Collection apply(const FhirStep& step, Collection input, std::size_t every_index) {
  switch (step.kind) {
    case FhirStep::Kind::kMember:
      return member(input, step.name);
    case FhirStep::Kind::kIndex:
    case FhirStep::Kind::kEvery: {
      const std::size_t index = step.kind == FhirStep::Kind::kIndex ? step.index : every_index;
      return index < input.size() ? Collection{input[index]} : Collection{};
    }
    case FhirStep::Kind::kFirst:
      return input.empty() ? Collection{} : Collection{input.front()};
    case FhirStep::Kind::kLast:
      return input.empty() ? Collection{} : Collection{input.back()};
    case FhirStep::Kind::kCount:
      return {{nullptr, std::to_string(input.size())}};
    case FhirStep::Kind::kExists:
      return {{nullptr, input.empty() ? "false" : "true"}};
    case FhirStep::Kind::kWhere: {
      Collection output;
      for (const auto& item : input) {
        if (matches(item, step)) {
          output.push_back(item);
        }
      }
      return output;
    }
  }
  return {};
}

bool isResource(const rapidjson::Value& value) {
  if (!value.IsObject()) {
    return false;
  }
  const auto type = value.FindMember("resourceType");
  return type != value.MemberEnd() && type->value.IsString();
}

}  // namespace

struct Resource::Node {
  std::shared_ptr<const rapidjson::Document> document;  // shared by a Bundle's entries
  const rapidjson::Value* root = nullptr;

  // `every_index` stands for the "[*]" of a repeat's path (stops there when npos).
  Collection evaluate(const FhirPath& path, std::size_t every_index) const {
    if (path.resource_type != member("resourceType")) {
      return {};
    }
    Collection items{{root, {}}};
    for (const auto& step : path.steps) {
      if (step.kind == FhirStep::Kind::kEvery && every_index == std::string::npos) {
        break;
      }
      items = apply(step, std::move(items), every_index);
    }
    return items;
  }

  std::string member(const char* name) const {
    const auto found = root->FindMember(name);
    return found != root->MemberEnd() && found->value.IsString()
               ? std::string(found->value.GetString(), found->value.GetStringLength())
               : "";
  }
};

std::optional<Resource> Resource::parseJson(std::string_view json, std::string& error) {
  if (json.size() > kMaxJsonBytes) {
    error = "the FHIR resource is larger than 8 MiB";
    return std::nullopt;
  }
  if (nestsTooDeep(json)) {
    error = "the FHIR resource nests deeper than " + std::to_string(kMaxJsonDepth);
    return std::nullopt;
  }
  auto document = std::make_shared<rapidjson::Document>();
  // Numbers as written ("100.00" stays "100.00"), not as doubles.
  document->Parse<rapidjson::kParseNumbersAsStringsFlag>(json.data(), json.size());
  if (document->HasParseError() || !isResource(*document)) {
    error = "not a FHIR R4 resource in JSON (an object with a resourceType)";
    return std::nullopt;
  }
  auto node = std::make_shared<Node>();
  node->root = document.get();
  node->document = std::move(document);
  return Resource(std::move(node));
}

std::string Resource::resourceType() const { return node_->member("resourceType"); }
std::string Resource::id() const { return node_->member("id"); }

std::vector<Resource> Resource::entries() const {
  std::vector<Resource> resources;
  if (!isBundle()) {
    return resources;
  }
  const auto entries = node_->root->FindMember("entry");
  if (entries == node_->root->MemberEnd() || !entries->value.IsArray()) {
    return resources;
  }
  for (const auto& entry : entries->value.GetArray()) {
    // An entry that is not an object has no members to look at (RapidJSON's
    // MemberEnd() on it reads past a non-object: found by fuzz_fhir_json).
    if (!entry.IsObject()) {
      continue;
    }
    const auto resource = entry.FindMember("resource");
    if (resource != entry.MemberEnd() && isResource(resource->value)) {
      auto node = std::make_shared<Node>();
      node->document = node_->document;
      node->root = &resource->value;
      resources.push_back(Resource(std::move(node)));
    }
  }
  return resources;
}

std::string Resource::first(std::string_view path) const {
  std::string error;
  const auto parsed = detail::parseFhirPath(path, error);
  if (!parsed) {
    return {};
  }
  const Collection items = node_->evaluate(*parsed, 0);
  return items.empty() ? std::string() : text(items.front());
}

std::vector<std::string> Resource::select(std::string_view path) const {
  std::string error;
  const auto parsed = detail::parseFhirPath(path, error);
  std::vector<std::string> values;
  if (parsed) {
    for (const auto& item : node_->evaluate(*parsed, 0)) {
      values.push_back(text(item));
    }
  }
  return values;
}

std::size_t Resource::count(std::string_view each) const {
  std::string error;
  const auto parsed = detail::parseFhirPath(each, error, true);
  return parsed ? node_->evaluate(*parsed, std::string::npos).size() : 0;
}

std::vector<Resource> translationUnits(const Resource& resource, std::string& error) {
  if (!resource.isBundle()) {
    return {resource};
  }
  std::vector<Resource> entries = resource.entries();
  if (entries.empty()) {
    error = "the Bundle has no entry with a resource";
  }
  return entries;
}

std::string checkPath(std::string_view path, bool allow_every) {
  std::string error;
  return detail::parseFhirPath(path, error, allow_every) ? "" : error;
}

std::string pathResourceType(std::string_view path) {
  std::string error;
  if (const auto parsed = detail::parseFhirPath(path, error, true)) {
    return parsed->resource_type;
  }
  const auto plain = detail::parseFhirPath(path, error, false);
  return plain ? plain->resource_type : "";
}

const rapidjson::Value& detail::ResourceAccess::json(const Resource& resource) {
  return *resource.node_->root;
}

Resource detail::ResourceAccess::adopt(std::shared_ptr<const rapidjson::Document> document) {
  auto node = std::make_shared<Resource::Node>();
  node->root = document.get();
  node->document = std::move(document);
  return Resource(std::move(node));
}

}  // namespace rtw::fhir
