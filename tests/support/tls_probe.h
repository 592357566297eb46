#pragma once
// A TLS client that offers what a careless or hostile one would — no
// certificate, another CA's, an expired one, TLS 1.1, a CBC cipher — and
// says whether the server took it: for the TLS negatives on every listener.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

namespace rtw::testing {

struct TlsProbe {
  std::string certificate;  // PEM; "" presents none
  std::string private_key;
  std::string ca;             // trusted for the server's certificate
  int min_version = 0x0303;   // TLS1_2_VERSION
  int max_version = 0x0304;   // TLS1_3_VERSION
  std::string tls12_ciphers;  // "" = OpenSSL's defaults
};

/// A probe presenting `certificate` ("" for none), TLS 1.2 and 1.3, OpenSSL's ciphers.
inline TlsProbe presenting(std::string certificate, std::string private_key, std::string ca) {
  TlsProbe probe;
  probe.certificate = std::move(certificate);
  probe.private_key = std::move(private_key);
  probe.ca = std::move(ca);
  return probe;
}

/// Connects to 127.0.0.1:`port` and shakes hands: "refused in the handshake",
/// "refused after the handshake" (an alert or a close: a TLS 1.3 server
/// refuses a client certificate after the client's side completed), or
/// "taken" (the server then waited `wait` for a request, or spoke first).
std::string tlsOutcome(std::uint16_t port, const TlsProbe& probe,
                       std::chrono::milliseconds wait = std::chrono::seconds(4));
/// Whether tlsOutcome() is "taken".
inline bool tlsAccepted(std::uint16_t port, const TlsProbe& probe) {
  return tlsOutcome(port, probe) == "taken";
}

}  // namespace rtw::testing
