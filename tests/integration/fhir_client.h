#pragma once
// A FHIR client for the integration tests: one request over mutual TLS with
// a partner's dev certificate, the westcoast-fhir golden samples, and what
// an OperationOutcome says.

#include <string>

#include <Poco/Net/HTTPResponse.h>
#include <rapidjson/document.h>

#include "harness.h"

namespace rtw::testing {

struct Answer {
  int status = 0;
  std::string body;
  Poco::Net::HTTPResponse head;
};

Answer call(const RunningSystem& system, const std::string& partner, const std::string& method,
            const std::string& target, const std::string& body = "",
            const std::string& content_type = "application/fhir+json",
            const std::string& prefer = "", const std::string& if_none_exist = "");

/// tests/golden/westcoast-fhir/<name>.
std::string golden(const std::string& name);

rapidjson::Document json(const std::string& text);

/// The issue codes of an OperationOutcome, comma-separated.
std::string issueCodes(const rapidjson::Document& outcome);

/// `text` with every `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to);

/// The four entries of the golden transaction (Patient, Coverage,
/// Condition, ServiceRequest) as the n-th referral of a bigger Bundle: their
/// own urn:uuids and referral id (n below 9000).
std::string transactionEntries(int n);

/// A transaction Bundle of `entries`, with Bundle.identifier `identifier`
/// (under https://westcoast.example/tx) unless it is "".
std::string transactionBundle(const std::string& entries, const std::string& identifier = "");

}  // namespace rtw::testing
