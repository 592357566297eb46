#include "fhir_format.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

#include "http_whitespace.h"
#include "rtw/fhir/json.h"
#include "rtw/fhir/resource.h"
#include "rtw/fhir/xml.h"

namespace rtw::transport {
namespace {

using detail::withoutOws;

struct Offer {
  std::string_view type;
  std::string_view subtype;
  FhirFormat format;
};

// What the endpoint can write, under each name http.html#mime gives it.
constexpr std::array<Offer, 5> kOffers = {{
    {"application", "fhir+json", FhirFormat::kJson},
    {"application", "json", FhirFormat::kJson},
    {"application", "fhir+xml", FhirFormat::kXml},
    {"application", "xml", FhirFormat::kXml},
    {"text", "xml", FhirFormat::kXml},
}};

std::string lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// Up to `separator`, and what follows it ("" when there is none).
std::pair<std::string_view, std::string_view> cut(std::string_view text, char separator) {
  const auto at = text.find(separator);
  if (at == std::string_view::npos) {
    return {text, {}};
  }
  return {text.substr(0, at), text.substr(at + 1)};
}

/// A q-value in thousandths: "0", "0.5", "1.000" (RFC 9110 §12.4.2).
std::optional<int> qValue(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) {
    return std::nullopt;
  }
  int value = (text[0] - '0') * 1000;
  if (text.size() == 1) {
    return value;
  }
  if (text[1] != '.' || text.size() > 5) {
    return std::nullopt;
  }
  int scale = 100;
  for (const char c : text.substr(2)) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0 || (value == 1000 && c != '0')) {
      return std::nullopt;
    }
    value += (c - '0') * scale;
    scale /= 10;
  }
  return value;
}

struct MediaRange {
  std::string type;
  std::string subtype;
  int q = 1000;
};

/// One element of an Accept header; nothing when it is not a media range
/// with a valid q (it is then ignored, as if not sent).
std::optional<MediaRange> mediaRange(std::string_view element) {
  auto [range, parameters] = cut(element, ';');
  const auto [type, subtype] = cut(withoutOws(range), '/');
  MediaRange out{lowered(withoutOws(type)), lowered(withoutOws(subtype))};
  if (out.type.empty() || out.subtype.empty() || (out.type == "*" && out.subtype != "*")) {
    return std::nullopt;
  }
  while (!parameters.empty()) {
    const auto [parameter, rest] = cut(parameters, ';');
    parameters = rest;
    const auto [name, value] = cut(withoutOws(parameter), '=');
    if (lowered(withoutOws(name)) == "q") {
      const std::optional<int> q = qValue(withoutOws(value));
      if (!q) {
        return std::nullopt;
      }
      out.q = *q;
      break;  // what follows q are accept-ext parameters, not the media type's
    }
  }
  return out;
}

/// How well a range names an offer: 3 exactly, 2 by "type/*", 1 by "*/*", 0 not.
int specificity(const MediaRange& range, const Offer& offer) {
  if (range.type == "*") {
    return 1;
  }
  if (range.type != offer.type) {
    return 0;
  }
  if (range.subtype == "*") {
    return 2;
  }
  return range.subtype == offer.subtype ? 3 : 0;
}

/// The q of an offer: that of the most specific ranges naming it (the best
/// of those when several are as specific), 0 when none does.
int qualityOf(const Offer& offer, const std::vector<MediaRange>& ranges) {
  int best_specificity = 0;
  int q = 0;
  for (const MediaRange& range : ranges) {
    const int s = specificity(range, offer);
    if (s > best_specificity) {
      best_specificity = s;
      q = range.q;
    } else if (s > 0 && s == best_specificity) {
      q = std::max(q, range.q);
    }
  }
  return q;
}

}  // namespace

std::optional<FhirFormat> mediaTypeFormat(std::string_view media_type) {
  const auto [type, subtype] = cut(withoutOws(cut(media_type, ';').first), '/');
  const std::string t = lowered(withoutOws(type));
  const std::string s = lowered(withoutOws(subtype));
  for (const Offer& offer : kOffers) {
    if (offer.type == t && offer.subtype == s) {
      return offer.format;
    }
  }
  return std::nullopt;
}

std::optional<FhirFormat> formatParameter(std::string_view value) {
  std::string text = lowered(withoutOws(value));
  std::replace(text.begin(), text.end(), ' ', '+');
  if (text == "json") {
    return FhirFormat::kJson;
  }
  if (text == "xml") {
    return FhirFormat::kXml;
  }
  return mediaTypeFormat(text);
}

std::optional<FhirFormat> answerFormat(std::optional<std::string_view> format_parameter,
                                       std::optional<std::string_view> accept,
                                       FhirFormat fallback) {
  if (format_parameter && !withoutOws(*format_parameter).empty()) {
    return formatParameter(*format_parameter);
  }
  std::vector<MediaRange> ranges;
  std::string_view elements = accept.value_or("");
  while (!elements.empty()) {
    const auto [element, rest] = cut(elements, ',');
    elements = rest;
    if (auto range = mediaRange(element)) {
      ranges.push_back(std::move(*range));
    }
  }
  if (ranges.empty()) {
    return fallback;
  }
  int json = 0;
  int xml = 0;
  for (const Offer& offer : kOffers) {
    int& best = offer.format == FhirFormat::kJson ? json : xml;
    best = std::max(best, qualityOf(offer, ranges));
  }
  if (json == 0 && xml == 0) {
    return std::nullopt;
  }
  if (json == xml) {
    return fallback;
  }
  return json > xml ? FhirFormat::kJson : FhirFormat::kXml;
}

const char* contentTypeOf(FhirFormat format) {
  return format == FhirFormat::kXml ? "application/fhir+xml; charset=utf-8"
                                    : "application/fhir+json; charset=utf-8";
}

std::optional<std::string> jsonFormOf(std::string body, FhirFormat format, std::string& error) {
  if (format == FhirFormat::kJson) {
    return body;
  }
  const std::optional<fhir::Resource> resource = fhir::parseXml(body, error);
  if (!resource) {
    return std::nullopt;
  }
  return fhir::toJson(*resource);
}

std::optional<std::string> writtenIn(std::string json, FhirFormat format, std::string& error) {
  if (format == FhirFormat::kJson) {
    return json;
  }
  const std::optional<fhir::Resource> resource = fhir::Resource::parseJson(json, error);
  if (!resource) {
    return std::nullopt;
  }
  return fhir::toXml(*resource, error);
}

std::string notWrittenInXml(std::string_view json) {
  std::string error;
  const std::optional<fhir::Resource> resource = fhir::Resource::parseJson(json, error);
  if (!resource || fhir::toXml(*resource, error)) {
    return {};
  }
  return error.empty() ? "not FHIR R4" : error;
}

}  // namespace rtw::transport
