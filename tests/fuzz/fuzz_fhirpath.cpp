// The FHIRPath of mappings/README.md: the parser on any expression (what a
// mapping file may hold), and each expression that parses run over a
// ServiceRequest with contained resources and over the entries of a
// transaction Bundle with urn:uuid references, as mapping rules would be.

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "fhirpath.h"
#include "fuzz_support.h"
#include "rtw/mapping/fhir_source.h"

namespace {

std::vector<std::unique_ptr<rtw::mapping::FhirSource>> load(const char* file) {
  std::ifstream in(rtw::fuzz::sourceDir() / file, std::ios::binary);
  const std::string json{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::string error;
  return rtw::mapping::FhirSource::parse(json, error);
}

// The resources every expression runs on.
const std::vector<const rtw::mapping::FhirSource*>& resources() {
  static const auto sources = [] {
    std::vector<std::unique_ptr<rtw::mapping::FhirSource>> all =
        load("tests/golden/westcoast-fhir/servicerequest-referral.json");
    for (auto& entry : load("tests/data/fhir/transaction-referral.json")) {
      all.push_back(std::move(entry));
    }
    return all;
  }();
  static const auto pointers = [] {
    std::vector<const rtw::mapping::FhirSource*> list;
    for (const auto& source : sources) {
      list.push_back(source.get());
    }
    return list;
  }();
  return pointers;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = rtw::fuzz::asText(data, size);
  for (const bool allow_every : {false, true}) {
    std::string error;
    const auto path = rtw::fhir::detail::parseFhirPath(text, error, allow_every);
    const std::string problem = rtw::fhir::checkPath(text, allow_every);
    RTW_FUZZ_CHECK(path.has_value() == problem.empty());
    RTW_FUZZ_CHECK(path.has_value() == error.empty());
    // Every refusal says where, but the one for length.
    RTW_FUZZ_CHECK(path.has_value() || error.find("(at character ") != std::string::npos ||
                   text.size() > rtw::fhir::detail::kMaxExpressionBytes);
    if (!path) {
      continue;
    }
    RTW_FUZZ_CHECK(!path->resource_type.empty());
    RTW_FUZZ_CHECK(rtw::fhir::pathResourceType(text) == path->resource_type);
    RTW_FUZZ_CHECK(!allow_every || path->every != nullptr);
    for (const rtw::mapping::FhirSource* resource : resources()) {
      const rtw::fhir::PathResult result = resource->resource().evaluate(text);
      RTW_FUZZ_CHECK(result.error.empty() || result.values.empty());
      RTW_FUZZ_CHECK(result.values.size() <= rtw::fhir::detail::kMaxCollectionItems);
      const std::string first = resource->get(text);
      RTW_FUZZ_CHECK(first == (result.values.empty() ? "" : result.values.front()));
      RTW_FUZZ_CHECK(resource->getAll(text) == result.values);
      if (allow_every) {
        (void)resource->count(text);
      }
    }
  }
  return 0;
}
