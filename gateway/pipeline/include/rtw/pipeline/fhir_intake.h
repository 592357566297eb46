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
#include <string>
#include <utility>
#include <vector>

#include "rtw/mapping/registry.h"
#include "rtw/pipeline/intake_core.h"
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
  /// decides, also between creates racing each other.
  FhirAnswer create(const security::Partner& partner, const FhirCreate& request);
  /// POST [base] with a batch Bundle: each entry a create of its own (its
  /// request.ifNoneExist a conditional one), answered 200 with a
  /// batch-response holding each entry's status, Location and, for a
  /// refused one, its OperationOutcome. Transaction Bundles are refused
  /// (not processed yet), as are other Bundle types.
  FhirAnswer bundle(const security::Partner& partner, const std::string& body,
                    const std::string& content_type, const std::string& base_url);
  /// At most this many entries in a Bundle (fhir.maxBundleEntries): past it, 413.
  void limitBundleEntries(std::size_t entries) { max_bundle_entries_ = entries; }

  /// GET [base]/{type}/{id}: what the partner's create stored.
  FhirAnswer read(const security::Partner& partner, const std::string& type, const std::string& id);

 private:
  IntakeCore& core_;
  const security::LivePartnerRegistry& partners_;
  plugin::PluginHost& plugins_;
  const mapping::MappingRegistry& mappings_;
  std::shared_ptr<const worksafe::SchemaSet> schemas_;
  std::shared_ptr<const worksafe::BoardProfiles> profiles_;
  std::size_t max_bundle_entries_ = 1000;
};

/// PayloadContext::held for `partner`: a resource it created here before
/// (the journal's row for it), by type and id; "" when there is none or it
/// was purged. A Task is mapped with the ServiceRequest it answers.
std::function<std::string(const std::string& type, const std::string& id)> heldResources(
    store::Journal& journal, std::string partner);

/// An OperationOutcome answer with one issue.
FhirAnswer fhirError(int status, const std::string& code, const std::string& diagnostics);

}  // namespace rtw::pipeline
