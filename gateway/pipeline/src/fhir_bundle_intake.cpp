// POST [base]: a batch Bundle (each entry a create of its own) or a
// transaction (fhir_transaction.cpp), within the size limits.

#include <Poco/Logger.h>

#include "fhir_intake_parts.h"
#include "rtw/fhir/bundle.h"
#include "rtw/pipeline/fhir_intake.h"

namespace rtw::pipeline {

using namespace fhir_parts;

std::optional<FhirAnswer> FhirIntake::tooLarge(std::size_t bytes, std::size_t entries) const {
  if (bytes > max_bundle_bytes_) {
    return fhirError(413, "too-costly",
                     "the Bundle has " + std::to_string(bytes) + " bytes, more than the " +
                         std::to_string(max_bundle_bytes_) + " taken (fhir.maxBundleBytes)");
  }
  if (entries > max_bundle_entries_) {
    return fhirError(413, "too-costly",
                     "the Bundle has " + std::to_string(entries) + " entries, more than the " +
                         std::to_string(max_bundle_entries_) + " taken (fhir.maxBundleEntries)");
  }
  return std::nullopt;
}

FhirAnswer FhirIntake::bundle(const security::Partner& partner, const std::string& body,
                              const std::string& content_type, const std::string& base_url) {
  if (!isJson(content_type)) {
    return fhirError(415, "not-supported",
                     "Content-Type must be application/fhir+json or application/json");
  }
  if (auto refused = tooLarge(body.size(), 0)) {
    return *refused;
  }
  std::string error;
  const std::optional<fhir::Resource> parsed = fhir::Resource::parseJson(body, error);
  if (!parsed) {
    return fhirError(400, "structure", "not a FHIR resource: " + error);
  }
  const std::optional<fhir::BundleRequest> request =
      parsed->isBundle() ? fhir::readBundle(body, error) : std::nullopt;
  if (!request) {
    return fhirError(400, "invalid",
                     "POST [base] takes a batch or transaction Bundle (this is " +
                         (parsed->isBundle() ? error : "a " + parsed->resourceType()) + ")");
  }
  if (request->type != "batch" && request->type != "transaction") {
    return fhirError(400, "invalid",
                     "POST [base] takes a batch or transaction Bundle, not a '" + request->type +
                         "' Bundle" +
                         (request->type == "document" ? " (POST it to [base]/Bundle)" : ""));
  }
  if (auto refused = tooLarge(body.size(), request->entries.size())) {
    return *refused;
  }
  return request->type == "transaction" ? transaction(partner, *parsed, *request, base_url)
                                        : batch(partner, *request, base_url);
}

FhirAnswer FhirIntake::batch(const security::Partner& partner, const fhir::BundleRequest& request,
                             const std::string& base_url) {
  std::vector<fhir::EntryResponse> responses;
  for (const fhir::BundleEntry& entry : request.entries) {
    std::string type = entry.url.substr(0, entry.url.find('?'));
    while (!type.empty() && type.back() == '/') {
      type.pop_back();
    }
    FhirAnswer answer;
    if (entry.method != "POST" || type.find('/') != std::string::npos) {
      answer = fhirError(405, "not-supported",
                         "an entry here is a create: request.method POST, request.url {type}");
    } else if (entry.resource.empty()) {
      answer = fhirError(400, "required", "the entry has no resource");
    } else if (type == "Bundle") {
      answer = fhirError(400, "not-supported", "a Bundle is not taken as a batch entry");
    } else {
      answer = create(partner, {type, entry.resource, "application/fhir+json", "minimal",
                                entry.if_none_exist, base_url});
    }
    fhir::EntryResponse response;
    response.status = std::to_string(answer.status) + " " + reasonPhrase(answer.status);
    for (const auto& [name, value] : answer.headers) {
      if (name == "Location") {
        response.location = value;
      } else if (name == "ETag") {
        response.etag = value;
      }
    }
    if (answer.status >= 400) {
      response.outcome = answer.body;
    }
    responses.push_back(std::move(response));
  }
  return {200,
          {{"Content-Type", "application/fhir+json"}},
          fhir::bundleResponseJson("batch-response", responses)};
}

}  // namespace rtw::pipeline
