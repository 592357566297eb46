// The TLS baseline (security/tls.cpp, SECURITY.md) as a client sees it,
// with OpenSSL directly so that the client may ask for what a well-behaved
// one never would: TLS 1.1, a CBC or non-ECDHE cipher, a renegotiation.
// testssl.sh (tests/security/run-testssl.sh) checks the same from outside,
// but cannot renegotiate against a server that wants a client certificate.

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include <openssl/ssl.h>

#include "https_fixture.h"

using namespace rtw::transport;
using namespace rtw::transport::test;

namespace {

using SslContext = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using SslSession = std::unique_ptr<SSL, decltype(&SSL_free)>;

/// An OpenSSL client with the gateway-client certificate, at most `max_version`.
SslContext client(int min_version, int max_version) {
  SslContext context(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  const auto files = certificate("gateway-client");
  REQUIRE(SSL_CTX_use_certificate_chain_file(context.get(), files.certificate.c_str()) == 1);
  REQUIRE(SSL_CTX_use_PrivateKey_file(context.get(), files.private_key.c_str(), SSL_FILETYPE_PEM) ==
          1);
  REQUIRE(SSL_CTX_load_verify_locations(context.get(), files.ca.c_str(), nullptr) == 1);
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_min_proto_version(context.get(), min_version);
  SSL_CTX_set_max_proto_version(context.get(), max_version);
  // What an old or careless client offers; the server must choose its own or refuse.
  SSL_CTX_set_security_level(context.get(), 0);
  return context;
}

/// A handshake over a fresh loopback connection: the session, or null when refused.
struct Connected {
  Poco::Net::StreamSocket socket;
  SslSession ssl{nullptr, SSL_free};
};

std::unique_ptr<Connected> handshake(std::uint16_t port, SSL_CTX* context) {
  auto connected = std::make_unique<Connected>();
  connected->socket.connect(Poco::Net::SocketAddress("127.0.0.1", port));
  connected->ssl.reset(SSL_new(context));
  SSL_set_fd(connected->ssl.get(), connected->socket.impl()->sockfd());
  if (SSL_connect(connected->ssl.get()) != 1) {
    return nullptr;
  }
  return connected;
}

std::string cipherOf(const Connected& connected) {
  return SSL_CIPHER_get_name(SSL_get_current_cipher(connected.ssl.get()));
}

}  // namespace

TEST_CASE("the listeners speak TLS 1.2 and 1.3 with ECDHE and AEAD ciphers only", "[tls]") {
  RunningServer running;
  running.start();

  const SslContext tls13 = client(TLS1_3_VERSION, TLS1_3_VERSION);
  const auto modern = handshake(running.port(), tls13.get());
  REQUIRE(modern);
  CHECK(SSL_version(modern->ssl.get()) == TLS1_3_VERSION);
  CHECK(SSL_get_current_compression(modern->ssl.get()) == nullptr);

  const SslContext tls12 = client(TLS1_2_VERSION, TLS1_2_VERSION);
  const auto older = handshake(running.port(), tls12.get());
  REQUIRE(older);
  CHECK_THAT(cipherOf(*older), Catch::StartsWith("ECDHE-") && Catch::Contains("GCM") ||
                                   Catch::Contains("CHACHA20-POLY1305"));

  // TLS 1.0 and 1.1 are refused.
  const SslContext tls11 = client(TLS1_VERSION, TLS1_1_VERSION);
  CHECK_FALSE(handshake(running.port(), tls11.get()));

  // A TLS 1.2 client that offers only CBC, static RSA or finite-field DHE.
  for (const char* weak : {"ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384",
                           "AES128-GCM-SHA256", "DHE-RSA-AES128-GCM-SHA256"}) {
    INFO(weak);
    const SslContext offering = client(TLS1_2_VERSION, TLS1_2_VERSION);
    REQUIRE(SSL_CTX_set_cipher_list(offering.get(), weak) == 1);
    CHECK_FALSE(handshake(running.port(), offering.get()));
  }
}

TEST_CASE("a client that asks to renegotiate a TLS 1.2 session is refused", "[tls]") {
  RunningServer running;
  running.start();
  const SslContext tls12 = client(TLS1_2_VERSION, TLS1_2_VERSION);
  const auto connected = handshake(running.port(), tls12.get());
  REQUIRE(connected);
  REQUIRE(SSL_renegotiate(connected->ssl.get()) == 1);
  // The server answers the new ClientHello with a no_renegotiation alert:
  // the renegotiation does not complete.
  CHECK(SSL_do_handshake(connected->ssl.get()) != 1);
  CHECK(SSL_renegotiate_pending(connected->ssl.get()) == 1);
}

TEST_CASE("the gateway's TLS client refuses a server whose certificate is not for its host name",
          "[tls]") {
  // A certificate of our own CA, valid, but issued to a partner, not to localhost.
  HttpsServer server(testOptions(), rtw::security::serverContext(certificate("partner-clinic01")),
                     anyVerifiedClient);
  server.route("GET", "/",
               [](Request&, Response& response) { response.reply(200, "text/plain", "hello\n"); });
  server.start();
  const Poco::Net::SocketAddress address("127.0.0.1", server.port());
  auto connectAs = [&](const std::string& host) -> std::string {
    try {
      Poco::Net::SecureStreamSocket socket(address, host, clientTls());
      socket.completeHandshake();
      return "connected";
    } catch (const Poco::Exception& e) {
      return e.displayText();
    }
  };
  // Valid and of our CA, but not for this host: refused. (The same client
  // gets through to the localhost certificate in every other test here.)
  CHECK_THAT(connectAs("localhost"), Catch::Contains("certificate verify failed"));
}
