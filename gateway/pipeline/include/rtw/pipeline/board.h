#pragma once
// What the delivery worker needs from the board: one POST per document.
// transport/ implements it over mutual-TLS HTTPS.

#include <optional>
#include <string>

namespace rtw::pipeline {

struct DeliveryResult {
  enum class Outcome {
    kAccepted,  // 201, or 200 for a key the board already holds
    kRetry,     // 5xx, 408, 429, timeout, connection failure
    kRejected,  // 4xx: the board will never take this document as it is
  };
  Outcome outcome = Outcome::kRetry;
  int http_status = 0;               // 0 when no answer came
  std::string receipt;               // the board's receipt id when accepted
  std::string reason;                // why not, for the journal (no PHI)
  std::optional<int> retry_after_s;  // the board's Retry-After
};

class BoardClient {
 public:
  virtual ~BoardClient() = default;
  /// POST {base}/documents/{document_type} with Idempotency-Key: document_id.
  virtual DeliveryResult post(const std::string& document_type, const std::string& document_id,
                              const std::string& body) = 0;
};

}  // namespace rtw::pipeline
