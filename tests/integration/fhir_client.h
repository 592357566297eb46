#pragma once
// A FHIR client for the integration tests: one request over mutual TLS with
// a partner's dev certificate to the running gateway's /fhir routes.

#include <string>
#include <utility>
#include <vector>

#include <Poco/Net/HTTPResponse.h>

#include "harness.h"

namespace rtw::testing {

struct FhirReply {
  int status = 0;
  std::string body;
  Poco::Net::HTTPResponse head;
};

using FhirHeaders = std::vector<std::pair<std::string, std::string>>;

/// `body` (when not empty) is sent with `content_type`; `headers` as given.
FhirReply fhirCall(const RunningSystem& system, const std::string& partner,
                   const std::string& method, const std::string& target,
                   const std::string& body = "",
                   const std::string& content_type = "application/fhir+json",
                   const FhirHeaders& headers = {});

/// A file of the source tree (RTW_SOURCE_DIR/`path`), whole.
std::string sourceFile(const std::string& path);

}  // namespace rtw::testing
