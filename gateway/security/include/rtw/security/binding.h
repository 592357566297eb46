#pragma once
// Certificate → partner, in one place: every listener asks bindPartner()
// with the client certificate it was shown and its channel, and gets the
// partner or why not (DESIGN.md, guarantee 4). The certificate has been
// verified against our CA by then (TLS); this only says whose it is.
//
// A certificate is a partner's when one of the partner's "certificates"
// matches it: the subject CN, a subjectAltName DNS name, URI or e-mail
// address, or the SHA-256 fingerprint of the whole certificate. A
// certificate that matches two partners is refused, not given to either.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/security/partners.h"

namespace Poco::Crypto {
class X509Certificate;
}

namespace rtw::security {

/// What a certificate says about who holds it, read once per connection.
/// Names with a NUL byte in them are left out (they cannot be compared
/// safely); so is the CN of a subject with more than one.
struct PeerIdentity {
  std::string common_name;
  std::vector<std::string> dns;  // lower case
  std::vector<std::string> uris;
  std::vector<std::string> emails;  // lower case
  std::string sha256;               // "AB:CD:..." of the DER encoding
};

PeerIdentity identityOf(const Poco::Crypto::X509Certificate& certificate);

enum class Refusal {
  kNone,
  kUnknownCertificate,    // no partner's matchers match it
  kAmbiguousCertificate,  // several partners' do
  kNoChannel,             // its partner's file has no section for this channel
};

struct Binding {
  /// The partner (kept by the registry the binding was made from); set for
  /// kNone and kNoChannel, so that the refusal can name it.
  const Partner* partner = nullptr;
  Refusal refusal = Refusal::kUnknownCertificate;
  std::string channel;
  /// Which matcher bound it ("dns clinic.example"); for an ambiguous
  /// certificate, the partners it matches ("p1, p2").
  std::string matched;

  bool bound() const { return refusal == Refusal::kNone; }
  /// One sentence for logs and rtwctl (ids and certificate names, no PHI).
  std::string explain() const;
};

Binding bindPartner(const PartnerRegistry& registry, const PeerIdentity& peer,
                    std::string_view channel);
Binding bindPartner(const PartnerRegistry& registry,
                    const Poco::Crypto::X509Certificate& certificate, std::string_view channel);

/// The binding of one connection, following reloads of the registry: made
/// at the handshake, and made again for the next message once the registry
/// has been replaced (a partner's new channels, a partner removed). One
/// thread uses it (the connection's); the registry it reads outlives it.
class ConnectionBinding {
 public:
  ConnectionBinding(const LivePartnerRegistry& registry, PeerIdentity peer, std::string channel);

  /// The binding for the next message. Its partner stays valid until the
  /// next call (this keeps the registry snapshot it came from).
  const Binding& current();
  /// The binding current() gave last, not made again.
  const Binding& last() const { return binding_; }
  const PeerIdentity& peer() const { return peer_; }

 private:
  const LivePartnerRegistry& live_;
  PeerIdentity peer_;
  std::string channel_;
  std::uint64_t generation_;
  std::shared_ptr<const PartnerRegistry> registry_;
  Binding binding_;
};

/// What a certificate presents, for messages: "CN 'x', DNS 'a', URI 'b',
/// SHA-256 AB:CD:...".
std::string describe(const PeerIdentity& peer);

}  // namespace rtw::security
