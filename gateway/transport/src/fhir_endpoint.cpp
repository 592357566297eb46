#include "rtw/transport/fhir_endpoint.h"

#include <functional>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>

#include "fhir_format.h"
#include "rtw/fhir/server.h"

namespace rtw::transport {
namespace {

// What the intake is handed, whatever the client sent: the JSON form (see
// fhir_format.h). The journal keeps that one form too (format fhir+json),
// so reads, the translate worker and replays never depend on how the
// partner's EMR happened to encode a resource.
constexpr const char* kJsonForm = "application/fhir+json";

constexpr const char* kMediaTypes =
    "application/fhir+json, application/json, application/fhir+xml, application/xml or text/xml";

/// The format a request's answer is written in: _format, else Accept, else
/// the format its body was sent in (a POST), else JSON; nothing when the
/// client accepts neither (406).
std::optional<FhirFormat> answerFormatOf(const Request& request) {
  const std::optional<std::string> format = request.queryParam("_format");
  const std::optional<std::string> accept = request.header("Accept");
  const FhirFormat own =
      request.method() == "POST"
          ? mediaTypeFormat(request.header("Content-Type").value_or("")).value_or(FhirFormat::kJson)
          : FhirFormat::kJson;
  return answerFormat(format ? std::optional<std::string_view>(*format) : std::nullopt,
                      accept ? std::optional<std::string_view>(*accept) : std::nullopt, own);
}

/// 406 for a resource R4 XML cannot carry, to be answered in XML.
pipeline::FhirAnswer notInXml(const std::string& why) {
  return pipeline::fhirError(
      406, "not-supported",
      "the resource cannot be written in FHIR XML (" + why + "); ask for JSON (_format=json)");
}

/// Every /fhir answer leaves through here: the intake's JSON body written
/// in `format`, with that format's Content-Type.
void answer(Response& response, pipeline::FhirAnswer fhir, FhirFormat format) {
  std::string error;
  std::optional<std::string> body =
      fhir.body.empty() ? std::string() : writtenIn(std::move(fhir.body), format, error);
  if (!body) {
    // A resource stored from JSON with what R4 XML cannot carry: refused,
    // never answered in a format the client did not ask for.
    fhir = notInXml(error);
    body = writtenIn(fhir.body, format, error);
  }
  if (!body) {
    format = FhirFormat::kJson;  // an OperationOutcome of ours always is
    body = std::move(fhir.body);
  }
  response.status = fhir.status;
  for (auto& [name, value] : fhir.headers) {
    if (name != "Content-Type") {
      response.set(std::move(name), std::move(value));
    }
  }
  if (!body->empty()) {
    response.set("Content-Type", contentTypeOf(format));
  }
  response.body = std::move(*body);
}

/// The partner of the request; nullptr with `refusal` set when there is none.
const security::Partner* partnerOf(const Request& request, pipeline::FhirAnswer& refusal) {
  const auto* caller = std::any_cast<PartnerCaller>(&request.caller().data);
  if (caller == nullptr || caller->binding.partner == nullptr ||
      caller->binding.refusal == security::Refusal::kUnknownCertificate ||
      caller->binding.refusal == security::Refusal::kAmbiguousCertificate) {
    refusal =
        pipeline::fhirError(401, "security", "the client certificate is not bound to a partner");
    return nullptr;
  }
  if (!caller->binding.bound()) {
    refusal = pipeline::fhirError(403, "forbidden",
                                  "partner '" + caller->binding.partner->id +
                                      "' may not use the FHIR endpoint (its file has no "
                                      "fhir section)");
    return nullptr;
  }
  return caller->binding.partner;
}

/// A POST's body in the JSON form; nothing with `refusal` set when its
/// media type is not FHIR's (415), it is not a FHIR resource in XML (400),
/// or it is answered in XML and R4 XML cannot carry it (406: refused
/// before anything is stored, never after a 201).
std::optional<std::string> bodyOf(const Request& request, FhirFormat answer_format,
                                  pipeline::FhirAnswer& refusal) {
  const std::optional<FhirFormat> sent =
      mediaTypeFormat(request.header("Content-Type").value_or(""));
  if (!sent) {
    refusal = pipeline::fhirError(415, "not-supported",
                                  std::string("Content-Type must be ") + kMediaTypes);
    return std::nullopt;
  }
  std::string error;
  std::optional<std::string> body = jsonFormOf(request.body().readAll(), *sent, error);
  if (!body) {
    refusal = pipeline::fhirError(400, "structure", "not a FHIR resource: " + error);
    return std::nullopt;
  }
  if (*sent == FhirFormat::kJson && answer_format == FhirFormat::kXml) {
    if (error = notWrittenInXml(*body); !error.empty()) {
      refusal = notInXml(error);
      return std::nullopt;
    }
  }
  return body;
}

/// What a /fhir route's own part is given: the partner, and for a POST the
/// body in the JSON form.
struct FhirCall {
  const Request& request;
  const security::Partner& partner;
  std::string body;
};
using FhirRoute = std::function<pipeline::FhirAnswer(const FhirCall& call)>;

/// A /fhir route: the partner (401/403, before the body is read), the
/// answer's format (406), the body (415/400), then `route`; every answer
/// written in the negotiated format.
Handler fhirHandler(FhirRoute route) {
  return [route = std::move(route)](Request& request, Response& response) {
    const std::optional<FhirFormat> format = answerFormatOf(request);
    pipeline::FhirAnswer refusal;
    const security::Partner* partner = partnerOf(request, refusal);
    if (partner == nullptr) {
      answer(response, std::move(refusal), format.value_or(FhirFormat::kJson));
      return;
    }
    if (!format) {
      const std::string asked = request.queryParam("_format") ? "_format" : "Accept";
      answer(response,
             pipeline::fhirError(406, "not-supported",
                                 asked + " allows neither FHIR JSON nor FHIR XML (" + kMediaTypes +
                                     "; _format also json or xml)"),
             FhirFormat::kJson);
      return;
    }
    FhirCall call{request, *partner, {}};
    if (request.method() == "POST") {
      std::optional<std::string> body = bodyOf(request, *format, refusal);
      if (!body) {
        answer(response, std::move(refusal), *format);
        return;
      }
      call.body = std::move(*body);
    }
    answer(response, route(call), *format);
  };
}

/// "{type}" or "{type}/{id}" of a path under /fhir/, a trailing slash aside.
std::pair<std::string, std::string> typeAndId(std::string_view tail) {
  while (!tail.empty() && tail.back() == '/') {
    tail.remove_suffix(1);
  }
  const auto slash = tail.find('/');
  if (slash == std::string_view::npos) {
    return {std::string(tail), {}};
  }
  return {std::string(tail.substr(0, slash)), std::string(tail.substr(slash + 1))};
}

/// return=minimal | representation | OperationOutcome of a Prefer header.
std::string preferredReturn(const Request& request) {
  const std::string prefer = request.header("Prefer").value_or("");
  const auto at = prefer.find("return=");
  if (at == std::string::npos) {
    return {};
  }
  std::string value = prefer.substr(at + 7);
  return value.substr(0, value.find_first_of(" ;,"));
}

/// The server's own refusals on /fhir routes, as OperationOutcomes in the
/// format the request asks for.
void fhirRefusal(const Request& request, Response& response, int status, const std::string& text) {
  const char* code = status == 413   ? "too-costly"
                     : status == 408 ? "timeout"
                     : status == 501 ? "not-supported"
                     : status >= 500 ? "exception"
                                     : "structure";
  answer(response, pipeline::fhirError(status, code, text),
         answerFormatOf(request).value_or(FhirFormat::kJson));
}

void fhirRoute(HttpsServer& server, const char* method, const char* path, FhirRoute route) {
  server.route(method, path, fhirHandler(std::move(route)),
               RouteOptions{std::nullopt, fhirRefusal});
}

}  // namespace

IdentifyCaller partnerIdentifier(const security::LivePartnerRegistry& partners) {
  return [&partners](const Poco::Net::X509Certificate& peer,
                     const Request& request) -> IdentifyResult {
    std::string_view path = request.path();
    path.remove_prefix(path.empty() ? 0 : 1);
    const std::string channel(path.substr(0, path.find('/')));
    PartnerCaller caller{partners.current(), {}};
    caller.binding = security::bindPartner(*caller.registry, peer, channel);
    const std::string id =
        caller.binding.partner != nullptr ? caller.binding.partner->id : "unbound certificate";
    return Caller{id, std::move(caller)};
  };
}

void addFhirRoutes(HttpsServer& server, pipeline::FhirIntake& intake, std::string base_url) {
  // POST [base] (a batch Bundle), with or without the trailing slash.
  for (const char* path : {"/fhir", "/fhir/"}) {
    fhirRoute(server, "POST", path, [&intake, base_url](const FhirCall& call) {
      return intake.bundle(call.partner, call.body, kJsonForm, base_url);
    });
  }
  const std::string date =
      Poco::DateTimeFormatter::format(Poco::DateTime(), Poco::DateTimeFormat::ISO8601_FORMAT);
  const std::string capability =
      fhir::capabilityStatementJson(base_url, pipeline::fhirCreateTypes(), RTW_VERSION, date);
  if (const std::string why = notWrittenInXml(capability); !why.empty()) {
    throw std::logic_error("the CapabilityStatement cannot be written in FHIR XML: " + why);
  }
  fhirRoute(server, "GET", "/fhir/*", [&intake, capability](const FhirCall& call) {
    const auto [type, id] = typeAndId(call.request.pathTail());
    if (type == "metadata" && id.empty()) {
      return pipeline::FhirAnswer{200, {}, capability};
    }
    if (!type.empty() && !id.empty() && id.find('/') == std::string::npos) {
      return intake.read(call.partner, type, id);
    }
    return pipeline::fhirError(404, "not-supported",
                               "no such interaction here (see /fhir/metadata)");
  });
  fhirRoute(server, "POST", "/fhir/*", [&intake, base_url](const FhirCall& call) {
    const auto [type, id] = typeAndId(call.request.pathTail());
    if (type.empty() || !id.empty()) {
      return pipeline::fhirError(404, "not-supported",
                                 "POST [base]/{type} creates a resource; nothing else is "
                                 "taken here yet");
    }
    const Request& request = call.request;
    return intake.create(call.partner, {type, call.body, kJsonForm, preferredReturn(request),
                                        request.header("If-None-Exist").value_or(""), base_url});
  });
  // Updates, patches and deletes are not interactions of this server: a
  // FHIR answer (the HTTPS server's own 405 is plain text), body unread.
  for (const char* method : {"PUT", "PATCH", "DELETE"}) {
    fhirRoute(server, method, "/fhir/*", [](const FhirCall&) {
      pipeline::FhirAnswer refused = pipeline::fhirError(
          405, "not-supported",
          "this server takes create, read, batch and transaction only (see /fhir/metadata)");
      refused.headers.emplace_back("Allow", "GET, POST");
      return refused;
    });
  }
}

}  // namespace rtw::transport
