// FHIR's own FHIRPath functions: resolve() and extension(url).
//
// resolve() finds what a Reference (or a reference string) names without
// any network: "#id" a contained resource of the resource holding the
// reference ("#" the resource itself); otherwise an entry of the Bundle
// the resource came from, by fullUrl ("urn:uuid:...", an absolute URL),
// then by "Type/id" (also "Type/id/_history/n") against the entries'
// resourceType and id — for an absolute URL ending in Type/id only entries
// that have no http(s) fullUrl of their own (another server's resource is
// not the same one). Anything else (a logical reference by identifier, a
// resource outside the Bundle) resolves to nothing: empty, not an error.

#include "fhirpath_builtins.h"
#include "fhirpath_types.h"

namespace rtw::fhir::detail::builtins {
namespace {

struct TypeAndId {
  std::string_view type;
  std::string_view id;
};

// "…/Patient/123" or "…/Patient/123/_history/2" → {Patient, 123}.
TypeAndId typeAndId(std::string_view reference) {
  if (const auto history = reference.find("/_history/"); history != std::string_view::npos) {
    reference = reference.substr(0, history);
  }
  const auto slash = reference.rfind('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == reference.size()) {
    return {};
  }
  const std::string_view id = reference.substr(slash + 1);
  const std::string_view before = reference.substr(0, slash);
  const auto type_start = before.rfind('/');
  const std::string_view type =
      type_start == std::string_view::npos ? before : before.substr(type_start + 1);
  return isResourceType(type) ? TypeAndId{type, id} : TypeAndId{};
}

bool isAbsolute(std::string_view reference) {
  return reference.find("://") != std::string_view::npos;
}

std::string_view referenceText(const Item& item) {
  if (item.kind == Item::Kind::kString) {
    return item.text;
  }
  if (item.kind != Item::Kind::kNode || item.node == nullptr) {
    return {};
  }
  if (item.node->IsString()) {
    return {item.node->GetString(), item.node->GetStringLength()};
  }
  return stringMember(*item.node, "reference");
}

}  // namespace

Collection resolve(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  Collection out;
  const JsonDocument& document = e.document();
  for (const Item& item : input) {
    const std::string_view reference = referenceText(item);
    if (reference.empty()) {
      continue;
    }
    const rapidjson::Value* owner = item.owner != nullptr ? item.owner : e.context().resource;
    Item found;
    if (reference[0] == '#') {
      found.node = reference.size() == 1 ? owner : e.contained(owner, reference.substr(1));
      found.owner = owner;
    } else if (e.context().bundle != nullptr) {
      found.node = document.entryByFullUrl(reference);
      if (found.node == nullptr) {
        const TypeAndId name = typeAndId(reference);
        found.node = name.type.empty()
                         ? nullptr
                         : document.entryByTypeAndId(name.type, name.id, isAbsolute(reference));
      }
      found.owner = found.node;
    }
    if (found.node != nullptr) {
      found.type = stringMember(*found.node, "resourceType");
      out.push_back(std::move(found));
    }
  }
  e.checkSize(out, call);
  return out;
}

Collection extension(Evaluator& e, const Expr& call, Collection input, const Collection& focus) {
  const std::optional<std::string> url = stringArgument(e, call, 0, focus);
  if (!url) {
    return {};
  }
  Collection out;
  for (Item& item : e.member(input, "extension")) {
    if (item.node != nullptr && stringMember(*item.node, "url") == *url) {
      out.push_back(std::move(item));
    }
  }
  return out;
}

}  // namespace rtw::fhir::detail::builtins
