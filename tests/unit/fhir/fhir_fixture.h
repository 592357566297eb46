#pragma once
// FHIR resources for the FHIRPath tests: real R4 resources of the shared
// corpus (RTW_CORPUS_DIR/fhir) and the project's own (tests/data/fhir).

#include <string>
#include <string_view>
#include <vector>

#include "rtw/fhir/resource.h"

namespace rtw::fhir::test {

using Values = std::vector<std::string>;

Resource corpus(const std::string& name);  // RTW_CORPUS_DIR/fhir/NAME
Resource data(const std::string& name);    // tests/data/fhir/NAME
Resource golden(const std::string& name);  // tests/golden/NAME
Resource fromJson(std::string_view json);
/// The entry of a Bundle whose resource is the `n`-th (from 0) of `type`.
Resource entry(const Resource& bundle, const std::string& type, std::size_t n = 0);

/// What `path` selects; the test fails on an error (printing it).
Values values(const Resource& resource, std::string_view path);
/// The one value `path` selects ("" when none); fails on an error.
std::string value(const Resource& resource, std::string_view path);
/// The error `path` gives (the test fails when there is none).
std::string error(const Resource& resource, std::string_view path);

}  // namespace rtw::fhir::test
