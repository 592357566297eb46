#pragma once
// The two formats of the FHIR endpoint (https://hl7.org/fhir/R4/http.html#mime):
// which one a request body is in (its Content-Type), which one the answer
// is written in (_format, else Accept, else a default), and the conversion
// between them at the edge. The intake and the journal see one form, JSON:
// a body sent in XML is read with fhir::parseXml and handed on as the JSON
// of the same resource, and an answer the intake wrote in JSON is written
// in XML (fhir::toXml) when XML was negotiated.

#include <optional>
#include <string>
#include <string_view>

namespace rtw::transport {

enum class FhirFormat { kJson, kXml };

/// The format a media type names, parameters and case aside:
/// application/fhir+json and application/json are JSON;
/// application/fhir+xml, application/xml and text/xml are XML; any other
/// (and "") nothing. For a request's Content-Type.
std::optional<FhirFormat> mediaTypeFormat(std::string_view media_type);

/// The format a `_format` value names: "json", "xml" or one of the media
/// types above. A '+' sent unescaped in the query arrives as a space
/// ("application/fhir xml") and is read as the '+' it was.
std::optional<FhirFormat> formatParameter(std::string_view value);

/// The format the answer is written in, or nothing when the client accepts
/// neither (406). A `format_parameter` (_format) decides alone when there
/// is one; else `accept` (RFC 9110 §12.5.1: q-values, "*/*", "type/*"; a
/// media type is ranked by the most specific range that matches it, a
/// format by the best of its media types; ranges with a q that is not a
/// q-value are ignored); a tie, no Accept or an empty one gives `fallback`.
std::optional<FhirFormat> answerFormat(std::optional<std::string_view> format_parameter,
                                       std::optional<std::string_view> accept, FhirFormat fallback);

/// The Content-Type of an answer body in `format`, with its charset.
const char* contentTypeOf(FhirFormat format);

/// A request body as the intake reads it: a JSON body as sent; an XML body
/// as the JSON of the resource it holds. Nothing, with `error` set (one
/// sentence naming elements, never values), when the XML is not a FHIR
/// resource parseXml takes: not well-formed, a DOCTYPE or an entity, not
/// FHIR R4.
std::optional<std::string> jsonFormOf(std::string body, FhirFormat format, std::string& error);

/// An answer body the intake wrote in JSON, in `format`. Nothing, with
/// `error` set, when it is not a resource or R4 XML cannot carry it (a
/// member R4 does not define, sent in JSON).
std::optional<std::string> writtenIn(std::string json, FhirFormat format, std::string& error);

/// Empty when a JSON body can be written in XML too, or is no resource at
/// all (the intake refuses it then, with its own reason); else why not.
std::string notWrittenInXml(std::string_view json);

}  // namespace rtw::transport
