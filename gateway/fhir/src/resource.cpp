#include "rtw/fhir/resource.h"

#include <rapidjson/document.h>

#include "fhirpath.h"
#include "fhirpath_eval.h"
#include "json_document.h"
#include "resource_access.h"

namespace rtw::fhir {
namespace {

using detail::isResource;

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

}  // namespace

struct Resource::Node {
  std::shared_ptr<const detail::JsonDocument> document;  // shared by a Bundle's entries
  const rapidjson::Value* root = nullptr;

  std::string member(const char* name) const {
    return std::string(detail::stringMember(*root, name));
  }

  // resolve() looks in the Bundle the resource came from (or is).
  detail::EvaluationContext context(std::size_t every_index, const Variables* variables) const {
    const rapidjson::Value& top = document->root();
    const bool bundle = detail::stringMember(top, "resourceType") == "Bundle";
    return {document.get(), root, bundle ? &top : nullptr, every_index, variables};
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
  // Numbers as written ("100.00" stays "100.00"), not as doubles.
  auto document = detail::JsonDocument::parse(json, error);
  if (document == nullptr || !isResource(document->root())) {
    error = "not a FHIR R4 resource in JSON (an object with a resourceType)";
    return std::nullopt;
  }
  auto node = std::make_shared<Node>();
  node->root = &document->root();
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
      resources.push_back(Resource(std::move(node), variables_));
    }
  }
  return resources;
}

Resource Resource::withVariables(std::shared_ptr<const Variables> variables) const {
  return Resource(node_, std::move(variables));
}

PathResult Resource::evaluate(std::string_view path) const {
  PathResult result;
  const auto parsed = detail::parseFhirPath(path, result.error);
  if (!parsed) {
    return result;
  }
  try {
    detail::Evaluator evaluator(node_->context(0, variables_.get()));
    for (const auto& item : evaluator.evaluate(*parsed->root, evaluator.root())) {
      result.values.push_back(detail::itemText(item, *node_->document));
    }
  } catch (const detail::EvaluationError& e) {
    result.values.clear();
    result.error = e.what();
  }
  return result;
}

std::string Resource::first(std::string_view path) const {
  PathResult result = evaluate(path);
  return result.values.empty() ? std::string() : std::move(result.values.front());
}

std::vector<std::string> Resource::select(std::string_view path) const {
  return evaluate(path).values;
}

std::size_t Resource::count(std::string_view each) const {
  std::string error;
  return count(each, error);
}

std::size_t Resource::count(std::string_view each, std::string& error) const {
  const auto parsed = detail::parseFhirPath(each, error, true);
  if (!parsed) {
    return 0;
  }
  try {
    detail::Evaluator evaluator(node_->context(0, variables_.get()));
    return evaluator.evaluate(*parsed->every->receiver, evaluator.root()).size();
  } catch (const detail::EvaluationError& e) {
    error = e.what();
    return 0;
  }
}

std::vector<Resource> translationUnits(const Resource& resource, std::string& error,
                                       const MappedType& mapped) {
  if (!resource.isBundle()) {
    return {resource};
  }
  std::vector<Resource> entries = resource.entries();
  if (entries.empty()) {
    error = "the Bundle has no entry with a resource";
    return entries;
  }
  if (resource.first("Bundle.type") == "document") {
    if (entries.front().resourceType() != "Composition") {
      error = "a document Bundle must start with its Composition, not a " +
              entries.front().resourceType();
      return {};
    }
    return {entries.front()};
  }
  if (!mapped) {
    return entries;
  }
  std::vector<Resource> units;
  std::string types;
  for (Resource& entry : entries) {
    const std::string type = entry.resourceType();
    if (mapped(type)) {
      units.push_back(std::move(entry));
    } else if (types.find(type) == std::string::npos) {
      types += (types.empty() ? "" : ", ") + type;
    }
  }
  if (units.empty()) {
    error = "no entry of the Bundle is of a type the partner maps (it has " + types + ")";
  }
  return units;
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

Resource detail::ResourceAccess::adopt(std::shared_ptr<rapidjson::Document> document) {
  auto node = std::make_shared<Resource::Node>();
  node->document = detail::JsonDocument::adopt(*document);
  node->root = &node->document->root();
  return Resource(std::move(node));
}

}  // namespace rtw::fhir
