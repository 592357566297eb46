// The FHIR endpoint's formats: which one a body is in, which one the answer
// is written in (_format over Accept, q-values and wildcards, the request's
// own format as the default), and the conversions at the edge.

#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "fhir_format.h"

using rtw::transport::answerFormat;
using rtw::transport::contentTypeOf;
using rtw::transport::FhirFormat;
using rtw::transport::formatParameter;
using rtw::transport::jsonFormOf;
using rtw::transport::mediaTypeFormat;
using rtw::transport::notWrittenInXml;
using rtw::transport::writtenIn;

namespace {

constexpr auto kJson = FhirFormat::kJson;
constexpr auto kXml = FhirFormat::kXml;

/// The answer's format for an Accept header alone.
std::optional<FhirFormat> byAccept(std::string_view accept, FhirFormat fallback = kJson) {
  return answerFormat(std::nullopt, accept, fallback);
}

}  // namespace

TEST_CASE("a body's Content-Type names its format, parameters and case aside") {
  CHECK(mediaTypeFormat("application/fhir+json") == kJson);
  CHECK(mediaTypeFormat("application/json; charset=utf-8") == kJson);
  CHECK(mediaTypeFormat("application/fhir+xml;fhirVersion=4.0") == kXml);
  CHECK(mediaTypeFormat("Application/XML") == kXml);
  CHECK(mediaTypeFormat(" text/xml ; charset=UTF-8") == kXml);
  CHECK_FALSE(mediaTypeFormat("text/plain"));
  CHECK_FALSE(mediaTypeFormat("application/fhir+turtle"));
  CHECK_FALSE(mediaTypeFormat("application/*"));
  CHECK_FALSE(mediaTypeFormat("xml"));  // a _format word, not a media type
  CHECK_FALSE(mediaTypeFormat(""));
}

TEST_CASE("_format takes the words and every media type http.html#mime lists") {
  for (const char* json : {"json", "JSON", "application/fhir+json", "application/json"}) {
    INFO(json);
    CHECK(formatParameter(json) == kJson);
  }
  for (const char* xml : {"xml", "text/xml", "application/xml", "application/fhir+xml"}) {
    INFO(xml);
    CHECK(formatParameter(xml) == kXml);
  }
  // An unescaped '+' in the query is decoded as a space.
  CHECK(formatParameter("application/fhir xml") == kXml);
  CHECK(formatParameter("application/fhir json") == kJson);
  CHECK_FALSE(formatParameter("ttl"));
  CHECK_FALSE(formatParameter("html"));
  CHECK_FALSE(formatParameter("application/fhir"));
}

TEST_CASE("_format wins over Accept, and one the server does not write is refused") {
  CHECK(answerFormat("xml", "application/fhir+json", kJson) == kXml);
  CHECK(answerFormat("json", "application/fhir+xml", kXml) == kJson);
  // Even over an Accept that refuses it: the parameter is the client's last word.
  CHECK(answerFormat("xml", "application/fhir+xml;q=0", kJson) == kXml);
  CHECK_FALSE(answerFormat("ttl", "application/fhir+json", kJson));
  // An empty _format is none: Accept decides.
  CHECK(answerFormat("", "application/fhir+xml", kJson) == kXml);
}

TEST_CASE("without a preference the answer is in the fallback format") {
  CHECK(answerFormat(std::nullopt, std::nullopt, kXml) == kXml);
  CHECK(answerFormat(std::nullopt, std::nullopt, kJson) == kJson);
  CHECK(byAccept("", kXml) == kXml);
  CHECK(byAccept("*/*", kXml) == kXml);
  CHECK(byAccept("*/*", kJson) == kJson);
  CHECK(byAccept("application/*", kXml) == kXml);
  // Both named, equally: still the fallback.
  CHECK(byAccept("application/fhir+json, application/fhir+xml", kXml) == kXml);
}

