#pragma once
// What a FHIR R4 server answers with, as JSON: OperationOutcome, the
// CapabilityStatement, and a created resource with the server's fields
// (id, meta.versionId, meta.lastUpdated). Texts given here carry no
// patient data: callers pass rule names, paths and codes.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rtw::fhir {

/// One OperationOutcome.issue.
struct Issue {
  std::string severity = "error";  // fatal | error | warning | information
  std::string code = "invalid";    // R4 IssueType: invalid, structure, required, value,
                                   // not-supported, duplicate, forbidden, too-costly,
                                   // processing, business-rule, transient, exception...
  std::string diagnostics;
  std::vector<std::string> expression;  // FHIRPath into the submitted resource
};

std::string operationOutcomeJson(const std::vector<Issue>& issues);

/// The CapabilityStatement of the gateway's FHIR endpoint at `base_url`:
/// fhirVersion 4.0.1, json and xml, `types` with create and read (and
/// conditional create), and the system interactions transaction and batch.
std::string capabilityStatementJson(const std::string& base_url,
                                    const std::vector<std::string>& types,
                                    const std::string& software_version, const std::string& date);

/// `json` (an object with a resourceType) with its id and meta.versionId /
/// meta.lastUpdated set as the server assigns them; "" with `error` set
/// when it does not parse. A `reference` element whose value is a key of
/// `references` ("urn:uuid:..." of a Bundle entry) gets its value instead
/// ("Patient/<server id>").
std::string withServerFields(std::string_view json, const std::string& id,
                             const std::string& version_id, const std::string& last_updated,
                             std::string& error,
                             const std::map<std::string, std::string>& references = {});

}  // namespace rtw::fhir
