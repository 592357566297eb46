#include "rtw/pipeline/fhir_intake.h"

#include <algorithm>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>
#include <Poco/UUIDGenerator.h>

#include "rtw/fhir/bundle.h"
#include "rtw/fhir/resource.h"
#include "rtw/fhir/server.h"
#include "rtw/pipeline/payload.h"
#include "rtw/pipeline/translation.h"

namespace rtw::pipeline {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.fhir"); }

/// The sender field of a FHIR row's duplicate key (partner, sender, id).
constexpr const char* kSender = "fhir";

/// A random id, or for a conditional create one derived from the partner
/// and its condition (the same condition, the same id).
std::string resourceIdFor(const security::Partner& partner, const FhirCreate& request) {
  auto& uuids = Poco::UUIDGenerator::defaultGenerator();
  if (request.if_none_exist.empty()) {
    return uuids.createRandom().toString();
  }
  return uuids
      .createFromName(Poco::UUID::oid(),
                      "rtw-fhir/" + partner.id + "/" + request.type + "?" + request.if_none_exist)
      .toString();
}

/// The answer to a conditional create that matched: the first one's resource.
FhirAnswer matched(const store::JournalEntry& first, const std::string& base_url) {
  return {
      200,
      {{"Location", base_url + "/" + first.message_type + "/" + first.control_id + "/_history/1"},
       {"ETag", "W/\"1\""},
       {"Content-Type", "application/fhir+json"}},
      first.payload};
}

/// application/fhir+json or application/json, parameters aside.
bool isJson(const std::string& content_type) {
  const std::string media = content_type.substr(0, content_type.find(';'));
  std::string trimmed;
  for (char c : media) {
    if (c != ' ' && c != '\t') {
      trimmed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return trimmed == "application/fhir+json" || trimmed == "application/json";
}

std::string issueCodeFor(mapping::Finding::Kind kind) {
  switch (kind) {
    case mapping::Finding::Kind::kRequired:
      return "required";
    case mapping::Finding::Kind::kBadValue:
      return "value";
    case mapping::Finding::Kind::kNotInTable:
      return "code-invalid";
    case mapping::Finding::Kind::kOther:
      break;
  }
  return "processing";
}

/// The FHIRPath a document field was read from (the mapping's trace), if
/// a rule wrote it or a field under it.
std::string sourceOf(const TranslatedDocument& document, const std::string& path) {
  for (const auto& entry : document.evaluation.trace) {
    if (entry.target == path || entry.target.rfind(path + "/", 0) == 0) {
      if (entry.source.find('.') != std::string::npos) {
        return entry.source;
      }
    }
  }
  return {};
}

/// Every reason the resource cannot become a valid board document.
std::vector<fhir::Issue> issuesOf(const Translation& translation) {
  std::vector<fhir::Issue> issues;
  for (const TranslatedDocument& document : translation.documents) {
    for (const auto& finding : document.evaluation.findings) {
      if (finding.severity != mapping::Finding::Severity::kError) {
        continue;
      }
      // The board document's field and what was wrong (the mapping file's
      // place is for operators: rtwctl map shows it).
      fhir::Issue issue{
          "error", issueCodeFor(finding.kind), finding.target + ": " + finding.message, {}};
      if (!finding.source.empty()) {
        issue.expression.push_back(finding.source);
      }
      issues.push_back(std::move(issue));
    }
    for (const worksafe::Problem& problem : document.problems()) {
      if (problem.severity != worksafe::Problem::Severity::kError) {
        continue;
      }
      fhir::Issue issue{"error",
                        problem.code == "SCHEMA" ? "invariant" : "business-rule",
                        problem.path + ": " + problem.message,
                        {}};
      if (std::string source = sourceOf(document, problem.path); !source.empty()) {
        issue.expression.push_back(std::move(source));
      }
      issues.push_back(std::move(issue));
    }
  }
  if (issues.empty()) {
    issues.push_back({"error", "processing", translation.rejection(), {}});
  }
  return issues;
}

/// The reason phrase of a status this endpoint gives (entry.response.status).
std::string reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 410:
      return "Gone";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 503:
      return "Service Unavailable";
    default:
      return "";
  }
}

/// Where a resource names the organization it is sent for: the performer
/// (ServiceRequest, Task owner), the provider (Claim), the author
/// (Composition, QuestionnaireResponse), DiagnosticReport's performer, and
/// any contained Organization.
std::vector<std::string> organizationPaths(const std::string& type) {
  std::vector<std::string> paths = {type +
                                    ".contained.where(resourceType = 'Organization').identifier"};
  for (const char* element : {"performer", "provider", "author", "owner"}) {
    paths.push_back(type + "." + element + ".identifier");
  }
  return paths;
}

/// Empty when the resource is sent for one of the partner's organizations
/// (its file's fhir.organizations) and names no other; else why not.
std::string foreignOrganization(const security::Partner& partner, const fhir::Resource& resource,
                                const std::string& type) {
  if (!partner.fhir || partner.fhir->organizations.empty()) {
    return {};  // the certificate alone says who it is
  }
  bool ours = false;
  for (const std::string& path : organizationPaths(type)) {
    for (const std::string& value : resource.select(path + ".value")) {
      bool known = false;
      for (const auto& organization : partner.fhir->organizations) {
        known = known ||
                (organization.value == value &&
                 !resource.select(path + ".where(system = '" + organization.system + "').value")
                      .empty());
      }
      if (!known) {
        return "the resource names an organization (" + path + ") that is not one of partner '" +
               partner.id + "''s";
      }
      ours = true;
    }
  }
  return ours ? std::string()
              : "the resource names none of partner '" + partner.id +
                    "''s organizations (performer, provider, author or owner identifier)";
}

FhirAnswer outcome(int status, const std::vector<fhir::Issue>& issues) {
  return {status, {{"Content-Type", "application/fhir+json"}}, fhir::operationOutcomeJson(issues)};
}

}  // namespace

