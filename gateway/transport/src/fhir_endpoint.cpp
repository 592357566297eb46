#include "rtw/transport/fhir_endpoint.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>

#include "rtw/fhir/server.h"

namespace rtw::transport {
namespace {

void answer(Response& response, const pipeline::FhirAnswer& fhir) {
  response.status = fhir.status;
  for (const auto& [name, value] : fhir.headers) {
    response.set(name, value);
  }
  response.body = fhir.body;
}

/// The partner of the request, or the OperationOutcome that refuses it.
const security::Partner* partnerOf(const Request& request, Response& response) {
  const auto* caller = std::any_cast<PartnerCaller>(&request.caller().data);
  if (caller == nullptr || caller->binding.partner == nullptr ||
      caller->binding.refusal == security::Refusal::kUnknownCertificate ||
      caller->binding.refusal == security::Refusal::kAmbiguousCertificate) {
    answer(response, pipeline::fhirError(401, "security",
                                         "the client certificate is not bound to a partner"));
    return nullptr;
  }
  if (!caller->binding.bound()) {
    answer(response, pipeline::fhirError(403, "forbidden",
                                         "partner '" + caller->binding.partner->id +
                                             "' may not use the FHIR endpoint (its file has no "
                                             "fhir section)"));
    return nullptr;
  }
  return caller->binding.partner;
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

/// The server's own refusals on /fhir routes, as OperationOutcomes.
void fhirRefusal(Response& response, int status, const std::string& text) {
  const char* code = status == 413   ? "too-costly"
                     : status == 408 ? "timeout"
                     : status >= 500 ? "exception"
                                     : "structure";
  answer(response, pipeline::fhirError(status, code, text));
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
    server.route(
        "POST", path,
        [&intake, base_url](Request& request, Response& response) {
          const security::Partner* partner = partnerOf(request, response);
          if (partner == nullptr) {
            return;
          }
          answer(response, intake.bundle(*partner, request.body().readAll(),
                                         request.header("Content-Type").value_or(""), base_url));
        },
        RouteOptions{std::nullopt, fhirRefusal});
  }
  const std::string date =
      Poco::DateTimeFormatter::format(Poco::DateTime(), Poco::DateTimeFormat::ISO8601_FORMAT);
  const std::string capability =
      fhir::capabilityStatementJson(base_url, pipeline::fhirCreateTypes(), RTW_VERSION, date);
  server.route(
      "GET", "/fhir/*",
      [&intake, capability](Request& request, Response& response) {
        const security::Partner* partner = partnerOf(request, response);
        if (partner == nullptr) {
          return;
        }
        const auto [type, id] = typeAndId(request.pathTail());
        if (type == "metadata" && id.empty()) {
          response.reply(200, "application/fhir+json", capability);
        } else if (!type.empty() && !id.empty() && id.find('/') == std::string::npos) {
          answer(response, intake.read(*partner, type, id));
        } else {
          answer(response, pipeline::fhirError(404, "not-supported",
                                               "no such interaction here (see /fhir/metadata)"));
        }
      },
      RouteOptions{std::nullopt, fhirRefusal});
  server.route(
      "POST", "/fhir/*",
      [&intake, base_url](Request& request, Response& response) {
        const security::Partner* partner = partnerOf(request, response);
        if (partner == nullptr) {
          return;
        }
        const auto [type, id] = typeAndId(request.pathTail());
        if (type.empty() || !id.empty()) {
          answer(response,
                 pipeline::fhirError(404, "not-supported",
                                     "POST [base]/{type} creates a resource; nothing else is "
                                     "taken here yet"));
          return;
        }
        const pipeline::FhirCreate create{type,
                                          request.body().readAll(),
                                          request.header("Content-Type").value_or(""),
                                          preferredReturn(request),
                                          request.header("If-None-Exist").value_or(""),
                                          base_url};
        answer(response, intake.create(*partner, create));
      },
      RouteOptions{std::nullopt, fhirRefusal});
}

}  // namespace rtw::transport
