// FHIR XML from outside that tries more than carrying a resource: DOCTYPEs
// and entities, XInclude, broken, oversized or deeply nested text. None of it
// may read a file, touch the network, expand anything or print to stderr, and
// each gets one sentence.

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <Poco/TemporaryFile.h>

#include "../worksafe/stderr_capture.h"
#include "rtw/fhir/json.h"
#include "rtw/fhir/xml.h"
#include "xml_fixture.h"

using namespace rtw::fhir;
using namespace rtw::fhir::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using rtw::worksafe::test::StderrCapture;

namespace {

namespace fs = std::filesystem;

struct SecretFile {
  fs::path dir = Poco::TemporaryFile::tempName();
  fs::path file = dir / "secret.txt";
  SecretFile() {
    fs::create_directories(dir);
    std::ofstream(file) << "TOP-SECRET-MARKER";
  }
  ~SecretFile() { fs::remove_all(dir); }
};

// A Patient whose extension nests `levels` deep (each level an object in
// an array: two levels of JSON).
std::string nestedExtensions(int levels) {
  std::string xml;
  for (int i = 0; i < levels; ++i) {
    xml += "<extension url=\"http://example.org/e\">";
  }
  xml += "<valueBoolean value=\"true\"/>";
  for (int i = 0; i < levels; ++i) {
    xml += "</extension>";
  }
  return resourceXml("Patient", xml);
}

}  // namespace

TEST_CASE("a DOCTYPE is refused before any entity is read or expanded") {
  const SecretFile secret;
  const std::string external =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE Patient [\n"
      "  <!ENTITY xxe SYSTEM \"file://" +
      secret.file.string() + "\">\n]>\n" + resourceXml("Patient", "<gender value=\"&xxe;\"/>");
  std::string laughs = "<!DOCTYPE Patient [<!ENTITY lol \"lol\">";
  for (int level = 1; level <= 9; ++level) {
    const std::string previous = level == 1 ? "lol" : "lol" + std::to_string(level - 1);
    laughs += "<!ENTITY lol" + std::to_string(level) + " \"";
    for (int i = 0; i < 10; ++i) {
      laughs += "&" + previous + ";";
    }
    laughs += "\">";
  }
  laughs += "]>" + resourceXml("Patient", "<name><text value=\"&lol9;\"/></name>");
  const std::string network = "<!DOCTYPE Patient SYSTEM \"http://127.0.0.1:9/fhir.dtd\">" +
                              resourceXml("Patient", "<active value=\"true\"/>");
  const std::string parameter = "<!DOCTYPE Patient [<!ENTITY % p SYSTEM \"file://" +
                                secret.file.string() + "\"> %p;]>" + resourceXml("Patient", "");
  StderrCapture stderr_capture;
  for (const std::string& xml : {external, laughs, network, parameter}) {
    const auto started = std::chrono::steady_clock::now();
    const std::string error = xmlError(xml);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    CHECK(error == "a DOCTYPE is not accepted (FHIR XML has none)");
  }
  CHECK(stderr_capture.text().empty());
}

TEST_CASE("an XInclude is an element outside FHIR, never followed") {
  const SecretFile secret;
  const std::string xml = resourceXml(
      "Patient", "<name><text><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"" +
                     secret.file.string() + "\" parse=\"text\"/></text></name>");
  const std::string error = xmlError(xml);
  CHECK(error ==
        "line 1: <include> in Patient.name[0].text is not in the FHIR namespace "
        "http://hl7.org/fhir");
  CHECK(error.find("TOP-SECRET") == std::string::npos);
  // Inside a narrative too.
  CHECK_THAT(xmlError(resourceXml(
                 "Patient",
                 "<text><status value=\"generated\"/><div xmlns=\"http://www.w3.org/1999/xhtml\">"
                 "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"" +
                     secret.file.string() + "\" parse=\"text\"/></div></text>")),
             Contains("the narrative holds <include>, which is not in the XHTML namespace"));
}

TEST_CASE("XML that does not parse is one sentence with its line, never its bytes") {
  StderrCapture stderr_capture;
  CHECK_THAT(xmlError(resourceXml("Patient", "\n\n<name><family value=\"K\"/></nam>")),
             StartsWith("not well-formed XML: line 3: "));
  CHECK_THAT(xmlError(resourceXml("Patient", "<gender value=\"&xxe;\"/>")),
             Contains("xxe"));  // an entity without a DOCTYPE: undeclared
  const std::string bad_bytes =
      xmlError(resourceXml("Patient", "<name><family value=\"Jane\xC3\x28\"/></name>"));
  CHECK_THAT(bad_bytes, StartsWith("not well-formed XML: line 1: "));
  CHECK(bad_bytes.find("0xC3") == std::string::npos);
  CHECK(xmlError("") == "not well-formed XML: empty document");
  CHECK_THAT(xmlError("{\"resourceType\": \"Patient\"}"), StartsWith("not well-formed XML"));
  CHECK(stderr_capture.text().empty());
}

TEST_CASE("limits: bytes before parsing, and the depth of the JSON the XML would give") {
  XmlLimits limits;
  limits.max_bytes = 100;
  std::string error;
  const std::string large =
      resourceXml("Patient", "<name><text value=\"" + std::string(200, 'x') + "\"/></name>");
  CHECK_FALSE(parseXml(large, error, limits));
  CHECK(error == "the FHIR resource is larger than 100 bytes");

  // The default limits are the JSON reader's: 8 MiB, 64 levels.
  CHECK(xmlError(resourceXml("Basic", std::string(kMaxJsonBytes, ' '))) ==
        "the FHIR resource is larger than 8388608 bytes");
  // Patient {extension [ {extension [ ... ]} ]}: 1 + 2 a level.
  const std::string deepest = toJson(xmlResource(nestedExtensions(31)));
  std::size_t levels = 0;
  for (std::size_t at = deepest.find("\"extension\":[{"); at != std::string::npos;
       at = deepest.find("\"extension\":[{", at + 1)) {
    ++levels;
  }
  CHECK(levels == 31);
  CHECK(xmlError(nestedExtensions(32)) == "line 1: the FHIR resource nests deeper than 64");
  // What the JSON reader says of the same resource in JSON.
  std::string json = R"({"resourceType":"Patient")";
  for (int i = 0; i < 32; ++i) {
    json += R"(,"extension":[{"url":"http://example.org/e")";
  }
  json += R"(,"valueBoolean":true)";
  for (int i = 0; i < 32; ++i) {
    json += "}]";
  }
  json += "}";
  CHECK_FALSE(Resource::parseJson(json, error));
  CHECK(error == "the FHIR resource nests deeper than 64");

  limits = XmlLimits{};
  limits.max_depth = 5;
  CHECK(parseXml(nestedExtensions(2), error, limits));
  CHECK_FALSE(parseXml(nestedExtensions(3), error, limits));
  CHECK(error == "line 1: the FHIR resource nests deeper than 5");
}

TEST_CASE("a thousand levels of elements are refused without exhausting the stack") {
  std::string xml;
  for (int i = 0; i < 1000; ++i) {
    xml += "<extension url=\"u\">";
  }
  for (int i = 0; i < 1000; ++i) {
    xml += "</extension>";
  }
  // libxml2 stops at 256 levels (no XML_PARSE_HUGE), before the reader's 64.
  CHECK_THAT(xmlError(resourceXml("Patient", xml)), StartsWith("not well-formed XML: line 1: "));
}
