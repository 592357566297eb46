// FHIR R4 resources in XML from outside (and, for the writer, in JSON): what
// parseXml() accepts toXml() writes again, that XML reads back to the same
// JSON and writes the same XML (one round makes the fixed point), and the
// JSON toJson() writes the JSON reader reads to the same; a refusal always
// says why. Reads of the partners' paths work on what was read.

#include <array>
#include <string>

#include "fuzz_support.h"
#include "rtw/fhir/json.h"
#include "rtw/fhir/xml.h"

namespace {

namespace fhir = rtw::fhir;

constexpr std::array kPaths = {
    "ServiceRequest.subject.reference",
    "ServiceRequest.contained.where(resourceType = 'Patient').name.given",
    "Patient.name.where(use = 'official').given.first()",
    "Bundle.entry.resource.count()",
    "Claim.item[1].net.value",
};

// `resource` written as XML must read back as itself, and its JSON too.
void checkWrittenBack(const fhir::Resource& resource, bool must_write) {
  std::string error;
  const auto xml = fhir::toXml(resource, error);
  RTW_FUZZ_CHECK(xml.has_value() != !error.empty());
  RTW_FUZZ_CHECK(xml || !must_write);
  if (!xml) {
    return;
  }
  error.clear();
  const auto again = fhir::parseXml(*xml, error);
  RTW_FUZZ_CHECK(again.has_value());
  const std::string json = fhir::toJson(*again);
  std::string rewritten_error;
  const auto rewritten = fhir::toXml(*again, rewritten_error);
  RTW_FUZZ_CHECK(rewritten.has_value());
  const auto third = fhir::parseXml(*rewritten, error);
  RTW_FUZZ_CHECK(third.has_value());
  RTW_FUZZ_CHECK(fhir::toXml(*third, error) == rewritten);
  RTW_FUZZ_CHECK(fhir::toJson(*third) == json);
  if (must_write) {
    // Read from XML already: writing it changed nothing but the narrative's spelling.
    RTW_FUZZ_CHECK(fhir::toJson(resource) == json);
  }
  if (json.size() <= fhir::kMaxJsonBytes) {
    const auto from_json = fhir::Resource::parseJson(json, error);
    RTW_FUZZ_CHECK(from_json.has_value());
    RTW_FUZZ_CHECK(fhir::toJson(*from_json) == json);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = rtw::fuzz::asText(data, size);
  std::string error;
  if (const auto resource = fhir::parseXml(text, error)) {
    RTW_FUZZ_CHECK(error.empty());
    RTW_FUZZ_CHECK(!resource->resourceType().empty());
    for (const char* path : kPaths) {
      const auto all = resource->select(path);
      RTW_FUZZ_CHECK(resource->first(path) == (all.empty() ? "" : all.front()));
    }
    for (const auto& entry : resource->entries()) {
      (void)entry.id();
    }
    checkWrittenBack(*resource, true);
    return 0;
  }
  RTW_FUZZ_CHECK(!error.empty());
  // Not FHIR XML: as JSON, what toXml() writes of it must read back.
  if (const auto resource = fhir::Resource::parseJson(text, error)) {
    (void)fhir::toJson(*resource);
    checkWrittenBack(*resource, false);
  }
  return 0;
}
