#include "fhir_client.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>

#include "rtw/security/tls.h"

namespace rtw::testing {

Answer fhirCall(const RunningSystem& system, const std::string& partner, const std::string& method,
                const std::string& target, const std::string& body, const std::string& content_type,
                const FhirHeaders& headers) {
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
  Answer answer;
  std::istream& in = session.receiveResponse(answer.head);
  Poco::StreamCopier::copyToString(in, answer.body);
  answer.status = answer.head.getStatus();
  return answer;
}

Answer call(const RunningSystem& system, const std::string& partner, const std::string& method,
            const std::string& target, const std::string& body, const std::string& content_type,
            const std::string& prefer, const std::string& if_none_exist) {
  FhirHeaders headers;
  if (!prefer.empty()) {
    headers.emplace_back("Prefer", prefer);
  }
  if (!if_none_exist.empty()) {
    headers.emplace_back("If-None-Exist", if_none_exist);
  }
  return fhirCall(system, partner, method, target, body, content_type, headers);
}

std::string sourceFile(const std::string& path) {
  return readFile(std::filesystem::path(RTW_SOURCE_DIR) / path);
}

std::string golden(const std::string& name) {
  return sourceFile("tests/golden/westcoast-fhir/" + name);
}

rapidjson::Document json(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str());
  return document;
}

std::string issueCodes(const rapidjson::Document& outcome) {
  std::string codes;
  for (const auto& issue : outcome["issue"].GetArray()) {
    codes += std::string(codes.empty() ? "" : ",") + issue["code"].GetString();
  }
  return codes;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string transactionEntries(int n) {
  const std::string bundle = golden("transaction-identified-referral.json");
  const auto open = bundle.find('[', bundle.find("\"entry\""));
  const auto close = bundle.rfind(']');
  const std::string suffix = std::to_string(1000 + n);
  const std::string entries =
      replaced(bundle.substr(open + 1, close - open - 1), "0d2b6e8f000", "0d2b6e8" + suffix);
  // Its own claim number too (westcoast-fhir delivers a claim's documents in order).
  return replaced(replaced(entries, "WC-2026-0042", "WC-2026-" + suffix), "12345678",
                  std::to_string(30'000'000 + n));
}

std::string transactionBundle(const std::string& entries, const std::string& identifier) {
  return R"({"resourceType":"Bundle","type":"transaction",)" +
         (identifier.empty()
              ? std::string()
              : R"("identifier":{"system":"https://westcoast.example/tx","value":")" + identifier +
                    R"("},)") +
         R"("entry":[)" + entries + "]}";
}

}  // namespace rtw::testing
