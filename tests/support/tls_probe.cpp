#include "tls_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <stdexcept>

#include <openssl/ssl.h>

namespace rtw::testing {
namespace {

struct Socket {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  Socket() = default;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() { ::close(fd); }
};

std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> contextFor(const TlsProbe& probe) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()),
                                                            SSL_CTX_free);
  SSL_CTX_set_security_level(context.get(), 0);  // offer what old clients offer
  SSL_CTX_set_min_proto_version(context.get(), probe.min_version);
  SSL_CTX_set_max_proto_version(context.get(), probe.max_version);
  if (!probe.tls12_ciphers.empty() &&
      SSL_CTX_set_cipher_list(context.get(), probe.tls12_ciphers.c_str()) != 1) {
    throw std::invalid_argument("OpenSSL knows no cipher in '" + probe.tls12_ciphers + "'");
  }
  if (!probe.certificate.empty() &&
      (SSL_CTX_use_certificate_chain_file(context.get(), probe.certificate.c_str()) != 1 ||
       SSL_CTX_use_PrivateKey_file(context.get(), probe.private_key.c_str(), SSL_FILETYPE_PEM) !=
           1)) {
    throw std::invalid_argument("cannot load " + probe.certificate);
  }
  if (!probe.ca.empty()) {
    SSL_CTX_load_verify_locations(context.get(), probe.ca.c_str(), nullptr);
  }
  return context;
}

}  // namespace

std::string tlsOutcome(std::uint16_t port, const TlsProbe& probe, std::chrono::milliseconds wait) {
  const auto context = contextFor(probe);
  Socket socket;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket.fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
  timeval timeout{static_cast<time_t>(wait.count() / 1000),
                  static_cast<suseconds_t>((wait.count() % 1000) * 1000)};
  ::setsockopt(socket.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context.get()), SSL_free);
  SSL_set_fd(ssl.get(), socket.fd);
  if (SSL_connect(ssl.get()) != 1) {
    return "refused in the handshake";
  }
  char byte = 0;
  errno = 0;
  const int read = SSL_read(ssl.get(), &byte, 1);
  if (read > 0) {
    return "taken";  // the server spoke first
  }
  const int error = SSL_get_error(ssl.get(), read);
  // Silence until the timeout: the server waits for a request.
  const bool silent = error == SSL_ERROR_WANT_READ ||
                      (error == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK));
  return silent ? "taken" : "refused after the handshake";
}

}  // namespace rtw::testing
