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

}  // namespace rtw::testing
