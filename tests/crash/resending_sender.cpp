#include "resending_sender.h"

#include <chrono>
#include <thread>

#include "../integration/harness.h"
#include "rtw/hl7v2/message.h"

namespace rtw::testing {

std::string originalModeReferral(const std::string& control_id) {
  std::string text = sampleReferral();
  text.replace(text.find("|P|2.5|||AL|AL"), 14, "|P|2.5");
  text.replace(text.find("MSG0001"), 7, control_id);
  return text;
}

void ResendingSender::send(const std::string& message) {
  for (;;) {
    try {
      if (!client_) {
        client_ = connect_();
      }
      const auto ack = client_->exchange(message);
      if (ack && hl7v2::Message::parse(*ack).message->get("MSA-1") == "AA") {
        return;
      }
    } catch (const std::exception&) {
      // The gateway died under us: connect again and resend.
    }
    client_.reset();
    ++resends_;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace rtw::testing
