#include "fhir_fixture.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

namespace rtw::fhir::test {
namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  INFO(path);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Resource fromJson(std::string_view json) {
  std::string problem;
  auto resource = Resource::parseJson(json, problem);
  INFO(problem);
  REQUIRE(resource.has_value());
  return *resource;
}

Resource corpus(const std::string& name) {
  return fromJson(readFile(std::string(RTW_CORPUS_DIR) + "/fhir/" + name));
}

Resource data(const std::string& name) {
  return fromJson(readFile(std::string(RTW_SOURCE_DIR) + "/tests/data/fhir/" + name));
}

Resource golden(const std::string& name) {
  return fromJson(readFile(std::string(RTW_SOURCE_DIR) + "/tests/golden/" + name));
}

Resource entry(const Resource& bundle, const std::string& type, std::size_t n) {
  for (const Resource& resource : bundle.entries()) {
    if (resource.resourceType() == type && n-- == 0) {
      return resource;
    }
  }
  FAIL("the Bundle has no such entry: " << type);
  return bundle;
}

Values values(const Resource& resource, std::string_view path) {
  PathResult result = resource.evaluate(path);
  INFO(path);
  INFO(result.error);
  REQUIRE(result.error.empty());
  return result.values;
}

std::string value(const Resource& resource, std::string_view path) {
  const Values all = values(resource, path);
  INFO(path);
  REQUIRE(all.size() <= 1);
  return all.empty() ? std::string() : all.front();
}

std::string error(const Resource& resource, std::string_view path) {
  const PathResult result = resource.evaluate(path);
  INFO(path);
  REQUIRE_FALSE(result.error.empty());
  CHECK(result.values.empty());
  return result.error;
}

}  // namespace rtw::fhir::test
