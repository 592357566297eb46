// Transaction and document Bundles: checked whole, given server ids,
// mapped and validated in the request, and journaled as ONE row (message
// type "Bundle") so that all of it is taken or none of it. Only creates
// (POST entries) are taken, so the FHIR processing order (DELETE, POST,
// PUT/PATCH, GET: http.html#trules) is the Bundle's own order here.

#include <algorithm>
#include <map>
#include <set>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>

#include "fhir_intake_parts.h"
#include "rtw/fhir/bundle.h"
#include "rtw/pipeline/fhir_intake.h"
#include "rtw/pipeline/payload.h"

namespace rtw::pipeline {
namespace {

using namespace fhir_parts;

Poco::Logger& logger() { return Poco::Logger::get("rtw.fhir"); }

/// Types a transaction may carry besides those made into documents: what
/// a mapping reads through resolve() (the worker, the claim's coverage...).
const std::vector<std::string>& supportingTypes() {
  static const std::vector<std::string> types = {
      "Patient",   "Coverage",     "Condition", "Observation",      "Practitioner",
      "Encounter", "Organization", "Goal",      "PractitionerRole", "Location"};
  return types;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string entryPath(std::size_t index) { return "Bundle.entry[" + std::to_string(index) + "]"; }

FhirAnswer refusal(int status, const std::string& code, const std::string& diagnostics,
                   const std::string& expression) {
  return outcome(status, {{"error", code, diagnostics, {expression}}});
}

/// request.url's type ("Patient" of "Patient?identifier=..."), "" when it is not one.
std::string typeOf(const std::string& url) {
  std::string type = url.substr(0, url.find('?'));
  return type.find('/') == std::string::npos ? type : std::string();
}

/// Why an entry cannot be part of a transaction taken here, as the answer.
std::optional<FhirAnswer> requestRefusal(const fhir::BundleEntry& entry, std::size_t index) {
  const std::string at = entryPath(index);
  if (entry.method != "POST") {
    return refusal(422, "not-supported",
                   at +
                       ": only creates (request.method POST) are taken in a transaction here, "
                       "not '" +
                       entry.method + "'; nothing was processed",
                   at + ".request");
  }
  if (typeOf(entry.url).empty()) {
    return refusal(400, "invalid", at + ": request.url of a create is the resource type",
                   at + ".request.url");
  }
  if (entry.resource.empty()) {
    return refusal(400, "required", at + ": the entry has no resource", at + ".resource");
  }
  return std::nullopt;
}

/// Why entry `index`, its request taken, cannot be part of the transaction:
/// its resource is not what request.url says, not a type taken here, sent
/// for another organization (a `mapped` one must name the partner's), or
/// its fullUrl is an earlier entry's.
std::optional<FhirAnswer> resourceRefusal(const security::Partner& partner, bool mapped,
                                          const fhir::BundleEntry& entry,
                                          const fhir::Resource& resource, std::size_t index,
                                          std::set<std::string>& full_urls) {
  const std::string type = typeOf(entry.url);
  const std::string at = entryPath(index);
  if (resource.resourceType() != type) {
    return refusal(
        400, "invalid",
        at + ": the resource is a " + resource.resourceType() + ", request.url says " + type,
        at + ".resource");
  }
  if (!mapped && !contains(supportingTypes(), type)) {
    return refusal(422, "not-supported", at + ": a " + type + " is not taken here (see /metadata)",
                   at + ".resource");
  }
  if (const std::string why = foreignOrganization(partner, resource, type, mapped); !why.empty()) {
    logger().warning("partner=%s transaction refused at entry %z: %s", partner.id, index, why);
    return refusal(403, "forbidden", at + ": " + why, at + ".resource");
  }
  if (!entry.full_url.empty() && !full_urls.insert(entry.full_url).second) {
    return refusal(400, "duplicate", at + ": fullUrl is the same as an earlier entry's",
                   at + ".fullUrl");
  }
  return std::nullopt;
}

/// The transaction-response of a stored transaction: each entry's status and Location.
std::string transactionResponse(const fhir::StoredBundle& stored) {
  std::vector<fhir::EntryResponse> responses;
  for (const fhir::StoredEntry& entry : stored.entries) {
    responses.push_back({entry.status, entry.location, "W/\"1\"", stored.last_updated, {}});
  }
  return fhir::bundleResponseJson("transaction-response", responses);
}

/// The id of a transaction or document Bundle: from its identifier (the
/// same identifier, the same id: the journal's key makes a repeat
/// answered as the first), random without one.
std::string bundleIdFor(const std::string& partner, const std::string& kind,
                        const std::string& identifier) {
  const bool none = identifier.empty() || identifier == "|";
  return resourceIdFor(partner, kind, none ? "" : "identifier=" + identifier);
}

/// What references to an entry may say: its fullUrl, and Type/id for an
/// absolute fullUrl or an id the sender gave.
void noteReferences(std::map<std::string, std::string>& references, const std::string& full_url,
                    const fhir::Resource& sent, const std::string& server_reference) {
  if (!full_url.empty()) {
    references[full_url] = server_reference;
  }
  const std::string own = sent.resourceType() + "/" + sent.id();
  if (!sent.id().empty() &&
      (full_url.empty() || (full_url.size() > own.size() &&
                            full_url.compare(full_url.size() - own.size(), own.size(), own) == 0 &&
                            full_url[full_url.size() - own.size() - 1] == '/'))) {
    references[own] = server_reference;
  }
}

/// Each entry's text with the server's id and meta, its references rewritten.
std::optional<FhirAnswer> writeResources(fhir::StoredBundle& stored,
                                         const std::vector<std::string>& texts,
                                         const std::vector<std::string>& ids,
                                         const std::map<std::string, std::string>& references) {
  for (std::size_t i = 0; i < stored.entries.size(); ++i) {
    std::string error;
    std::string text =
        fhir::withServerFields(texts[i], ids[i], "1", stored.last_updated, error, references);
    if (text.empty()) {
      return refusal(400, "structure", entryPath(i) + ": " + error, entryPath(i) + ".resource");
    }
    stored.entries[i].resource = std::move(text);
  }
  return std::nullopt;
}

std::string now() {
  return Poco::DateTimeFormatter::format(Poco::DateTime(), "%Y-%m-%dT%H:%M:%S.%iZ");
}

}  // namespace

FhirIntake::JournaledBundle FhirIntake::journalBundle(const security::Partner& partner,
                                                      const std::string& id, std::string stored,
                                                      std::string ack, bool made_before) {
  JournaledBundle result;
  std::string error;
  const std::unique_ptr<Payload> payload =
      readPayload(sdk::Format::kFhirJson, stored, payloadContextFor(partner, "Bundle", id), error);
  if (!payload) {
    result.refusal = fhirError(400, "structure", error);
    return result;
  }
  const std::vector<EntryTranslation> translations = translateNow(partner, *payload, id, true);
  if (translations.empty() && !made_before) {
    result.refusal = fhirError(422, "not-supported",
                               "no entry of the Bundle becomes a board document: partner '" +
                                   partner.id + "' maps none of its resource types");
    return result;
  }
  std::vector<fhir::Issue> issues;
  for (const EntryTranslation& entry : translations) {
    const std::string at = entryPath(entry.entry) + ".resource";
    if (entry.translation.status.code() == sdk::Status::Code::kUnsupported) {
      issues.push_back({"error", "not-supported", entry.translation.status.reason(), {at}});
    } else if (!entry.translation.accepted()) {
      for (fhir::Issue& issue : issuesOf(entry.translation, at)) {
        issue.diagnostics = entryPath(entry.entry) + ": " + issue.diagnostics;
        issues.push_back(std::move(issue));
      }
    }
  }
  if (!issues.empty()) {
    logger().information("partner=%s Bundle refused: %z problem(s)", partner.id, issues.size());
    result.refusal = outcome(422, issues);
    return result;
  }
  store::InboundMessage message;
  message.partner = partner.id;
  message.channel = "fhir";
  message.sender = kSender;
  message.control_id = id;
  message.message_type = "Bundle";
  message.payload = std::move(stored);
  message.format = "fhir+json";
  message.ack = std::move(ack);
  // Every mapped entry made before: nothing to translate, the rest is kept.
  message.ignored = translations.empty();
  try {
    result.recorded = core_.record(message);
  } catch (const std::exception& e) {
    logger().error("partner=%s Bundle not journaled: %s", partner.id, std::string(e.what()));
    result.refusal = notJournaled();
    return result;
  }
  if (!result.recorded.duplicate) {
    core_.answered();
    logger().information("partner=%s Bundle/%s (%z document entries) journaled as message %?d",
                         partner.id, id, translations.size(), result.recorded.id);
  }
  return result;
}

FhirAnswer FhirIntake::transaction(const security::Partner& partner, const fhir::Resource& parsed,
                                   const fhir::BundleRequest& request,
                                   const std::string& base_url) {
  for (std::size_t i = 0; i < request.entries.size(); ++i) {
    if (auto refused = requestRefusal(request.entries[i], i)) {
      return *refused;
    }
  }
  const std::vector<fhir::Resource> resources = parsed.entries();  // one per entry now
  if (resources.size() != request.entries.size()) {
    return fhirError(400, "structure", "an entry's resource has no resourceType");
  }
  const std::string id = bundleIdFor(partner.id, "transaction", request.identifier);
  // The same Bundle.identifier again: the first one's answer, as it was —
  // not processed again (a mapping reloaded since cannot refuse it now).
  if (auto first = core_.journal().answerByKey(partner.id, kSender, id)) {
    return {200, {{"Content-Type", "application/fhir+json"}}, std::move(*first)};
  }
  const auto mappings = mappings_.forPartner(partner.id);
  fhir::StoredBundle stored{id, now(), "transaction", request.identifier, {}};
  std::map<std::string, std::string> references;
  std::vector<std::string> ids;
  std::vector<std::string> texts;
  std::set<std::string> full_urls;
  bool any_mapped = false;
  for (std::size_t i = 0; i < request.entries.size(); ++i) {
    const fhir::BundleEntry& entry = request.entries[i];
    const std::string type = typeOf(entry.url);
    const std::string at = entryPath(i);
    const bool mapped = mappings && mappings->find(type) != nullptr;
    any_mapped = any_mapped || mapped;
    if (auto refused = resourceRefusal(partner, mapped, entry, resources[i], i, full_urls)) {
      return *refused;
    }
    fhir::StoredEntry out{{}, {}, "POST", entry.url, entry.if_none_exist, "201 Created", {}};
    ids.push_back(id + "." + std::to_string(i));
    texts.push_back(entry.resource);
    if (!entry.if_none_exist.empty()) {
      const ConditionMatch found = findCondition(
          partner, type, entry.if_none_exist, resourceIdFor(partner.id, type, entry.if_none_exist));
      if (found.matches > 1) {
        return refusal(412, "multiple-matches",
                       at + ": request.ifNoneExist matches " + std::to_string(found.matches) +
                           " earlier resources of this partner",
                       at + ".request.ifNoneExist");
      }
      if (found.first) {
        // Made before: references to this entry mean that resource, and
        // the Bundle keeps it as stored so that resolve() reads it.
        ids.back() = found.first->control_id;
        texts.back() = found.first->payload.empty() ? entry.resource : found.first->payload;
        out.status = "200 OK";
      }
    }
    out.full_url = base_url + "/" + type + "/" + ids.back();
    out.location = out.full_url + "/_history/1";
    noteReferences(references, entry.full_url, resources[i], type + "/" + ids.back());
    stored.entries.push_back(std::move(out));
  }
  if (auto refused = writeResources(stored, texts, ids, references)) {
    return *refused;
  }
  std::string response = transactionResponse(stored);
  JournaledBundle journaled =
      journalBundle(partner, id, fhir::storedBundleJson(stored), response, any_mapped);
  if (journaled.refusal) {
    return *journaled.refusal;
  }
  // A repeat of the same Bundle.identifier: the first one's response, as it was.
  return {200,
          {{"Content-Type", "application/fhir+json"}},
          journaled.recorded.duplicate ? journaled.recorded.ack : std::move(response)};
}

FhirAnswer FhirIntake::document(const security::Partner& partner, const FhirCreate& request,
                                const fhir::Resource& parsed) {
  std::string error;
  const std::optional<fhir::BundleRequest> bundle = fhir::readBundle(request.body, error);
  if (!bundle) {
    return fhirError(400, "structure", error);
  }
  if (bundle->type != "document") {
    return fhirError(400, "invalid",
                     "POST [base]/Bundle takes a document Bundle, not a '" + bundle->type +
                         "' Bundle (a batch or transaction goes to POST [base])");
  }
  if (auto refused = tooLarge(request.body.size(), bundle->entries.size())) {
    return *refused;
  }
  const std::vector<fhir::Resource> resources = parsed.entries();
  if (resources.size() != bundle->entries.size() || resources.empty() ||
      resources.front().resourceType() != "Composition") {
    return refusal(422, "invalid",
                   "a document Bundle starts with its Composition, and every entry has a resource",
                   "Bundle.entry[0].resource");
  }
  for (std::size_t i = 0; i < resources.size(); ++i) {
    const std::string type = resources[i].resourceType();
    if (const std::string why = foreignOrganization(partner, resources[i], type, i == 0);
        !why.empty()) {
      logger().warning("partner=%s document refused at entry %z: %s", partner.id, i, why);
      return refusal(403, "forbidden", entryPath(i) + ": " + why, entryPath(i) + ".resource");
    }
  }
  const std::string id = bundleIdFor(partner.id, "document", bundle->identifier);
  if (auto first = core_.journal().messageByKey(partner.id, kSender, id)) {
    return matched(*first, request.base_url);  // the same document sent again
  }
  fhir::StoredBundle stored{id, now(), "document", bundle->identifier, {}};
  std::map<std::string, std::string> references;
  std::vector<std::string> ids;
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < resources.size(); ++i) {
    const std::string type = resources[i].resourceType();
    ids.push_back(id + "." + std::to_string(i));
    texts.push_back(bundle->entries[i].resource);
    noteReferences(references, bundle->entries[i].full_url, resources[i], type + "/" + ids.back());
    stored.entries.push_back(
        {request.base_url + "/" + type + "/" + ids.back(), {}, {}, {}, {}, {}, {}});
  }
  if (auto refused = writeResources(stored, texts, ids, references)) {
    return *refused;
  }
  std::string json = fhir::storedBundleJson(stored);
  JournaledBundle journaled = journalBundle(partner, id, json, "201 Bundle/" + id);
  if (journaled.refusal) {
    return *journaled.refusal;
  }
  if (journaled.recorded.duplicate) {
    if (auto first = core_.journal().messageByKey(partner.id, kSender, id)) {
      return matched(*first, request.base_url);
    }
  }
  FhirAnswer answer{
      201,
      {{"Location", request.base_url + "/Bundle/" + id + "/_history/1"}, {"ETag", "W/\"1\""}},
      {}};
  if (request.prefer != "minimal") {
    answer.headers.emplace_back("Content-Type", "application/fhir+json");
    answer.body = std::move(json);
  }
  return answer;
}

}  // namespace rtw::pipeline