const std::vector<std::string>& fhirCreateTypes() {
  static const std::vector<std::string> types = {
      "Claim",          "Composition", "DiagnosticReport", "QuestionnaireResponse",
      "ServiceRequest", "Task"};
  return types;
}

std::function<std::string(const std::string&, const std::string&)> heldResources(
    store::Journal& journal, std::string partner) {
  return [&journal, partner = std::move(partner)](const std::string& type, const std::string& id) {
    const std::optional<store::JournalEntry> entry = journal.messageByKey(partner, kSender, id);
    return entry && entry->message_type == type && entry->format == "fhir+json" ? entry->payload
                                                                                : std::string();
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
  // The message says who the certificate says (as MSH-4 must over MLLP).
  if (const std::string why = foreignOrganization(partner, *parsed, type); !why.empty()) {
    logger().warning("partner=%s %s refused: %s", partner.id, type, why);
    return fhirError(403, "forbidden", why);
  }
  const std::string id = resourceIdFor(partner, request);
  if (!request.if_none_exist.empty()) {
    if (auto first = core_.journal().messageByKey(partner.id, kSender, id)) {
      return matched(*first, request.base_url);
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
  const auto mappings = mappings_.forPartner(partner.id);
  const plugin::LoadedPlugin plugin = plugins_.load(partner.plugin);
  const TranslationSetup setup{
      partner, plugin, mappings, *schemas_, *profiles_, nullptr, mapping::Trace::kKeep};
  HostFields host;
  host.document_id = seededDocumentIds(partner.id + "/" + id);
  host.created_at = Poco::DateTimeFormatter::format(now, Poco::DateTimeFormat::ISO8601_FORMAT);
  const Translation translation = translate(setup, *payload, host);
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
    FhirAnswer answer =
        fhirError(503, "transient", "the gateway cannot store it now; send it again");
    answer.headers.emplace_back("Retry-After", "10");
    return answer;
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

FhirAnswer FhirIntake::bundle(const security::Partner& partner, const std::string& body,
                              const std::string& content_type, const std::string& base_url) {
  if (!isJson(content_type)) {
    return fhirError(415, "not-supported",
                     "Content-Type must be application/fhir+json or application/json");
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
                     "POST [base] takes a batch Bundle (this is " +
                         (parsed->isBundle() ? error : "a " + parsed->resourceType()) + ")");
  }
  if (request->type == "transaction") {
    return fhirError(422, "not-supported",
                     "transaction Bundles are not processed yet: send a batch, or each resource "
                     "to [base]/{type}");
  }
  if (request->type != "batch") {
    return fhirError(400, "invalid",
                     "POST [base] takes a batch Bundle, not a '" + request->type + "' Bundle");
  }
  if (request->entries.size() > max_bundle_entries_) {
    return fhirError(413, "too-costly",
                     "the Bundle has " + std::to_string(request->entries.size()) +
                         " entries, more than the " + std::to_string(max_bundle_entries_) +
                         " taken (fhir.maxBundleEntries)");
  }
  std::vector<fhir::EntryResponse> responses;
  for (const fhir::BundleEntry& entry : request->entries) {
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

FhirAnswer FhirIntake::read(const security::Partner& partner, const std::string& type,
                            const std::string& id) {
  const std::optional<store::JournalEntry> entry =
      core_.journal().messageByKey(partner.id, kSender, id);
  if (!entry || entry->message_type != type) {
    return fhirError(404, "not-found", type + "/" + id + " is not known");
  }
  if (entry->payload.empty()) {
    return fhirError(410, "deleted", type + "/" + id + " was purged after its retention");
  }
  return {200, {{"Content-Type", "application/fhir+json"}, {"ETag", "W/\"1\""}}, entry->payload};
}

}  // namespace rtw::pipeline
