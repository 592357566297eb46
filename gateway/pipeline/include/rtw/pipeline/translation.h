#pragma once
// One message through its partner's plugin and mappings, and the finishing
// step: the host's header fields, the XML, the XSD and the board's rules.
// The translate worker, `rtwctl map` and the golden tests all run
// translate(), so a golden test proves what the gateway sends.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rtw/mapping/evaluate.h"
#include "rtw/pipeline/payload.h"
#include "rtw/plugin/host.h"
#include "rtw/security/partners.h"
#include "rtw/worksafe/rules.h"

namespace rtw::pipeline {

class TranslationContextImpl;

/// What the host writes into every header, and the day it validates for.
struct HostFields {
  /// The index-th document's header/documentId (the worker derives it from
  /// the journal row: stableDocumentId; rtwctl and the golden tests from a
  /// seed: seededDocumentIds).
  std::function<std::string(std::size_t index)> document_id;
  std::string created_at;                          // xs:dateTime
  worksafe::Date today = worksafe::Date::today();  // validation day
};

/// Name-based UUIDs of seed + "/" + index: the same seed, the same ids.
std::function<std::string(std::size_t)> seededDocumentIds(std::string seed);

struct TranslatedDocument {
  worksafe::DocumentType type = worksafe::DocumentType::kReferral;
  std::string document_id;
  std::string xml;
  /// Paths the plugin or the mapping could not set (the document is not
  /// what they meant, whatever the XSD says).
  std::vector<worksafe::Problem> build_problems;
  /// The XSD and the board's rules, as the board will check them (warnings too).
  std::vector<worksafe::Problem> validation;
  mapping::Evaluation evaluation;  // empty when plugin code built it
  std::string claim_number;        // header/claimNumber, "" when none

  /// build_problems then validation: what an operator reads.
  std::vector<worksafe::Problem> problems() const;
  bool valid() const { return build_problems.empty() && !worksafe::hasErrors(validation); }
};

struct Translation {
  std::string message_type;  // the payload's: "REF^I12", "ServiceRequest", "csv:enrolment"
  sdk::Status status = sdk::Status::ok();
  std::vector<TranslatedDocument> documents;
  std::vector<std::string> warnings;  // from the plugin and the mappings (no PHI)
  /// Accepted as the gateway would: the plugin succeeded, made documents, all valid.
  bool accepted() const;
  /// Why not, as the journal and the sender read it ("" when accepted).
  std::string rejection() const;
};

struct TranslationSetup {
  const security::Partner& partner;
  const plugin::LoadedPlugin& plugin;
  std::shared_ptr<const mapping::MappingSet> mappings;  // may be nullptr
  const worksafe::SchemaSet& schemas;
  const worksafe::BoardProfiles& profiles;
  /// Settings to give the plugin instead of the partner's "settings" (nullptr: the partner's).
  const sdk::Settings* settings = nullptr;
  mapping::Trace trace = mapping::Trace::kKeep;  // the worker skips it
};

/// A stored transaction or document Bundle (what FHIR intake journals as
/// one row) is translated entry by entry — each through the mapping of its
/// type, resolve() against the whole Bundle — and the documents are those
/// of its entries in order; any other payload as one message.
Translation translate(const TranslationSetup& setup, const Payload& payload,
                      const HostFields& host);

/// One entry of a stored Bundle translated on its own.
struct EntryTranslation {
  std::size_t entry = 0;  // Bundle.entry index
  Translation translation;
};

/// The entries of a stored transaction or document Bundle that become
/// documents: for a transaction each entry whose type the partner's
/// mappings map, except one answered "200" (a conditional create that
/// matched an earlier resource: made before); for a document its first
/// entry (the Composition) when mapped. Empty for any other payload.
std::vector<std::size_t> translatedEntries(const Payload& payload,
                                           const mapping::MappingSet* mappings);

/// Those entries translated, their documents numbered on across entries
/// (host.document_id(0), (1)... over the whole Bundle).
std::vector<EntryTranslation> translateEntries(const TranslationSetup& setup,
                                               const Payload& payload, const HostFields& host);

/// The finishing step alone, over what a plugin made in `context`.
std::vector<TranslatedDocument> finishDocuments(const TranslationSetup& setup,
                                                TranslationContextImpl& context,
                                                const std::string& source_message_id,
                                                const HostFields& host);

}  // namespace rtw::pipeline
