#pragma once
// What the FHIR intake's creates, batches and transactions share: the
// journal key, the checks every resource goes through, and how a refusal
// or a translation's findings become an OperationOutcome.

#include <string>
#include <vector>

#include "rtw/fhir/resource.h"
#include "rtw/fhir/server.h"
#include "rtw/pipeline/fhir_intake.h"
#include "rtw/pipeline/translation.h"
#include "rtw/store/journal.h"

namespace rtw::pipeline::fhir_parts {

/// The sender field of a FHIR row's duplicate key (partner, sender, id).
inline constexpr const char* kSender = "fhir";

/// application/fhir+json or application/json, parameters aside.
bool isJson(const std::string& content_type);

/// The id a conditional create of `type` with `condition` gets (the same
/// partner and condition, the same id), or a random one for no condition.
std::string resourceIdFor(const std::string& partner, const std::string& type,
                          const std::string& condition);

/// The ids an If-None-Exist naming several identifiers ("identifier=a,b",
/// "identifier=a&identifier=b") would have been created under, one per
/// identifier; empty when it names one or none (its own id decides then).
std::vector<std::string> identifierIds(const std::string& partner, const std::string& type,
                                       const std::string& condition);

/// The answer to a conditional create that matched: the first one's resource.
FhirAnswer matched(const store::JournalEntry& first, const std::string& base_url);

/// Empty when the resource is sent for one of the partner's organizations
/// (its file's fhir.organizations) and names no other; else why not. With
/// `must_name_one` false (a Patient inside a transaction), naming none is fine.
std::string foreignOrganization(const security::Partner& partner, const fhir::Resource& resource,
                                const std::string& type, bool must_name_one = true);

/// Every reason a translation cannot become a valid board document;
/// `expression_prefix` replaces the resource type that starts each FHIRPath
/// ("Bundle.entry[2].resource" for an entry), "" keeps it.
std::vector<fhir::Issue> issuesOf(const Translation& translation,
                                  const std::string& expression_prefix = "");

/// The reason phrase of a status this endpoint gives (entry.response.status).
std::string reasonPhrase(int status);

FhirAnswer outcome(int status, const std::vector<fhir::Issue>& issues);

/// 503 with Retry-After: the journal refused the commit.
FhirAnswer notJournaled();

}  // namespace rtw::pipeline::fhir_parts
