#pragma once
// A FHIR R4 resource (rtw/fhir/resource.h) as a mapping Source for
// "fhirpath" rules.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/fhir/resource.h"
#include "rtw/mapping/evaluate.h"
#include "rtw/mapping/mapping.h"

namespace rtw::mapping {

class FhirSource final : public Source {
 public:
  explicit FhirSource(fhir::Resource resource) : resource_(std::move(resource)) {}
  /// Parses untrusted JSON: a resource gives one source, a Bundle one per
  /// entry.resource, in order (fhir::translationUnits). Nothing, with
  /// `error` set, when it is not a FHIR resource.
  static std::vector<std::unique_ptr<FhirSource>> parse(std::string_view json, std::string& error);

  const fhir::Resource& resource() const { return resource_; }
  std::string resourceType() const { return resource_.resourceType(); }
  std::string id() const { return resource_.id(); }

  bool serves(SourceKind kind) const override { return kind == SourceKind::kFhirPath; }
  /// The first item of the collection `path` selects, as text; "" when empty.
  std::string get(std::string_view path) const override { return resource_.first(path); }
  /// The first item, or the FHIRPath error that stopped the evaluation.
  Value read(std::string_view path) const override {
    fhir::PathResult result = resource_.evaluate(path);
    return {result.values.empty() ? std::string() : std::move(result.values.front()),
            std::move(result.error)};
  }
  /// The size of the collection `each` ("Claim.item[*]") selects.
  std::size_t count(std::string_view each) const override { return resource_.count(each); }
  Count countItems(std::string_view each) const override {
    Count counted;
    counted.items = resource_.count(each, counted.error);
    return counted;
  }
  /// Every item `path` selects, as text (for tests and traces).
  std::vector<std::string> getAll(std::string_view path) const { return resource_.select(path); }

 private:
  fhir::Resource resource_;
};

/// For fhir::translationUnits: whether `set` has a mapping for a resource
/// type; no test at all (every entry a unit) when `set` is nullptr (a
/// partner whose plugin translates without mappings).
fhir::MappedType mappedResourceTypes(std::shared_ptr<const MappingSet> set);

}  // namespace rtw::mapping
