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
std::optional<std::string> bundleEntry(const std::string& payload, const std::string& type,
                                       const std::string& id, const std::string& index) {
  std::string error;
  const std::optional<fhir::BundleRequest> bundle = fhir::readBundle(payload, error);
  const bool digits =
      !index.empty() && index.size() < 6 &&
      std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!bundle || !digits || std::stoul(index) >= bundle->entries.size()) {
    return std::nullopt;
  }
  const std::string& text = bundle->entries[std::stoul(index)].resource;
  const std::optional<fhir::Resource> resource = fhir::Resource::parseJson(text, error);
  if (resource && resource->resourceType() == type && resource->id() == id) {
    return text;
  }
  return std::nullopt;
}

/// What the partner's create of type/id stored — for "<bundle id>.<n>"
/// (FHIR ids may hold '.'; the gateway's own, UUIDs, do not) entry n of a
/// stored transaction or document. Nothing when it is not known, "" when
/// retention purged it.
std::optional<std::string> storedResource(store::Journal& journal, const std::string& partner,
                                          const std::string& type, const std::string& id) {
  const std::size_t dot = id.find('.');
  const std::optional<store::JournalEntry> row =
      journal.messageByKey(partner, kSender, id.substr(0, dot));
  const std::string row_type = dot == std::string::npos ? type : "Bundle";
  if (!row || row->message_type != row_type || row->format != "fhir+json") {
    return std::nullopt;
  }
  if (row->payload.empty() || dot == std::string::npos) {
    return row->payload;
  }
  return bundleEntry(row->payload, type, id, id.substr(dot + 1));
}

}  // namespace

const std::vector<std::string>& fhirCreateTypes() {
  // A Bundle here is a document (its Composition translated).
  static const std::vector<std::string> types = {
      "Bundle",         "Claim", "Composition", "DiagnosticReport", "QuestionnaireResponse",
      "ServiceRequest", "Task"};
  return types;
}

std::function<std::string(const std::string&, const std::string&)> heldResources(
    store::Journal& journal, std::string partner) {
  return [&journal, partner = std::move(partner)](const std::string& type, const std::string& id) {
    return storedResource(journal, partner, type, id).value_or("");
  };
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
  PayloadContext context = payloadContextFor(partner, type, id);
  context.held = heldResources(core_.journal(), partner.id);
  const std::unique_ptr<Payload> payload =
      readPayload(sdk::Format::kFhirJson, stored, context, error);
  if (!payload) {
    return fhirError(400, "structure", error);
  }
  if (type == "Task" && payload->fhir()->get("Task.focus.resolve().exists()") != "true") {
    return outcome(422, {{"error",
                          "not-found",
                          "the Task's focus is not a ServiceRequest this partner sent here "
                          "(contained, or created before at [base]/ServiceRequest)",
                          {"Task.focus"}}});
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
  const std::optional<std::string> stored = storedResource(core_.journal(), partner.id, type, id);
  if (!stored) {
    return fhirError(404, "not-found", type + "/" + id + " is not known");
  }
  if (stored->empty()) {
    return fhirError(410, "deleted", type + "/" + id + " was purged after its retention");
  }
  return {200, {{"Content-Type", "application/fhir+json"}, {"ETag", "W/\"1\""}}, *stored};
}

}  // namespace rtw::pipeline
