#include "fhir_client.h"

#include <fstream>
#include <sstream>

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>

#include "rtw/security/tls.h"

namespace rtw::testing {

Answer call(const RunningSystem& system, const std::string& partner, const std::string& method,
            const std::string& target, const std::string& body, const std::string& content_type,
            const std::string& prefer, const std::string& if_none_exist) {
  Poco::Net::HTTPSClientSession session(
      "localhost", system.httpsPort(),
      security::clientContext(TestCertificates::get().partner(partner)));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!body.empty()) {
    request.setContentType(content_type);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  if (!prefer.empty()) {
    request.set("Prefer", prefer);
  }
  if (!if_none_exist.empty()) {
    request.set("If-None-Exist", if_none_exist);
  }
  session.sendRequest(request) << body;
  Answer answer;
  std::istream& in = session.receiveResponse(answer.head);
  Poco::StreamCopier::copyToString(in, answer.body);
  answer.status = answer.head.getStatus();
  return answer;
}

std::string golden(const std::string& name) {
  std::ifstream in(std::string(RTW_SOURCE_DIR) + "/tests/golden/westcoast-fhir/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
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
  const std::string bundle = golden("transaction-referral.json");
  const auto open = bundle.find('[', bundle.find("\"entry\""));
  const auto close = bundle.rfind(']');
  const std::string suffix = std::to_string(1000 + n);
  const std::string entries =
      replaced(bundle.substr(open + 1, close - open - 1), "0d2b6e8f000", "0d2b6e8" + suffix);
  return replaced(entries, "WC-2026-0042", "WC-2026-" + suffix);
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
