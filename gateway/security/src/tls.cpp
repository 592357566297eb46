#include "rtw/security/tls.h"

#include <filesystem>
#include <stdexcept>

#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <openssl/ssl.h>

namespace rtw::security {
namespace {

// Mozilla's "intermediate" configuration (server-side TLS, version 5.7):
// TLS 1.2 and 1.3 only; ECDHE with AES-GCM or ChaCha20-Poly1305 (TLS 1.2;
// no finite-field DHE, which intermediate allows but our peers do not
// need); the three AEAD suites of TLS 1.3; X25519, P-256 and P-384.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* kGroups = "X25519:prime256v1:secp384r1";

// What POCO's parameters do not say: the TLS 1.3 suites, the groups, no
// compression (CRIME), no renegotiation in TLS 1.2 (OpenSSL 3 already
// refuses a client's; this also rules out our own, and a client-initiated
// one stays refused if a default changes: test_tls_baseline), and no session
// tickets (a ticket key that never rotates would undo forward secrecy; the
// server's session cache still resumes).
void applyBaseline(SSL_CTX* context) {
  SSL_CTX_set_options(context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  if (SSL_CTX_set_ciphersuites(context, kTls13Suites) != 1 ||
      SSL_CTX_set1_groups_list(context, kGroups) != 1) {
    throw std::runtime_error("OpenSSL refused the TLS baseline (suites or groups)");
  }
}

void requireFile(const std::string& path, const char* what) {
  if (path.empty() || !std::filesystem::is_regular_file(path)) {
    throw std::runtime_error(std::string("TLS ") + what + " file not found: '" + path + "'");
  }
}

Poco::Net::Context::Ptr makeContext(Poco::Net::Context::Usage usage, const TlsFiles& files) {
  requireFile(files.certificate, "certificate");
  requireFile(files.private_key, "private key");
  requireFile(files.ca, "CA");
  Poco::Net::Context::Params params;
  params.certificateFile = files.certificate;
  params.privateKeyFile = files.private_key;
  params.caLocation = files.ca;
  // STRICT on a server also fails the handshake when the client sends no certificate.
  params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  params.verificationDepth = 4;
  params.loadDefaultCAs = false;
  params.cipherList = kCipherList;
  params.ecdhCurve = "prime256v1";
  Poco::Net::Context::Ptr context = new Poco::Net::Context(usage, params);
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  applyBaseline(context->sslContext());
  return context;
}

}  // namespace

TlsLibrary::TlsLibrary() {
  Poco::Net::initializeSSL();
  // A certificate that fails verification is refused, never accepted by a prompt.
  Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject =
      new Poco::Net::RejectCertificateHandler(false);
  Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, nullptr);
  Poco::Net::SSLManager::instance().initializeServer(nullptr, reject, nullptr);
}

TlsLibrary::~TlsLibrary() { Poco::Net::uninitializeSSL(); }

Poco::Net::Context::Ptr serverContext(const TlsFiles& files) {
  Poco::Net::Context::Ptr context = makeContext(Poco::Net::Context::TLS_SERVER_USE, files);
  // POCO's extended check matches a peer certificate against the peer's host
  // name; a client has no host name to match. Clients are bound by their
  // certificate's subject (security/partners.h), after the chain is verified.
  context->enableExtendedCertificateVerification(false);
  // Session resumption across our own listeners only.
  context->enableSessionCache(true, "rtw-gateway");
  return context;
}

Poco::Net::Context::Ptr clientContext(const TlsFiles& files) {
  return makeContext(Poco::Net::Context::TLS_CLIENT_USE, files);
}

Poco::Net::SecureServerSocket exclusiveListener(const std::string& host, std::uint16_t port,
                                                Poco::Net::Context::Ptr context, int backlog) {
  Poco::Net::SecureServerSocket socket(std::move(context));
  try {
    socket.bind(Poco::Net::SocketAddress(host, port), true, false);
    socket.listen(backlog);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                             e.displayText() +
                             " (another process holds the port: a second gateway or board "
                             "simulator?)");
  }
  return socket;
}

}  // namespace rtw::security
