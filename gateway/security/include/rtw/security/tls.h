#pragma once
// TLS contexts (OpenSSL through POCO NetSSL): TLS 1.2 or newer, peers
// verified against our CA, client certificates required on every listener.

#include <cstdint>
#include <string>

#include <Poco/Net/Context.h>
#include <Poco/Net/SecureServerSocket.h>

namespace rtw::security {

struct TlsFiles {
  std::string certificate;  // PEM certificate (chain) we present
  std::string private_key;  // its PEM private key
  std::string ca;           // PEM CA bundle we trust for the peer
};

/// Must be called once before any context is made (and deinitialised at exit).
class TlsLibrary {
 public:
  TlsLibrary();
  ~TlsLibrary();
  TlsLibrary(const TlsLibrary&) = delete;
  TlsLibrary& operator=(const TlsLibrary&) = delete;
};

/// A server context that refuses clients without a certificate from `files.ca`.
Poco::Net::Context::Ptr serverContext(const TlsFiles& files);

/// A TLS listening socket on host:port that no other process can share.
/// SO_REUSEADDR (a restart binds at once while the old connections linger in
/// TIME_WAIT) but never SO_REUSEPORT (POCO's default with reuseAddress),
/// with which a second gateway bound the same port and took half the
/// clinics' connections. Throws std::runtime_error naming the address when
/// it is taken.
Poco::Net::SecureServerSocket exclusiveListener(const std::string& host, std::uint16_t port,
                                                Poco::Net::Context::Ptr context, int backlog = 64);

/// A client context presenting our certificate and verifying the server's
/// certificate and host name against `files.ca`.
Poco::Net::Context::Ptr clientContext(const TlsFiles& files);

}  // namespace rtw::security
