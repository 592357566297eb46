#include "fhir_client.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>

#include "rtw/security/tls.h"

namespace rtw::testing {

FhirReply fhirCall(const RunningSystem& system, const std::string& partner,
                   const std::string& method, const std::string& target, const std::string& body,
                   const std::string& content_type, const FhirHeaders& headers) {
  Poco::Net::HTTPSClientSession session(
      "localhost", system.httpsPort(),
      security::clientContext(TestCertificates::get().partner(partner)));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!body.empty()) {
    request.setContentType(content_type);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  for (const auto& [name, value] : headers) {
    request.set(name, value);
  }
  session.sendRequest(request) << body;
  FhirReply reply;
  std::istream& in = session.receiveResponse(reply.head);
  Poco::StreamCopier::copyToString(in, reply.body);
  reply.status = reply.head.getStatus();
  return reply;
}

std::string sourceFile(const std::string& path) {
  return readFile(std::filesystem::path(RTW_SOURCE_DIR) / path);
}

}  // namespace rtw::testing
