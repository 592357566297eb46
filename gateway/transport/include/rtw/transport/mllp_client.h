#pragma once
// An MLLP client over TLS, for rtwctl and the tests: sends framed messages
// and reads the ACK frames that come back.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/Net/Context.h>
#include <Poco/Net/SecureStreamSocket.h>

#include "rtw/hl7v2/mllp.h"

namespace rtw::transport {

class MllpClient {
 public:
  /// Connects and completes the TLS handshake; throws Poco::Exception when
  /// the connection or the handshake fails. `host` is also the name the
  /// server certificate is checked against.
  MllpClient(const std::string& host, std::uint16_t port, Poco::Net::Context::Ptr tls,
             int timeout_ms = 10'000);

  /// Sends one message in an MLLP frame.
  void send(std::string_view message);
  /// Sends bytes as they are (no framing), for tests of bad input.
  void sendRaw(std::string_view bytes);
  /// The next frame the server sends; nullopt when the server closed the
  /// connection. Throws Poco::TimeoutException after the timeout.
  std::optional<std::string> receive();

  /// send() then receive().
  std::optional<std::string> exchange(std::string_view message);

 private:
  Poco::Net::SecureStreamSocket socket_;
  hl7v2::MllpFramer framer_;
};

}  // namespace rtw::transport
