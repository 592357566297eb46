#include "load_stream.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace rtw::bench {
namespace {

std::string sslError(const std::string& what) {
  std::string text = what;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    text += std::string(": ") + buffer;
  }
  return text;
}

int connectTcp(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) {
    throw std::runtime_error("cannot resolve " + host);
  }
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port) + ": " +
                             std::strerror(errno));
  }
  // One small message at a time: Nagle would add up to 40 ms per exchange.
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void setNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

class PlainStream final : public ByteStream {
 public:
  explicit PlainStream(int fd) : fd_(fd) {}
  ~PlainStream() override { ::close(fd_); }

  IoResult read(char* buffer, std::size_t size) override {
    const ssize_t n = ::recv(fd_, buffer, size, 0);
    return result(n);
  }
  IoResult write(const char* data, std::size_t size) override {
    const ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
    return result(n);
  }
  bool hasBuffered() const override { return false; }
  int fd() const override { return fd_; }

 private:
  static IoResult result(ssize_t n) {
    if (n > 0) {
      return {IoResult::Status::kOk, static_cast<std::size_t>(n), {}};
    }
    if (n == 0) {
      return {IoResult::Status::kClosed, 0, {}};
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      return {IoResult::Status::kWouldBlock, 0, {}};
    }
    return {IoResult::Status::kFailed, 0, std::strerror(errno)};
  }
  int fd_;
};

class TlsStream final : public ByteStream {
 public:
  TlsStream(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  ~TlsStream() override {
    SSL_free(ssl_);
    ::close(fd_);
  }

  IoResult read(char* buffer, std::size_t size) override {
    const int n = SSL_read(ssl_, buffer, static_cast<int>(size));
    return result(n, false);
  }
  IoResult write(const char* data, std::size_t size) override {
    const int n = SSL_write(ssl_, data, static_cast<int>(size));
    return result(n, true);
  }
  bool hasBuffered() const override { return SSL_pending(ssl_) > 0; }
  bool writeWantsRead() const override { return write_wants_read_; }
  int fd() const override { return fd_; }

 private:
  IoResult result(int n, bool writing) {
    if (writing) {
      write_wants_read_ = false;
    }
    if (n > 0) {
      return {IoResult::Status::kOk, static_cast<std::size_t>(n), {}};
    }
    switch (SSL_get_error(ssl_, n)) {
      case SSL_ERROR_WANT_READ:
        write_wants_read_ = writing;
        return {IoResult::Status::kWouldBlock, 0, {}};
      case SSL_ERROR_WANT_WRITE:
        return {IoResult::Status::kWouldBlock, 0, {}};
      case SSL_ERROR_ZERO_RETURN:
        return {IoResult::Status::kClosed, 0, {}};
      case SSL_ERROR_SYSCALL:
        if (errno == EAGAIN || errno == EINTR) {
          return {IoResult::Status::kWouldBlock, 0, {}};
        }
        return {errno == 0 ? IoResult::Status::kClosed : IoResult::Status::kFailed, 0,
                std::strerror(errno)};
      default:
        return {IoResult::Status::kFailed, 0, sslError("TLS")};
    }
  }
  int fd_;
  SSL* ssl_;
  bool write_wants_read_ = false;
};

}  // namespace

TlsClientContext::TlsClientContext(const TlsClientFiles& files) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  ctx_ = ctx;
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(ctx, files.certificate.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, files.private_key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_load_verify_locations(ctx, files.ca.c_str(), nullptr) != 1) {
    throw std::runtime_error(sslError("cannot load the client certificate, key or CA"));
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  // Non-blocking use: a record that is not application data (a TLS 1.3
  // session ticket) must come back as WANT_READ, not block in SSL_read.
  SSL_CTX_clear_mode(ctx, SSL_MODE_AUTO_RETRY);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

TlsClientContext::~TlsClientContext() { SSL_CTX_free(static_cast<SSL_CTX*>(ctx_)); }

std::unique_ptr<ByteStream> connectStream(const std::string& host, std::uint16_t port,
                                          const TlsClientContext* tls) {
  const int fd = connectTcp(host, port);
  if (tls == nullptr) {
    setNonBlocking(fd);
    return std::make_unique<PlainStream>(fd);
  }
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(tls->native()));
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, host.c_str());
  SSL_set1_host(ssl, host.c_str());
  if (SSL_connect(ssl) != 1) {
    const std::string error = sslError("TLS handshake with " + host + " failed");
    SSL_free(ssl);
    ::close(fd);
    throw std::runtime_error(error);
  }
  setNonBlocking(fd);
  return std::make_unique<TlsStream>(fd, ssl);
}

}  // namespace rtw::bench
