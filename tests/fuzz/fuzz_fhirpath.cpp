// The FHIRPath subset of mappings/README.md: the parser on any expression
// (what a mapping file may hold), and each expression that parses run
// over a fixed ServiceRequest, as a mapping rule would be.

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "fhirpath.h"
#include "fuzz_support.h"
#include "rtw/mapping/fhir_source.h"

namespace {

const rtw::mapping::FhirSource& resource() {
  static const auto sources = [] {
    std::ifstream in(
        rtw::fuzz::sourceDir() / "tests/golden/westcoast-fhir/servicerequest-referral.json",
        std::ios::binary);
    const std::string json{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::string error;
    return rtw::mapping::FhirSource::parse(json, error);
  }();
  return *sources.front();
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
    if (!path) {
      continue;
    }
    RTW_FUZZ_CHECK(!path->resource_type.empty());
    RTW_FUZZ_CHECK(rtw::fhir::pathResourceType(text) == path->resource_type);
    RTW_FUZZ_CHECK(!allow_every || path->every().has_value() ||
                   text.find("[*]") == std::string_view::npos);
    const std::string first = resource().get(text);
    const std::vector<std::string> all = resource().getAll(text);
    RTW_FUZZ_CHECK(first == (all.empty() ? "" : all.front()));
    if (allow_every) {
      (void)resource().count(text);
    }
  }
  return 0;
}
