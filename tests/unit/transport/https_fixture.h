#pragma once
// The HTTPS server under test on loopback with the dev certificates
// (certs/make-dev-certs.sh, made once per test binary), and a raw TLS client
// that writes any bytes and reads what comes back, for the requests a
// well-behaved client library would never send.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>

#include "rtw/security/tls.h"
#include "rtw/transport/https_server.h"

namespace rtw::transport::test {

/// The certificates' folder; "board-sim" is the server's, "gateway-client"
/// and "partner-clinic01" are clients'.
rtw::security::TlsFiles certificate(const std::string& name);
Poco::Net::Context::Ptr serverTls();
Poco::Net::Context::Ptr clientTls(const std::string& name = "gateway-client");
/// A client context that trusts the server but presents no certificate.
Poco::Net::Context::Ptr clientTlsWithoutCertificate();

/// Options for tests: short timeouts, a short linger.
HttpsServerOptions testOptions();

class RunningServer {
 public:
  explicit RunningServer(HttpsServerOptions options = testOptions(),
                         IdentifyCaller identify = anyVerifiedClient);
  /// Routes are added before start().
  HttpsServer& server() { return *server_; }
  void start() { server_->start(); }
  std::uint16_t port() const { return server_->port(); }

 private:
  std::unique_ptr<HttpsServer> server_;
};

struct Reply {
  int status = 0;
  std::string body;
  Poco::Net::HTTPResponse head;
};

/// A TLS connection to the server writing raw bytes.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port, Poco::Net::Context::Ptr tls = clientTls());
  void send(const std::string& bytes);
  /// Reads one HTTP response (head and Content-Length body) within `wait`;
  /// nothing when the connection ended, failed or stayed silent.
  std::optional<Reply> receive(std::chrono::milliseconds wait = std::chrono::seconds(5));
  /// True when the server closed the connection (end of stream or reset)
  /// within `wait`; what it sent before is dropped.
  bool closedWithin(std::chrono::milliseconds wait);
  /// The local port: a second request on the same connection comes from it.
  std::uint16_t localPort() const;

 private:
  std::string buffered_;
  Poco::Net::SecureStreamSocket socket_;
};

/// A request through POCO's client on a session the caller may keep alive.
Reply exchange(Poco::Net::HTTPSClientSession& session, const std::string& method,
               const std::string& target, const std::string& body = "", bool chunked = false);
/// The same on a session of its own.
Reply request(std::uint16_t port, const std::string& method, const std::string& target,
              const std::string& body = "", bool chunked = false);
std::unique_ptr<Poco::Net::HTTPSClientSession> session(std::uint16_t port);

/// Log lines of the "rtw.https" logger while it lives.
class CapturedLog {
 public:
  CapturedLog();
  ~CapturedLog();
  std::string text() const;

 private:
  Poco::AutoPtr<Poco::Channel> channel_;
  Poco::AutoPtr<Poco::Channel> previous_;
};

/// Polls `condition` until it holds or `wait` passes.
bool waitUntil(const std::function<bool()>& condition,
               std::chrono::milliseconds wait = std::chrono::seconds(5));

}  // namespace rtw::transport::test
