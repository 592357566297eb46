#include "rtw/security/tls.h"

#include <filesystem>
#include <stdexcept>

#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>

namespace rtw::security {
namespace {

// ECDHE with AES-GCM or ChaCha20 for TLS 1.2; TLS 1.3 suites are OpenSSL's defaults.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";

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
