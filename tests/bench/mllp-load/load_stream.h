#pragma once
// A non-blocking byte stream to an MLLP server for the load generator: plain
// TCP (for peers without TLS) or TLS 1.2+ with a client certificate, on
// OpenSSL directly so that one thread can poll, read and write its connection
// without the blocking reads of a stream class.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace rtw::bench {

struct TlsClientFiles {
  std::string certificate;  // PEM client certificate (the partner's)
  std::string private_key;
  std::string ca;  // the CA the server's certificate must chain to
};

struct IoResult {
  enum class Status { kOk, kWouldBlock, kClosed, kFailed };
  Status status = Status::kOk;
  std::size_t bytes = 0;
  std::string error;  // when kFailed
};

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual IoResult read(char* buffer, std::size_t size) = 0;
  virtual IoResult write(const char* data, std::size_t size) = 0;
  /// True when bytes are buffered inside the stream (decrypted TLS records)
  /// and a read would return them without waiting on the socket.
  virtual bool hasBuffered() const = 0;
  /// True when the last write would block because the stream needs to read first (TLS).
  virtual bool writeWantsRead() const { return false; }
  virtual int fd() const = 0;
};

/// Shared TLS client settings (one SSL_CTX for all connections); null means plain TCP.
class TlsClientContext {
 public:
  explicit TlsClientContext(const TlsClientFiles& files);
  ~TlsClientContext();
  TlsClientContext(const TlsClientContext&) = delete;
  TlsClientContext& operator=(const TlsClientContext&) = delete;
  void* native() const { return ctx_; }

 private:
  void* ctx_ = nullptr;
};

/// Connects (and completes the TLS handshake when `tls` is set) with blocking
/// I/O, then switches the socket to non-blocking. Throws std::runtime_error.
std::unique_ptr<ByteStream> connectStream(const std::string& host, std::uint16_t port,
                                          const TlsClientContext* tls);

}  // namespace rtw::bench
