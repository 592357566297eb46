#include "rtw/pipeline/fhir_intake.h"

#include <algorithm>
#include <set>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>

#include "fhir_intake_parts.h"
#include "rtw/fhir/bundle.h"
#include "rtw/fhir/resource.h"
#include "rtw/fhir/server.h"
#include "rtw/pipeline/payload.h"
#include "rtw/pipeline/translation.h"

namespace rtw::pipeline {
namespace {

using namespace fhir_parts;

Poco::Logger& logger() { return Poco::Logger::get("rtw.fhir"); }

/// Entry `index` of a stored Bundle, when it is a `type` with that id.
FhirAnswer bundleEntry(const store::JournalEntry& row, const std::string& type,
                       const std::string& id, const std::string& index) {
  std::string error;
  const std::optional<fhir::BundleRequest> bundle = fhir::readBundle(row.payload, error);
  const bool digits =
      !index.empty() && index.size() < 6 &&
      std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (bundle && digits) {
    const std::size_t n = std::stoul(index);
    if (n < bundle->entries.size()) {
      const std::optional<fhir::Resource> resource =
          fhir::Resource::parseJson(bundle->entries[n].resource, error);
      if (resource && resource->resourceType() == type && resource->id() == id) {
        return {200,
                {{"Content-Type", "application/fhir+json"}, {"ETag", "W/\"1\""}},
                bundle->entries[n].resource};
      }
    }
  }
  return fhirError(404, "not-found", type + "/" + id + " is not known");
}

}  // namespace

const std::vector<std::string>& fhirCreateTypes() {
  // A Bundle here is a document (its Composition translated).
  static const std::vector<std::string> types = {
      "Bundle",         "Claim", "Composition", "DiagnosticReport", "QuestionnaireResponse",
      "ServiceRequest", "Task"};
  return types;
}

FhirAnswer fhirError(int status, const std::string& code, const std::string& diagnostics) {
  return outcome(status, {{"error", code, diagnostics, {}}});
}

FhirIntake::FhirIntake(IntakeCore& core, const security::LivePartnerRegistry& partners,
                       plugin::PluginHost& plugins, const mapping::MappingRegistry& mappings,
                       std::shared_ptr<const worksafe::SchemaSet> schemas,
                       std::shared_ptr<const worksafe::BoardProfiles> profiles)
    : core_(core),
      partners_(partners),
      plugins_(plugins),
      mappings_(mappings),
      schemas_(std::move(schemas)),
      profiles_(std::move(profiles)) {}

FhirIntake::ConditionMatch FhirIntake::findCondition(const security::Partner& partner,
                                                     const std::string& type,
                                                     const std::string& condition,
                                                     const std::string& own_id) {
  ConditionMatch found;
  // The condition's own key first: the same condition sent before.
  if (auto first = core_.journal().messageByKey(partner.id, kSender, own_id);
      first && first->message_type == type) {
    found.matches = 1;
    found.first = std::move(first);
    return found;
  }
  // Several identifiers: each earlier create under one of them is a match
  // (search semantics: identifier=a,b is a OR b). Read, not keyed: two
  // such creates racing may both create — one key cannot hold two values.
  std::set<std::string> seen;
  for (const std::string& id : identifierIds(partner.id, type, condition)) {
    if (auto first = core_.journal().messageByKey(partner.id, kSender, id);
        first && first->message_type == type && seen.insert(first->control_id).second) {
      ++found.matches;
      if (!found.first) {
        found.first = std::move(first);
      }
    }
  }
  return found;
}

std::vector<EntryTranslation> FhirIntake::translateNow(const security::Partner& partner,
                                                       const Payload& payload,
                                                       const std::string& seed, bool by_entry) {
  const auto mappings = mappings_.forPartner(partner.id);
  const plugin::LoadedPlugin plugin = plugins_.load(partner.plugin);
  const TranslationSetup setup{
      partner, plugin, mappings, *schemas_, *profiles_, nullptr, mapping::Trace::kKeep};
  HostFields host;
  host.document_id = seededDocumentIds(partner.id + "/" + seed);
  host.created_at =
      Poco::DateTimeFormatter::format(Poco::DateTime(), Poco::DateTimeFormat::ISO8601_FORMAT);
  if (by_entry) {
    return translateEntries(setup, payload, host);
  }
  return {{0, translate(setup, payload, host)}};
}

FhirAnswer FhirIntake::create(const security::Partner& partner, const FhirCreate& request) {
  const std::string& type = request.type;
  const std::string& body = request.body;
  const auto& types = fhirCreateTypes();
  if (std::find(types.begin(), types.end(), type) == types.end()) {
    return fhirError(404, "not-supported",
                     "resource type '" + type + "' is not taken here (see /metadata)");
  }
  if (!isJson(request.content_type)) {
    return fhirError(415, "not-supported",
                     "Content-Type must be application/fhir+json or application/json");
  }
  std::string error;
  const std::optional<fhir::Resource> parsed = fhir::Resource::parseJson(body, error);
  if (!parsed) {
    return fhirError(400, "structure", "not a FHIR resource: " + error);
  }
  if (parsed->resourceType() != type) {
    return fhirError(400, "invalid",
                     "the body is a " + parsed->resourceType() + ", posted to /" + type);
  }
  if (type == "Bundle") {
    return document(partner, request, *parsed);
  }
  // The message says who the certificate says (as MSH-4 must over MLLP).
  if (const std::string why = foreignOrganization(partner, *parsed, type); !why.empty()) {
    logger().warning("partner=%s %s refused: %s", partner.id, type, why);
    return fhirError(403, "forbidden", why);
  }
  const std::string id = resourceIdFor(partner.id, type, request.if_none_exist);
  if (!request.if_none_exist.empty()) {
    const ConditionMatch found = findCondition(partner, type, request.if_none_exist, id);
    if (found.matches > 1) {
      return fhirError(412, "multiple-matches",
                       "If-None-Exist matches " + std::to_string(found.matches) +
                           " earlier resources of this partner");
    }
    if (found.first) {
      return matched(*found.first, request.base_url);
    }
  }
  const Poco::DateTime now;
  const std::string last_updated = Poco::DateTimeFormatter::format(now, "%Y-%m-%dT%H:%M:%S.%iZ");
  std::string stored = fhir::withServerFields(body, id, "1", last_updated, error);
  if (stored.empty()) {
    return fhirError(400, "structure", error);
  }

  // Mapped and validated now, as the translate worker will do it.
  const std::unique_ptr<Payload> payload =
      readPayload(sdk::Format::kFhirJson, stored, payloadContextFor(partner, type, id), error);
  if (!payload) {
    return fhirError(400, "structure", error);
  }
  const Translation translation =
      std::move(translateNow(partner, *payload, id).front().translation);
  if (translation.status.code() == sdk::Status::Code::kUnsupported) {
    return fhirError(422, "not-supported", translation.status.reason());
  }
  if (!translation.accepted()) {
    logger().information("partner=%s %s refused: %s", partner.id, type,
                         std::string(translation.rejection().substr(0, 300)));
    return outcome(422, issuesOf(translation));
  }

  store::InboundMessage message;
  message.partner = partner.id;
  message.channel = "fhir";
  message.sender = kSender;
  message.control_id = id;
  message.message_type = type;
  message.payload = stored;
  message.format = "fhir+json";
  message.ack = "201 " + type + "/" + id;
  store::RecordResult recorded;
  try {
    recorded = core_.record(message);
  } catch (const std::exception& e) {
    logger().error("partner=%s %s not journaled: %s", partner.id, type, std::string(e.what()));
    return notJournaled();
  }
  if (recorded.duplicate) {
    // A conditional create racing this one was committed first.
    if (auto first = core_.journal().messageByKey(partner.id, kSender, id)) {
      return matched(*first, request.base_url);
    }
  }
  core_.answered();
  logger().information("partner=%s %s/%s journaled as message %?d", partner.id, type, id,
                       recorded.id);

  FhirAnswer answer;
  answer.status = 201;
  answer.headers = {
      {"Location", request.base_url + "/" + type + "/" + id + "/_history/1"},
      {"ETag", "W/\"1\""},
      {"Last-Modified", Poco::DateTimeFormatter::format(now, Poco::DateTimeFormat::HTTP_FORMAT)}};
  if (request.prefer == "minimal") {
    return answer;
  }
  answer.headers.emplace_back("Content-Type", "application/fhir+json");
  if (request.prefer == "OperationOutcome") {
    answer.body = fhir::operationOutcomeJson(
        {{"information", "informational", "accepted: " + type + "/" + id, {}}});
    return answer;
  }
  answer.body = std::move(stored);
  return answer;
}

FhirAnswer FhirIntake::read(const security::Partner& partner, const std::string& type,
                            const std::string& id) {
  // "<bundle id>.<n>": entry n of a stored Bundle (FHIR ids may hold '.';
  // the gateway's own ids, UUIDs, do not).
  const std::size_t dot = id.find('.');
  const std::string row_id = id.substr(0, dot);
  const std::optional<store::JournalEntry> entry =
      core_.journal().messageByKey(partner.id, kSender, row_id);
  const std::string row_type = dot == std::string::npos ? type : "Bundle";
  if (!entry || entry->message_type != row_type) {
    return fhirError(404, "not-found", type + "/" + id + " is not known");
  }
  if (entry->payload.empty()) {
    return fhirError(410, "deleted", type + "/" + id + " was purged after its retention");
  }
  if (dot != std::string::npos) {
    return bundleEntry(*entry, type, id, id.substr(dot + 1));
  }
  return {200, {{"Content-Type", "application/fhir+json"}, {"ETag", "W/\"1\""}}, entry->payload};
}

}  // namespace rtw::pipeline
