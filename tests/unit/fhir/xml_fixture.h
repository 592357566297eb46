#pragma once
// What the FHIR XML tests share: files of the shared corpus and of
// tests/data/fhir, the readers with REQUIREd success, and JSON compared as
// FHIR means it (members in any order, numbers by their text, each narrative
// div by its XHTML as both writers write it).

#include <filesystem>
#include <string>
#include <vector>

#include "rtw/fhir/resource.h"

namespace rtw::fhir::test {

std::string readText(const std::filesystem::path& file);

/// RTW_CORPUS_DIR/fhir/*<suffix>, sorted; none is a test failure.
std::vector<std::filesystem::path> corpusFiles(const std::string& suffix);
/// tests/data/fhir/<name>.
std::filesystem::path dataFile(const std::string& name);

Resource xmlResource(const std::string& xml);
Resource jsonResource(const std::string& json);
/// toXml() that must succeed.
std::string xmlOf(const Resource& resource);

/// Empty when the two JSON texts are the same FHIR JSON, else both of them
/// (normalised) for the failure message.
std::string jsonDifference(const std::string& expected, const std::string& actual);

/// `xml` as a FHIR resource in the FHIR namespace: "<Patient xmlns=...>" + body.
std::string resourceXml(const std::string& type, const std::string& body);

/// parseXml()'s error for `xml` (a test failure when it parses).
std::string xmlError(const std::string& xml);

}  // namespace rtw::fhir::test
