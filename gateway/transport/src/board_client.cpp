#include "rtw/transport/board_client.h"

#include <sstream>

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "rtw/transport/retry_after.h"

namespace rtw::transport {
namespace {

constexpr std::size_t kMaxReasonBytes = 2000;

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text.size() > kMaxReasonBytes) {
    text.resize(kMaxReasonBytes);
  }
  return text;
}

}  // namespace

pipeline::DeliveryResult::Outcome classifyBoardStatus(int status) {
  using Outcome = pipeline::DeliveryResult::Outcome;
  if (status == 200 || status == 201) {
    return Outcome::kAccepted;
  }
  if (status == 408 || status == 429 || status >= 500) {
    return Outcome::kRetry;
  }
  return Outcome::kRejected;  // 409, 422 and every other 4xx: retrying cannot help
}

HttpsBoardClient::HttpsBoardClient(const std::string& base_url, Poco::Net::Context::Ptr tls,
                                   int timeout_ms)
    : base_(base_url), tls_(std::move(tls)), timeout_ms_(timeout_ms) {}

pipeline::DeliveryResult HttpsBoardClient::post(const std::string& document_type,
                                                const std::string& document_id,
                                                const std::string& body) {
  pipeline::DeliveryResult result;
  try {
    if (!session_) {
      session_ =
          std::make_unique<Poco::Net::HTTPSClientSession>(base_.getHost(), base_.getPort(), tls_);
      session_->setTimeout(Poco::Timespan(timeout_ms_ * 1000LL));
      session_->setKeepAlive(true);
    }
    std::string path = base_.getPath();
    if (path.empty() || path.back() != '/') {
      path += '/';
    }
    path += "documents/" + document_type;
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/xml");
    request.set("Idempotency-Key", document_id);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session_->sendRequest(request) << body;

    Poco::Net::HTTPResponse response;
    std::istream& in = session_->receiveResponse(response);
    std::ostringstream text;
    Poco::StreamCopier::copyStream(in, text, 64 * 1024);
    result.http_status = static_cast<int>(response.getStatus());
    result.outcome = classifyBoardStatus(result.http_status);
    if (result.outcome == pipeline::DeliveryResult::Outcome::kAccepted) {
      result.receipt = trimmed(text.str());
    } else {
      result.reason = "HTTP " + std::to_string(result.http_status) + " " + trimmed(text.str());
    }
    if (response.has("Retry-After")) {
      result.retry_after_s =
          parseRetryAfter(response.get("Retry-After"), std::chrono::system_clock::now());
    }
  } catch (const Poco::Exception& e) {
    session_.reset();  // a broken or timed-out connection is not reused
    result.outcome = pipeline::DeliveryResult::Outcome::kRetry;
    result.reason = e.displayText();
  }
  return result;
}

}  // namespace rtw::transport
