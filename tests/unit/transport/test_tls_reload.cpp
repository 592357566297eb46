// The listeners' TLS material read again while connections stay open
// (security/server_tls.h): a reload changes what new handshakes present and
// check, never an established connection; a CRL refuses a revoked client
// certificate; a reload that fails keeps what was in force; and the expiry
// warnings the gateway logs.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/X509Certificate.h>
#include <Poco/TemporaryFile.h>

#include "dev_pki.h"
#include "https_fixture.h"
#include "rtw/security/server_tls.h"

using namespace rtw::transport;
using namespace rtw::transport::test;
namespace fs = std::filesystem;

namespace {

/// A CRL of the dev CA revoking the dev certificates `revoked`.
void writeCrl(const fs::path& out, const std::vector<std::string>& revoked) {
  std::vector<std::string> files;
  for (const std::string& name : revoked) {
    files.push_back(certificate(name).certificate);
  }
  rtw::testing::writeDevCrl(out, fs::path(certificate("board-sim").ca).parent_path(), files);
}

/// The server's files copied to a folder of their own, to be replaced.
struct ServerFiles {
  fs::path dir = Poco::TemporaryFile::tempName();
  fs::path crls = dir / "crl";
  rtw::security::TlsFiles files{(dir / "server.pem").string(), (dir / "server.key").string(),
                                certificate("board-sim").ca};
  ServerFiles() {
    fs::create_directories(crls);
    use("board-sim");
  }
  ~ServerFiles() { fs::remove_all(dir); }
  void use(const std::string& name) const {
    fs::copy_file(certificate(name).certificate, files.certificate,
                  fs::copy_options::overwrite_existing);
    fs::copy_file(certificate(name).private_key, files.private_key,
                  fs::copy_options::overwrite_existing);
  }
};

/// The serial number of the certificate a new connection is shown.
std::string presentedSerial(std::uint16_t port) {
  Poco::Net::SecureStreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port), "localhost",
                                       clientTls());
  socket.completeHandshake();
  return socket.peerCertificate().serialNumber();
}

std::string serialOf(const std::string& name) {
  return Poco::Net::X509Certificate(certificate(name).certificate).serialNumber();
}

/// Whether a client with the dev certificate `name` gets an answer from a new connection.
bool answered(std::uint16_t port, const std::string& name) {
  try {
    RawClient raw(port, clientTls(name));
    raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    return raw.receive(std::chrono::seconds(3)).has_value();
  } catch (const Poco::Exception&) {
    return false;  // TLS 1.3: the refused certificate shows on the first read or write
  }
}

void hello(Request&, Response& response) { response.reply(200, "text/plain", "hello\n"); }

}  // namespace

TEST_CASE("a reload changes the certificate of new connections and keeps the open ones", "[tls]") {
  ServerFiles server;
  rtw::security::ServerTls tls(server.files, "");
  HttpsServer https(testOptions(), tls.context(), anyVerifiedClient);
  https.route("GET", "/", hello);
  https.start();
  CHECK(presentedSerial(https.port()) == serialOf("board-sim"));
  RawClient open(https.port());
  open.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(open.receive());

  server.use("gateway");  // another localhost certificate of the same CA
  tls.reload();
  CHECK(presentedSerial(https.port()) == serialOf("gateway"));
  // The connection made before the reload goes on, on the same socket.
  const std::uint16_t before = open.localPort();
  open.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto again = open.receive();
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(open.localPort() == before);

  // A reload that fails keeps what is in force and says which file.
  fs::copy_file(certificate("board-sim").private_key, server.files.private_key,
                fs::copy_options::overwrite_existing);  // not the key of gateway.pem
  CHECK_THROWS_WITH(tls.reload(), Catch::Contains("is not the key of the certificate") &&
                                      Catch::Contains(server.files.certificate));
  CHECK(presentedSerial(https.port()) == serialOf("gateway"));
}

TEST_CASE("a client certificate revoked by its CA's CRL is refused from the next handshake on",
          "[tls]") {
  ServerFiles server;
  writeCrl(server.crls / "dev-ca.pem", {});
  rtw::security::ServerTls tls(server.files, server.crls.string());
  HttpsServer https(testOptions(), tls.context(), anyVerifiedClient);
  https.route("GET", "/", hello);
  https.start();
  CHECK(answered(https.port(), "partner-clinic01"));
  RawClient open(https.port(), clientTls("partner-clinic01"));
  open.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(open.receive());

  writeCrl(server.crls / "dev-ca.pem", {"partner-clinic01"});
  tls.reload();
  CHECK_FALSE(answered(https.port(), "partner-clinic01"));
  CHECK(answered(https.port(), "gateway-client"));
  // Not dropped: a connection made before the revocation ends when its client ends it.
  open.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(open.receive());

  // A CRL folder with no CRL is a configuration error, not "nothing revoked".
  fs::remove(server.crls / "dev-ca.pem");
  CHECK_THROWS_WITH(tls.reload(), Catch::Contains("holds no *.pem or *.crl file"));
  CHECK_FALSE(answered(https.port(), "partner-clinic01"));
}

TEST_CASE("certificates within the warning window are named with their expiry date", "[tls]") {
  using std::chrono::hours;
  const auto now = std::chrono::system_clock::from_time_t(1'800'000'000);  // 2027-01-15
  const std::vector<rtw::security::HeldCertificate> held = {
      {"conf/a.pem", "CN=soon", now + hours(24 * 12 + 1)},
      {"conf/b.pem", "CN=later", now + hours(24 * 45)},
      {"conf/c.pem", "CN=gone", now - hours(24)}};
  const auto warnings = rtw::security::expiryWarnings(held, now, hours(24 * 30));
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0] == "conf/a.pem: certificate CN=soon expires on 2027-01-27 (in 12 days)");
  CHECK(warnings[1] == "conf/c.pem: certificate CN=gone expired on 2027-01-14");
  // Read from a real file: the dev CA's subject and a date in the future.
  const auto ca = rtw::security::certificatesIn(certificate("board-sim").ca);
  REQUIRE(ca.size() == 1);
  CHECK(ca[0].subject == "CN=RTW Dev CA");
  CHECK(ca[0].not_after > std::chrono::system_clock::now());
}
