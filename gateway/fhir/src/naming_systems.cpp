#include "rtw/fhir/naming_systems.h"

namespace rtw::fhir {
namespace {

constexpr std::string_view kUcum[] = {"http://unitsofmeasure.org"};
constexpr std::string_view kSnomed[] = {"http://snomed.info/sct"};
constexpr std::string_view kLoinc[] = {"http://loinc.org"};

}  // namespace

bool isGatewayVariable(std::string_view name) {
  for (const std::string_view known : kGatewayVariables) {
    if (known == name) {
      return true;
    }
  }
  return false;
}

std::span<const std::string_view> environmentVariable(std::string_view name) {
  if (name == "bcPhnSystems") {
    return kBcPhnSystems;
  }
  if (name == "onHcnSystems") {
    return kOnHcnSystems;
  }
  if (name == "identifierVersionUrls") {
    return kIdentifierVersionUrls;
  }
  if (name == "ucum") {
    return kUcum;
  }
  if (name == "sct") {
    return kSnomed;
  }
  if (name == "loinc") {
    return kLoinc;
  }
  return {};
}

}  // namespace rtw::fhir