TEST_CASE("Accept picks by media type, alias and wildcard") {
  CHECK(byAccept("application/fhir+xml") == kXml);
  CHECK(byAccept("application/xml") == kXml);
  CHECK(byAccept("text/xml") == kXml);
  CHECK(byAccept("text/*") == kXml);
  CHECK(byAccept("application/json", kXml) == kJson);
  CHECK(byAccept("APPLICATION/FHIR+JSON; fhirVersion=4.0", kXml) == kJson);
  // A browser's Accept: application/xml at 0.9 beats the rest at 0.8.
  CHECK(byAccept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8") == kXml);
}

TEST_CASE("Accept's q-values rank the formats, the most specific range deciding") {
  CHECK(byAccept("application/fhir+json;q=0.5, application/fhir+xml") == kXml);
  CHECK(byAccept("application/fhir+json, application/fhir+xml;q=0.9", kXml) == kJson);
  CHECK(byAccept("application/fhir+xml;q=0.001, */*;q=0") == kXml);
  // "*/*" lets XML in, but the more specific range refuses it.
  CHECK(byAccept("*/*, application/fhir+xml;q=0, application/xml;q=0, text/xml;q=0", kXml) ==
        kJson);
  CHECK(byAccept("application/*;q=0.2, text/xml;q=0.3") == kXml);
  CHECK(byAccept("application/fhir+xml; q=1.000 ; level=1, application/json; q=0.999") == kXml);
}

TEST_CASE("an Accept that allows neither format is refused (406)") {
  CHECK_FALSE(byAccept("text/plain"));
  CHECK_FALSE(byAccept("text/html, image/png;q=0.5"));
  CHECK_FALSE(byAccept("*/*;q=0"));
  CHECK_FALSE(byAccept("application/fhir+json;q=0, application/json;q=0, text/*;q=0"));
  CHECK_FALSE(byAccept("application/fhir+turtle"));
}

TEST_CASE("Accept ranges that are not media ranges or have a bad q are ignored") {
  // Nothing valid at all: no preference.
  CHECK(byAccept("nonsense", kXml) == kXml);
  CHECK(byAccept(",,", kXml) == kXml);
  CHECK(byAccept("*/json", kXml) == kXml);
  // A bad q drops its range only.
  CHECK(byAccept("application/fhir+xml;q=2, application/fhir+json") == kJson);
  CHECK(byAccept("application/fhir+json;q=1.5, application/fhir+xml") == kXml);
  CHECK(byAccept("application/fhir+json;q=0.1234, application/fhir+xml") == kXml);
  CHECK(byAccept("application/fhir+json;q=, text/xml") == kXml);
  CHECK(byAccept("application/fhir+json;q=.5, text/xml") == kXml);
  // The only range dropped: no preference left, not XML at q=1.
  CHECK(byAccept("application/fhir+xml;q=x", kJson) == kJson);
}

TEST_CASE("answers carry their format's Content-Type with the charset") {
  CHECK(std::string(contentTypeOf(kJson)) == "application/fhir+json; charset=utf-8");
  CHECK(std::string(contentTypeOf(kXml)) == "application/fhir+xml; charset=utf-8");
}

TEST_CASE("an XML body reaches the intake as the JSON of the same resource") {
  std::string error;
  const auto json = jsonFormOf(
      R"(<Task xmlns="http://hl7.org/fhir"><status value="requested"/><intent value="order"/></Task>)",
      kXml, error);
  REQUIRE(json);
  CHECK(*json == R"({"resourceType":"Task","status":"requested","intent":"order"})");
  // JSON is handed on as sent, unparsed (the intake reads it).
  CHECK(jsonFormOf("{not json", kJson, error) == "{not json");
}

TEST_CASE("an XML body that is not a FHIR resource is refused with the reason") {
  std::string error;
  CHECK_FALSE(jsonFormOf("<Task xmlns=\"http://hl7.org/fhir\">", kXml, error));
  CHECK_FALSE(error.empty());
  error.clear();
  CHECK_FALSE(jsonFormOf(R"(<?xml version="1.0"?>
<!DOCTYPE Task [<!ENTITY x "requested">]>
<Task xmlns="http://hl7.org/fhir"><status value="&x;"/></Task>)",
                         kXml, error));
  CHECK_THAT(error, Catch::Contains("DOCTYPE"));
  error.clear();
  CHECK_FALSE(jsonFormOf(R"(<Task><status value="requested"/></Task>)", kXml, error));
  CHECK_FALSE(error.empty());
  error.clear();
  CHECK_FALSE(jsonFormOf("", kXml, error));
  CHECK_FALSE(error.empty());
}

TEST_CASE("a JSON answer is written in XML, or refused when R4 XML cannot carry it") {
  std::string error;
  const auto xml = writtenIn(
      R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"structure"}]})",
      kXml, error);
  REQUIRE(xml);
  CHECK_THAT(*xml, Catch::Contains("<OperationOutcome xmlns=\"http://hl7.org/fhir\">") &&
                       Catch::Contains("<code value=\"structure\"/>"));
  CHECK(writtenIn(R"({"resourceType":"Task"})", kJson, error) == R"({"resourceType":"Task"})");

  const std::string foreign = R"({"resourceType":"Task","status":"requested","colour":"red"})";
  CHECK_FALSE(writtenIn(foreign, kXml, error));
  CHECK_THAT(error, Catch::Contains("colour"));
  CHECK_THAT(notWrittenInXml(foreign), Catch::Contains("colour"));
  CHECK(notWrittenInXml(R"({"resourceType":"Task","status":"requested"})").empty());
  // Not a resource: not this check's to refuse (the intake answers 400).
  CHECK(notWrittenInXml("{not json").empty());
}
