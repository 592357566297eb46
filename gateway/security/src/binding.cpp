#include "rtw/security/binding.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <Poco/Crypto/X509Certificate.h>

namespace rtw::security {
namespace {

// The text of an ASN.1 string, or nothing when it holds a NUL ("a.test\0.evil").
std::optional<std::string> plainText(const ASN1_STRING* value) {
  if (value == nullptr) {
    return std::nullopt;
  }
  const auto* data = reinterpret_cast<const char*>(ASN1_STRING_get0_data(value));
  const std::string text(data, static_cast<std::size_t>(ASN1_STRING_length(value)));
  if (text.find('\0') != std::string::npos) {
    return std::nullopt;
  }
  return text;
}

std::string lowerCase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The subject's one CN, in UTF-8; "" when it has none, or several.
std::string commonName(X509* certificate) {
  const X509_NAME* subject = X509_get_subject_name(certificate);
  const int first = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (first < 0 || X509_NAME_get_index_by_NID(subject, NID_commonName, first) >= 0) {
    return "";
  }
  unsigned char* utf8 = nullptr;
  const int length =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, first)));
  if (length < 0) {
    return "";
  }
  const std::unique_ptr<unsigned char, void (*)(void*)> owned(utf8,
                                                              [](void* p) { OPENSSL_free(p); });
  const std::string text(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
  return text.find('\0') == std::string::npos ? text : "";
}

void readAltNames(X509* certificate, PeerIdentity& peer) {
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) {
    return;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      if (auto text = plainText(name->d.dNSName)) {
        peer.dns.push_back(lowerCase(*text));
      }
    } else if (name->type == GEN_URI) {
      if (auto text = plainText(name->d.uniformResourceIdentifier)) {
        peer.uris.push_back(*text);
      }
    } else if (name->type == GEN_EMAIL) {
      if (auto text = plainText(name->d.rfc822Name)) {
        peer.emails.push_back(lowerCase(*text));
      }
    }
  }
  GENERAL_NAMES_free(names);
}

std::string sha256Of(const X509* certificate) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(certificate, EVP_sha256(), digest, &length) != 1) {
    return "";
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    text += (i == 0 ? "" : ":");
    text.push_back(kHex[digest[i] >> 4]);
    text.push_back(kHex[digest[i] & 0xF]);
  }
  return text;
}

// Every (kind, value) the certificate presents, as a matcher compares them.
std::vector<CertificateMatcher> presented(const PeerIdentity& peer) {
  using Kind = CertificateMatcher::Kind;
  std::vector<CertificateMatcher> all;
  if (!peer.common_name.empty()) {
    all.push_back({Kind::kCommonName, peer.common_name});
  }
  for (const auto& name : peer.dns) {
    all.push_back({Kind::kDns, name});
  }
  for (const auto& uri : peer.uris) {
    all.push_back({Kind::kUri, uri});
  }
  for (const auto& email : peer.emails) {
    all.push_back({Kind::kEmail, email});
  }
  if (!peer.sha256.empty()) {
    all.push_back({Kind::kSha256, peer.sha256});
  }
  return all;
}

}  // namespace

PeerIdentity identityOf(const Poco::Crypto::X509Certificate& certificate) {
  // OpenSSL's getters take a non-const X509 but do not change it.
  X509* x509 = const_cast<X509*>(certificate.certificate());
  PeerIdentity peer;
  peer.common_name = commonName(x509);
  readAltNames(x509, peer);
  peer.sha256 = sha256Of(x509);
  return peer;
}

Binding bindPartner(const PartnerRegistry& registry, const PeerIdentity& peer,
                    std::string_view channel) {
  Binding binding;
  binding.channel = std::string(channel);
  std::set<std::string> partners;
  for (const CertificateMatcher& name : presented(peer)) {
    if (const Partner* partner = registry.byMatcher(name)) {
      if (partners.insert(partner->id).second && binding.partner == nullptr) {
        binding.partner = partner;
        binding.matched = describe(name);
      }
    }
  }
  if (partners.size() > 1) {
    binding.partner = nullptr;
    binding.refusal = Refusal::kAmbiguousCertificate;
    binding.matched.clear();
    for (const auto& id : partners) {
      binding.matched += (binding.matched.empty() ? "" : ", ") + id;
    }
    return binding;
  }
  if (binding.partner == nullptr) {
    binding.refusal = Refusal::kUnknownCertificate;
    return binding;
  }
  binding.refusal = usesChannel(*binding.partner, channel) ? Refusal::kNone : Refusal::kNoChannel;
  return binding;
}

Binding bindPartner(const PartnerRegistry& registry,
                    const Poco::Crypto::X509Certificate& certificate, std::string_view channel) {
  return bindPartner(registry, identityOf(certificate), channel);
}

ConnectionBinding::ConnectionBinding(const LivePartnerRegistry& registry, PeerIdentity peer,
                                     std::string channel)
    : live_(registry),
      peer_(std::move(peer)),
      channel_(std::move(channel)),
      generation_(live_.generation()),
      registry_(live_.current()),
      binding_(bindPartner(*registry_, peer_, channel_)) {}

const Binding& ConnectionBinding::current() {
  const std::uint64_t generation = live_.generation();
  if (generation != generation_) {
    // A replace() between these two reads gives a newer registry than
    // `generation`: the next call binds again, to the same.
    generation_ = generation;
    registry_ = live_.current();
    binding_ = bindPartner(*registry_, peer_, channel_);
  }
  return binding_;
}

std::string Binding::explain() const {
  switch (refusal) {
    case Refusal::kNone:
      return "partner " + partner->id + " (" + matched + ") on " + channel;
    case Refusal::kUnknownCertificate:
      return "the certificate is bound to no partner";
    case Refusal::kAmbiguousCertificate:
      return "the certificate matches several partners (" + matched +
             "); a certificate must belong to one";
    case Refusal::kNoChannel:
      return "partner " + partner->id + " (" + matched + ") has no " + channel +
             " channel (its file has no \"" + channel + "\" section)";
  }
  return "";
}

std::string describe(const PeerIdentity& peer) {
  std::string text = "CN '" + peer.common_name + "'";
  for (const auto& name : peer.dns) {
    text += ", DNS '" + name + "'";
  }
  for (const auto& uri : peer.uris) {
    text += ", URI '" + uri + "'";
  }
  for (const auto& email : peer.emails) {
    text += ", e-mail '" + email + "'";
  }
  return text + ", SHA-256 " + peer.sha256;
}

}  // namespace rtw::security
