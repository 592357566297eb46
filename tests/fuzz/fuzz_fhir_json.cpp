// FHIR R4 resources (JSON) from outside, as mapping sources: the size and
// depth checks before RapidJSON, a Bundle split into its entries, and the
// paths the partners' FHIR mappings read.

#include <array>
#include <string>

#include "fuzz_support.h"
#include "rtw/mapping/fhir_source.h"

namespace {

constexpr std::array kPaths = {
    "ServiceRequest.subject.reference",
    "ServiceRequest.identifier.where(system = 'urn:oid:2.16.840.1.113883.4.50').value",
    "ServiceRequest.code.coding.first().code",
    "Claim.item.count()",
    "Patient.name.where(use = 'official').given.first()",
    "Bundle.entry.exists()",
    "ServiceRequest.contained.where(resourceType = 'Patient').birthDate",
    "Claim.item[1].net.value",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error;
  const auto sources = rtw::mapping::FhirSource::parse(rtw::fuzz::asText(data, size), error);
  RTW_FUZZ_CHECK(error.empty() || sources.empty());
  for (const auto& source : sources) {
    RTW_FUZZ_CHECK(!source->resourceType().empty());
    (void)source->id();
    for (const char* path : kPaths) {
      const auto all = source->getAll(path);
      RTW_FUZZ_CHECK(source->get(path) == (all.empty() ? "" : all.front()));
    }
    (void)source->count("Claim.item[*]");
  }
  return 0;
}
