#pragma once
// What a well-behaved EMR does when the gateway dies under it: resend until
// the message is acknowledged. Shared by the crash campaigns.

#include <functional>
#include <memory>
#include <string>

#include "rtw/transport/mllp_client.h"

namespace rtw::testing {

/// The sample referral in original acknowledgement mode (one AA per
/// message) with `control_id` as MSH-10.
std::string originalModeReferral(const std::string& control_id = "MSG0001");

/// Sends messages one at a time over one connection, each until it gets AA;
/// after any failure (no answer, a broken connection, another code) it
/// connects again through `connect` and resends.
class ResendingSender {
 public:
  using Connect = std::function<std::unique_ptr<transport::MllpClient>()>;
  explicit ResendingSender(Connect connect) : connect_(std::move(connect)) {}

  /// Returns once `message` has been acknowledged with AA.
  void send(const std::string& message);
  /// Messages sent again after a failure.
  int resends() const { return resends_; }

 private:
  Connect connect_;
  std::unique_ptr<transport::MllpClient> client_;
  int resends_ = 0;
};

}  // namespace rtw::testing
