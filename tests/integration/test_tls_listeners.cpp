// The TLS negatives a security review tries, on every listener of the
// running gateway (MLLP and partner HTTPS): no certificate, a certificate
// of another CA, an expired one, one not yet valid, a revoked one, TLS 1.1
// offered, a weak cipher offered — each refused in the handshake, while the
// partner's own certificate gets through. (A valid certificate bound to no
// partner is closed after the handshake on MLLP and answered 401 over
// HTTPS: test_partner_reload, test_fhir_endpoint.)

#include <catch2/catch.hpp>

#include <filesystem>

#include <unistd.h>

#include "dev_pki.h"
#include "harness.h"
#include "tls_probe.h"

using rtw::testing::RunningSystem;
using rtw::testing::TestCertificates;
using rtw::testing::TlsProbe;
namespace fs = std::filesystem;

TEST_CASE("every listener refuses what a security review tries, and takes the partner's own") {
  const auto& certificates = TestCertificates::get();
  const fs::path dir = fs::temp_directory_path() / ("rtw-tls-neg-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "crl");
  // clinic01's subject, so only what is wrong with each one decides.
  const std::string cn = "clinic01.partners.rtw.test";
  rtw::testing::issueDevClientCertificate(certificates.dir, dir, "expired", cn, -30, -1);
  rtw::testing::issueDevClientCertificate(certificates.dir, dir, "not-yet-valid", cn, 1, 30);
  rtw::testing::issueDevClientCertificate(certificates.dir, dir, "revoked", cn, -1, 30);
  rtw::testing::writeDevCrl(dir / "crl" / "dev-ca.pem", certificates.dir,
                            {(dir / "revoked.pem").string()});
  RunningSystem system({"tls.crlDir=" + (dir / "crl").string()});

  const auto own = certificates.partner("clinic01");
  auto with = [&](const std::string& name) {
    return rtw::testing::presenting((dir / (name + ".pem")).string(),
                                    (dir / (name + ".key")).string(), own.ca);
  };
  const auto rogue = certificates.roguePartner("clinic01");
  const auto refused = Catch::StartsWith("refused");
  for (const auto& [listener, port] :
       {std::pair{"MLLP", system.mllpPort()}, std::pair{"HTTPS", system.httpsPort()}}) {
    INFO(listener);
    const TlsProbe partner = rtw::testing::presenting(own.certificate, own.private_key, own.ca);
    CHECK(rtw::testing::tlsOutcome(port, partner) == "taken");
    CHECK_THAT(rtw::testing::tlsOutcome(port, rtw::testing::presenting("", "", own.ca)),
               refused);  // none
    CHECK_THAT(rtw::testing::tlsOutcome(
                   port, rtw::testing::presenting(rogue.certificate, rogue.private_key, own.ca)),
               refused);
    CHECK_THAT(rtw::testing::tlsOutcome(port, with("expired")), refused);
    CHECK_THAT(rtw::testing::tlsOutcome(port, with("not-yet-valid")), refused);
    CHECK_THAT(rtw::testing::tlsOutcome(port, with("revoked")), refused);
    TlsProbe old = partner;
    old.min_version = 0x0301;  // TLS 1.0
    old.max_version = 0x0302;  // TLS 1.1
    CHECK_THAT(rtw::testing::tlsOutcome(port, old), refused);
    for (const char* weak :
         {"ECDHE-ECDSA-AES128-SHA", "AES128-GCM-SHA256", "DHE-RSA-AES128-GCM-SHA256"}) {
      INFO(weak);
      TlsProbe cbc = partner;
      cbc.max_version = 0x0303;  // TLS 1.2, where the cipher is the client's offer
      cbc.tls12_ciphers = weak;
      CHECK_THAT(rtw::testing::tlsOutcome(port, cbc), refused);
    }
  }
  CHECK(system.gateway().running());
  fs::remove_all(dir);
}
