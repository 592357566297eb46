// Certificate → partner with real certificates (certs/make-dev-certs.sh, the
// openssl CLI): by CN, subjectAltName DNS, URI or e-mail, or fingerprint;
// and each refusal: unknown, ambiguous, no such channel.

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <memory>

#include <Poco/Crypto/X509Certificate.h>

#include "partner_dir.h"
#include "rtw/security/binding.h"

using namespace rtw::security;
using rtw::security::testing::PartnerDir;

namespace {

std::string run(const std::string& command) {
  std::array<char, 512> buffer{};
  std::string output;
  const std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  REQUIRE(pipe);
  while (fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr) {
    output += buffer.data();
  }
  return output;
}

// Certificates made once for this binary from partner files that say what
// each presents; the registries of the tests are written separately.
struct Certificates {
  PartnerDir files;
  std::filesystem::path out = files.dir / "certs";

  Certificates() {
    files.write("cn-only", R"({"certificates": [{"commonName": "cn-only.test"}]})");
    files.write("dns-cert", R"({"certificates": [{"dns": "Dns-Cert.Example"}]})");
    files.write("uri-cert", R"({"certificates": [{"uri": "spiffe://rtw.test/partner/uri"}]})");
    files.write("mail-cert", R"({"certificates": [{"email": "ops@mail-cert.example"}]})");
    files.write("two-names",
                R"({"certificates": [{"commonName": "two-names.test"}, {"dns": "two.example"}]})");
    files.write("plain", "{}");
    run("RTW_PARTNERS_DIR='" + files.dir.string() +
        "' '" RTW_SOURCE_DIR "/certs/make-dev-certs.sh' '" + out.string() + "' 2>&1");
  }
  std::string pem(const std::string& id) const {
    return (out / ("partner-" + id + ".pem")).string();
  }
  Poco::Crypto::X509Certificate operator[](const std::string& id) const {
    return Poco::Crypto::X509Certificate(pem(id));
  }
  static const Certificates& get() {
    static const Certificates made;
    return made;
  }
};

// A partner file with `certificates` (a JSON list) and `sections`.
std::string partner(const std::string& id, const std::string& certificates,
                    const std::string& sections = R"(, "mllp": {"facilities": ["F"]})") {
  return "{\"id\": \"" + id +
         "\", \"name\": \"N\", \"plugin\": \"generic\", \"board\": \"WSBC\", \"certificates\": " +
         certificates + sections + "}";
}

}  // namespace

TEST_CASE("a certificate's identity is what openssl reads in it") {
  const auto& certs = Certificates::get();
  const PeerIdentity dns = identityOf(certs["dns-cert"]);
  CHECK(dns.common_name == "dns-cert.partners.rtw.test");
  CHECK(dns.dns == std::vector<std::string>{"dns-cert.example"});  // compared in lower case
  CHECK(identityOf(certs["uri-cert"]).uris ==
        std::vector<std::string>{"spiffe://rtw.test/partner/uri"});
  CHECK(identityOf(certs["mail-cert"]).emails == std::vector<std::string>{"ops@mail-cert.example"});
  const std::string openssl =
      run("openssl x509 -noout -fingerprint -sha256 -in '" + certs.pem("plain") + "'");
  CHECK(openssl == "sha256 Fingerprint=" + identityOf(certs["plain"]).sha256 + "\n");
}

TEST_CASE("a certificate binds to its partner by CN, SAN DNS, URI, e-mail or fingerprint") {
  const auto& certs = Certificates::get();
  const std::string fingerprint = identityOf(certs["plain"]).sha256;
  PartnerDir dir;
  dir.write("a", partner("a", R"([{"commonName": "cn-only.test"}])"));
  dir.write("b", partner("b", R"([{"dns": "dns-cert.example"}])"));
  dir.write("c", partner("c", R"([{"uri": "spiffe://rtw.test/partner/uri"}])"));
  dir.write("d", partner("d", R"([{"email": "OPS@mail-cert.example"}])"));
  // The fingerprint as openssl prints it, or in lower case without colons.
  std::string bare;
  for (char c : fingerprint) {
    if (c != ':') {
      bare.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  dir.write("e", partner("e", "[{\"sha256\": \"" + bare + "\"}]"));
  const PartnerRegistry registry = PartnerRegistry::load(dir.dir);
  auto bind = [&](const std::string& cert) { return bindPartner(registry, certs[cert], "mllp"); };

  const Binding by_cn = bind("cn-only");
  REQUIRE(by_cn.bound());
  CHECK(by_cn.partner->id == "a");
  CHECK(by_cn.explain() == "partner a (commonName cn-only.test) on mllp");
  CHECK(bind("dns-cert").partner->id == "b");
  CHECK(bind("dns-cert").matched == "dns dns-cert.example");
  CHECK(bind("uri-cert").partner->id == "c");
  CHECK(bind("mail-cert").partner->id == "d");
  CHECK(bind("plain").partner->id == "e");
  CHECK(bind("plain").matched == "sha256 " + fingerprint);
  for (const char* cert : {"cn-only", "dns-cert", "uri-cert", "mail-cert", "plain"}) {
    CHECK(bind(cert).refusal == Refusal::kNone);
  }
}

TEST_CASE("while a certificate is rotated, the old and the new one both bind") {
  const auto& certs = Certificates::get();
  PartnerDir dir;
  dir.write("a", partner("a", R"([{"commonName": "cn-only.test"}, {"dns": "dns-cert.example"}])"));
  const PartnerRegistry registry = PartnerRegistry::load(dir.dir);
  CHECK(bindPartner(registry, certs["cn-only"], "mllp").partner->id == "a");
  CHECK(bindPartner(registry, certs["dns-cert"], "mllp").partner->id == "a");
}

TEST_CASE("a certificate no partner names is refused as unknown") {
  const auto& certs = Certificates::get();
  PartnerDir dir;
  dir.write("a", partner("a", R"([{"commonName": "cn-only.test"}])"));
  const Binding binding = bindPartner(PartnerRegistry::load(dir.dir), certs["plain"], "mllp");
  CHECK(binding.refusal == Refusal::kUnknownCertificate);
  CHECK(binding.partner == nullptr);
  CHECK(binding.explain() == "the certificate is bound to no partner");
}

TEST_CASE("a certificate that matches two partners binds to neither") {
  const auto& certs = Certificates::get();
  PartnerDir dir;
  dir.write("x", partner("x", R"([{"commonName": "two-names.test"}])"));
  dir.write("y", partner("y", R"([{"dns": "two.example"}])"));
  const Binding binding = bindPartner(PartnerRegistry::load(dir.dir), certs["two-names"], "mllp");
  CHECK(binding.refusal == Refusal::kAmbiguousCertificate);
  CHECK(binding.partner == nullptr);
  CHECK(binding.explain() ==
        "the certificate matches several partners (x, y); a certificate must belong to one");
}

TEST_CASE("a partner whose file lacks the channel is refused, naming the partner") {
  const auto& certs = Certificates::get();
  PartnerDir dir;
  dir.write("f", partner("f", R"([{"commonName": "cn-only.test"}])",
                         R"(, "fhir": {"organizations": [{"system": "s", "value": "v"}]})"));
  const PartnerRegistry registry = PartnerRegistry::load(dir.dir);
  const Binding mllp = bindPartner(registry, certs["cn-only"], "mllp");
  CHECK(mllp.refusal == Refusal::kNoChannel);
  REQUIRE(mllp.partner != nullptr);
  CHECK(mllp.partner->id == "f");
  CHECK(mllp.explain() ==
        "partner f (commonName cn-only.test) has no mllp channel (its file has no \"mllp\" "
        "section)");
  CHECK(bindPartner(registry, certs["cn-only"], "fhir").bound());
}

TEST_CASE("make-dev-certs makes a partner added later and leaves the others alone") {
  PartnerDir dir;
  dir.write("first", R"({"certificates": [{"commonName": "first.test"}]})");
  const std::string script = "RTW_PARTNERS_DIR='" + dir.dir.string() +
                             "' '" RTW_SOURCE_DIR "/certs/make-dev-certs.sh' '" +
                             (dir.dir / "certs").string() + "' 2>&1";
  CHECK_THAT(run(script), Catch::Contains("made partner-first.pem"));
  const std::string first = (dir.dir / "certs/partner-first.pem").string();
  const std::string before = run("sha256sum '" + first + "' '" + first.substr(0, first.size() - 4) +
                                 ".key' '" + (dir.dir / "certs/ca.pem").string() + "'");
  dir.write("later", R"({"certificates": [{"dns": "later.example"}]})");
  const std::string again = run(script);
  CHECK_THAT(again, Catch::Contains("made partner-later.pem"));
  CHECK_THAT(again, !Catch::Contains("made partner-first.pem"));
  CHECK(run("sha256sum '" + first + "' '" + first.substr(0, first.size() - 4) + ".key' '" +
            (dir.dir / "certs/ca.pem").string() + "'") == before);
  const PeerIdentity later =
      identityOf(Poco::Crypto::X509Certificate((dir.dir / "certs/partner-later.pem").string()));
  CHECK(later.dns == std::vector<std::string>{"later.example"});
  CHECK(later.common_name == "later.partners.rtw.test");
}

TEST_CASE("a connection's binding follows the registry for its next message") {
  const auto& certs = Certificates::get();
  PartnerDir dir;
  auto load = [&] {
    return std::make_shared<const PartnerRegistry>(PartnerRegistry::load(dir.dir));
  };
  dir.write("a", partner("a", R"([{"commonName": "cn-only.test"}])"));
  LivePartnerRegistry live(load());
  ConnectionBinding connection(live, identityOf(certs["cn-only"]), "mllp");
  REQUIRE(connection.current().bound());
  const Partner* first = connection.current().partner;
  CHECK(first->id == "a");
  CHECK(connection.current().partner == first);  // no reload: the same binding

  dir.write("a", partner("a", R"([{"commonName": "cn-only.test"}])",
                         R"(, "fhir": {"organizations": [{"system": "s", "value": "v"}]})"));
  live.replace(load());
  CHECK(connection.last().partner == first);  // not bound again until asked
  CHECK(connection.current().refusal == Refusal::kNoChannel);
  CHECK(connection.current().partner->id == "a");

  std::filesystem::remove(dir.dir / "a.json");
  live.replace(load());
  CHECK(connection.current().refusal == Refusal::kUnknownCertificate);
  CHECK(connection.last().partner == nullptr);
}
