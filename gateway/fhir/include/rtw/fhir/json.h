#pragma once
// A Resource written as FHIR JSON, however it was read (JSON or XML).

#include <string>

#include "rtw/fhir/resource.h"

namespace rtw::fhir {

/// The resource as compact FHIR JSON. Numbers are kept as written (the
/// readers keep their text: "100.00" stays 100.00) and written as JSON
/// numbers where R4 types the element integer or decimal; members R4 does
/// not define are written as they were read.
std::string toJson(const Resource& resource);

}  // namespace rtw::fhir
