#pragma once
// The board over mutual-TLS HTTPS (spec §4): one POST per document with its
// Idempotency-Key, and the answer sorted into accepted / retry / rejected.

#include <memory>
#include <string>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

#include "rtw/pipeline/board.h"

namespace rtw::transport {

class HttpsBoardClient final : public pipeline::BoardClient {
 public:
  /// `base_url` like https://localhost:8443 (a path prefix is kept).
  HttpsBoardClient(const std::string& base_url, Poco::Net::Context::Ptr tls, int timeout_ms);

  pipeline::DeliveryResult post(const std::string& document_type, const std::string& document_id,
                                const std::string& body) override;

 private:
  Poco::URI base_;
  Poco::Net::Context::Ptr tls_;
  int timeout_ms_;
  std::unique_ptr<Poco::Net::HTTPSClientSession> session_;
};

/// How an HTTP status from the board is handled (spec §4).
pipeline::DeliveryResult::Outcome classifyBoardStatus(int status);

}  // namespace rtw::transport
