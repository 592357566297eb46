#pragma once
// One message through a partner's plugin and mappings without a server or a
// journal: what `rtwctl map` prints and what the golden tests compare. The
// documents are validated as the translate worker validates them.

#include <memory>
#include <string>
#include <vector>

#include "rtw/hl7v2/message.h"
#include "rtw/mapping/evaluate.h"
#include "rtw/plugin/host.h"
#include "rtw/security/partners.h"
#include "rtw/worksafe/rules.h"

namespace rtw::pipeline {

/// What the host writes into every header (the worker uses the journal's ids).
struct HostFields {
  std::string document_id_seed;  // documentId = name-based UUID of seed + "/" + index
  std::string created_at;        // xs:dateTime
  worksafe::Date today = worksafe::Date::today();  // validation day
};

struct DryRunDocument {
  worksafe::DocumentType type = worksafe::DocumentType::kReferral;
  std::string xml;
  std::vector<worksafe::Problem> problems;  // builder problems, XSD and board rules
  mapping::Evaluation evaluation;           // empty when plugin code built it
  bool valid() const { return !worksafe::hasErrors(problems); }
};

struct DryRun {
  sdk::Status status = sdk::Status::ok();
  std::vector<DryRunDocument> documents;
  std::vector<std::string> warnings;  // from the plugin and the mappings
  /// Accepted as the gateway would: the plugin succeeded, made documents, all valid.
  bool accepted() const;
};

struct DryRunSetup {
  const security::Partner& partner;
  const plugin::LoadedPlugin& plugin;
  std::shared_ptr<const mapping::MappingSet> mappings;  // may be nullptr
  const worksafe::SchemaSet& schemas;
  const worksafe::BoardProfiles& profiles;
};

DryRun dryRun(const DryRunSetup& setup, const hl7v2::Message& message, const HostFields& host);

/// A source no plugin reads (a FHIR resource, a CSV record) through the
/// partner's mapping for `message_type` alone ("ServiceRequest",
/// "csv:enrolment"). Not mapped, or a mapping error, is a rejection.
DryRun dryRunMapping(const DryRunSetup& setup, const mapping::Source& source,
                     const std::string& message_type, const std::string& source_message_id,
                     const HostFields& host);

}  // namespace rtw::pipeline
