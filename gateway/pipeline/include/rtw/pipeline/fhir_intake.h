#pragma once
// The FHIR adapter of intake: a resource POSTed by a partner's EMR is read
// (JSON), mapped and validated in the request — XSD and board rules, through
// the partner's plugin and mappings exactly as the translate worker will —
// so that one that can never become a valid board document is answered 422
// with an OperationOutcome naming each problem, never a 201 followed by a
// dead letter. An acceptable one gets the server's id, is journaled
// (channel "fhir", format "fhir+json") and answered 201 only after the
// commit; the translate worker then translates it from the journal and the
// document is delivered through the outbox like any other.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rtw/fhir/bundle.h"
#include "rtw/fhir/resource.h"
#include "rtw/mapping/registry.h"
#include "rtw/pipeline/intake_core.h"
#include "rtw/pipeline/translation.h"
#include "rtw/plugin/host.h"
#include "rtw/security/partners.h"
#include "rtw/worksafe/board_profiles.h"
#include "rtw/worksafe/schema.h"

namespace rtw::pipeline {

/// What the FHIR endpoint answers (the HTTP layer copies it out).
struct FhirAnswer {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // FHIR JSON; "" for none
};

/// The resource types the endpoint takes (those a board document is made of).
const std::vector<std::string>& fhirCreateTypes();

/// POST [base]/{type}, as the HTTP layer read it.
struct FhirCreate {
  std::string type;
  std::string body;
  /// The body's media type: JSON, as the endpoint converts XML at the edge
  /// (gateway/transport/src/fhir_format.h).
  std::string content_type;
  /// The Prefer header's return= value: "minimal", "representation",
  /// "OperationOutcome" or "".
  std::string prefer;
  /// If-None-Exist, as sent ("identifier=http://x|123"): a conditional create.
  std::string if_none_exist;
  std::string base_url;  // for Location ("https://host:port/fhir")
};

class FhirIntake {
 public:
  FhirIntake(IntakeCore& core, const security::LivePartnerRegistry& partners,
             plugin::PluginHost& plugins, const mapping::MappingRegistry& mappings,
             std::shared_ptr<const worksafe::SchemaSet> schemas,
             std::shared_ptr<const worksafe::BoardProfiles> profiles);

  /// A create. A conditional one (If-None-Exist) that this partner sent
  /// before with the same condition is answered 200 with the first one's
  /// resource and Location, and not processed again: its id is derived from
  /// the condition, so the journal's unique key (partner, "fhir", id)
  /// decides, also between creates racing each other. A condition naming
  /// several identifiers ("identifier=a,b") matching more than one earlier
  /// create is 412. POST [base]/Bundle takes a document Bundle (its
  /// Composition is what is translated): see document().
  FhirAnswer create(const security::Partner& partner, const FhirCreate& request);
  /// POST [base] with a batch Bundle: each entry a create of its own (its
  /// request.ifNoneExist a conditional one), answered 200 with a
  /// batch-response holding each entry's status, Location and, for a
  /// refused one, its OperationOutcome. A transaction Bundle: all or
  /// nothing, journaled as one row (see transaction()). Other Bundle types
  /// are refused.
  FhirAnswer bundle(const security::Partner& partner, const std::string& body,
                    const std::string& content_type, const std::string& base_url);
  /// At most this many entries in a Bundle (fhir.maxBundleEntries): past it, 413.
  void limitBundleEntries(std::size_t entries) { max_bundle_entries_ = entries; }
  /// At most this many bytes in a Bundle (fhir.maxBundleBytes): past it, 413.
  void limitBundleBytes(std::size_t bytes) { max_bundle_bytes_ = bytes; }

  /// GET [base]/{type}/{id}: what the partner's create stored; an id
  /// "<bundle id>.<n>" is entry n of a transaction or document Bundle.
  FhirAnswer read(const security::Partner& partner, const std::string& type, const std::string& id);

 private:
  IntakeCore& core_;
  const security::LivePartnerRegistry& partners_;
  plugin::PluginHost& plugins_;
  const mapping::MappingRegistry& mappings_;
  std::shared_ptr<const worksafe::SchemaSet> schemas_;
  std::shared_ptr<const worksafe::BoardProfiles> profiles_;
  std::size_t max_bundle_entries_ = 1000;
  std::size_t max_bundle_bytes_ = std::size_t{8} * 1024 * 1024;

  /// What an If-None-Exist finds among this partner's earlier creates.
  struct ConditionMatch {
    int matches = 0;  // distinct earlier resources; more than one is 412
    std::optional<store::JournalEntry> first;
  };
  ConditionMatch findCondition(const security::Partner& partner, const std::string& type,
                               const std::string& condition, const std::string& own_id);
  /// Maps and validates now, as the translate worker will (document ids
  /// from `seed`, as rtwctl map gives them): the payload as one message, or
  /// a stored Bundle `by_entry` (translatedEntries; none when none is mapped).
  std::vector<EntryTranslation> translateNow(const security::Partner& partner,
                                             const Payload& payload, const std::string& seed,
                                             bool by_entry = false);
  /// A stored transaction or document Bundle mapped, validated and
  /// journaled; `ack` the answer kept for a repeat. Refusals as answers.
  /// No entry to translate is 422, unless `made_before`: every mapped entry
  /// was a conditional create that matched (journaled as ignored then).
  struct JournaledBundle {
    std::optional<FhirAnswer> refusal;
    store::RecordResult recorded;
  };
  JournaledBundle journalBundle(const security::Partner& partner, const std::string& id,
                                std::string stored, std::string ack, bool made_before = false);
  /// The size and entry-count limits of a Bundle; nothing when within them.
  std::optional<FhirAnswer> tooLarge(std::size_t bytes, std::size_t entries) const;
  FhirAnswer batch(const security::Partner& partner, const fhir::BundleRequest& request,
                   const std::string& base_url);
  /// A transaction: every entry checked (POST only, a type taken here, the
  /// organization, its ifNoneExist), urn:uuid fullUrls given server ids and
  /// rewritten in references, the whole Bundle mapped and validated; any
  /// problem refuses it whole (naming Bundle.entry[i]) and nothing is
  /// journaled. Accepted, it is one journal row (message type "Bundle"),
  /// its transaction-response kept as the row's answer: the same
  /// Bundle.identifier again is answered that same response.
  FhirAnswer transaction(const security::Partner& partner, const fhir::Resource& parsed,
                         const fhir::BundleRequest& request, const std::string& base_url);
  /// POST [base]/Bundle: a document Bundle, translated by its Composition.
  FhirAnswer document(const security::Partner& partner, const FhirCreate& request,
                      const fhir::Resource& parsed);
};

/// PayloadContext::held for `partner`: a resource it created here before
/// (the journal's row for it), by type and id; "" when there is none or it
/// was purged. A Task is mapped with the ServiceRequest it answers.
std::function<std::string(const std::string& type, const std::string& id)> heldResources(
    store::Journal& journal, std::string partner);

/// An OperationOutcome answer with one issue.
FhirAnswer fhirError(int status, const std::string& code, const std::string& diagnostics);

}  // namespace rtw::pipeline
