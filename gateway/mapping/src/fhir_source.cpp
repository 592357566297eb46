#include "rtw/mapping/fhir_source.h"

namespace rtw::mapping {

std::vector<std::unique_ptr<FhirSource>> FhirSource::parse(std::string_view json,
                                                           std::string& error) {
  std::vector<std::unique_ptr<FhirSource>> sources;
  const std::optional<fhir::Resource> resource = fhir::Resource::parseJson(json, error);
  if (!resource) {
    return sources;
  }
  for (fhir::Resource& unit : fhir::translationUnits(*resource, error)) {
    sources.push_back(std::make_unique<FhirSource>(std::move(unit)));
  }
  return sources;
}

fhir::MappedType mappedResourceTypes(std::shared_ptr<const MappingSet> set) {
  if (set == nullptr) {
    return {};
  }
  return [set = std::move(set)](std::string_view type) { return set->find(type) != nullptr; };
}

}  // namespace rtw::mapping
