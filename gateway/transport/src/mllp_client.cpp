#include "rtw/transport/mllp_client.h"

#include <Poco/Net/SocketAddress.h>

namespace rtw::transport {

MllpClient::MllpClient(const std::string& host, std::uint16_t port, Poco::Net::Context::Ptr tls,
                       int timeout_ms)
    : socket_(Poco::Net::SocketAddress(host, port), host, tls) {
  socket_.setReceiveTimeout(Poco::Timespan(timeout_ms * 1000LL));
  socket_.setSendTimeout(Poco::Timespan(timeout_ms * 1000LL));
  socket_.completeHandshake();
}

void MllpClient::send(std::string_view message) { sendRaw(hl7v2::mllpFrame(message)); }

void MllpClient::sendRaw(std::string_view bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    sent += static_cast<std::size_t>(
        socket_.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent)));
  }
}

std::optional<std::string> MllpClient::receive() {
  char buffer[16 * 1024];
  for (;;) {
    while (std::optional<hl7v2::MllpEvent> event = framer_.next()) {
      if (event->kind == hl7v2::MllpEvent::Kind::kFrame) {
        return std::move(event->payload);
      }
    }
    const int n = socket_.receiveBytes(buffer, sizeof buffer);
    if (n <= 0) {
      return std::nullopt;
    }
    framer_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
  }
}

std::optional<std::string> MllpClient::exchange(std::string_view message) {
  send(message);
  return receive();
}

}  // namespace rtw::transport
