#pragma once
// The FHIR R4 REST endpoint under /fhir on the partner HTTPS listener:
// GET /fhir/metadata, POST /fhir/{type}, GET /fhir/{type}/{id} (a trailing
// slash is accepted). The partner comes from the client certificate
// (security::bindPartner with the channel "fhir"); a certificate bound to
// no partner is 401, a partner without a "fhir" section 403, each with an
// OperationOutcome and before the body is read. Bodies come in FHIR JSON
// or XML (handed to the intake as JSON) and every answer goes out in the
// format _format or Accept asks for (src/fhir_format.h).

#include <memory>
#include <string>

#include "rtw/pipeline/fhir_intake.h"
#include "rtw/security/binding.h"
#include "rtw/transport/https_server.h"

namespace rtw::transport {

/// What the identify hook gives the partner HTTPS handlers: the binding for
/// the request's channel, with the registry snapshot its partner lives in.
struct PartnerCaller {
  std::shared_ptr<const security::PartnerRegistry> registry;
  security::Binding binding;
};

/// The identify hook of the partner HTTPS listener: the channel is the
/// path's first segment ("/fhir/..." → "fhir", "/files" → "files"). It never
/// refuses itself: each endpoint answers a refusal in its own format.
IdentifyCaller partnerIdentifier(const security::LivePartnerRegistry& partners);

/// Adds the /fhir routes. `base_url` is what Location headers start with
/// ("https://gateway.example:8444/fhir").
void addFhirRoutes(HttpsServer& server, pipeline::FhirIntake& intake, std::string base_url);

}  // namespace rtw::transport
