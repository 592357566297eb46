#pragma once
// A FHIR client for the integration tests: one request over mutual TLS with
// a partner's dev certificate to the running gateway's /fhir routes, the
// westcoast-fhir golden samples, and what an OperationOutcome says.

#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/HTTPResponse.h>
#include <rapidjson/document.h>

#include "harness.h"

namespace rtw::testing {

struct Answer {
  int status = 0;
  std::string body;
  Poco::Net::HTTPResponse head;
};

using FhirHeaders = std::vector<std::pair<std::string, std::string>>;

/// `body` (when not empty) is sent with `content_type`; `headers` as given.
Answer fhirCall(const RunningSystem& system, const std::string& partner, const std::string& method,
                const std::string& target, const std::string& body = "",
                const std::string& content_type = "application/fhir+json",
                const FhirHeaders& headers = {});

/// The same with the Prefer and If-None-Exist headers (when not empty).
Answer call(const RunningSystem& system, const std::string& partner, const std::string& method,
            const std::string& target, const std::string& body = "",
            const std::string& content_type = "application/fhir+json",
            const std::string& prefer = "", const std::string& if_none_exist = "");

/// A file of the source tree (RTW_SOURCE_DIR/`path`), whole.
std::string sourceFile(const std::string& path);

/// tests/golden/westcoast-fhir/<name>.
std::string golden(const std::string& name);

rapidjson::Document json(const std::string& text);

/// The issue codes of an OperationOutcome, comma-separated.
std::string issueCodes(const rapidjson::Document& outcome);

/// `text` with every `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to);

/// The four entries of the golden transaction (Patient, Coverage,
/// Condition, ServiceRequest) as the n-th referral of a bigger Bundle: their
/// own urn:uuids, referral id and claim number (n below 9000).
std::string transactionEntries(int n);

/// A transaction Bundle of `entries`, with Bundle.identifier `identifier`
/// (under https://westcoast.example/tx) unless it is "".
std::string transactionBundle(const std::string& entries, const std::string& identifier = "");

}  // namespace rtw::testing
