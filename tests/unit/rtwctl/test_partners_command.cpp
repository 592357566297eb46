// rtwctl partners: what an integration engineer checks before the gateway
// runs: the registry as the gateway reads it, and which partner a
// certificate is bound to on a channel (or why not).

#include <catch2/catch.hpp>

#include "map_scratch.h"

using namespace rtw::testing;

namespace {

// Dev certificates for the shipped partners and one no partner names.
void makeCertificates(const MapScratch& scratch) {
  const std::string script = "'" RTW_SOURCE_DIR "/certs/make-dev-certs.sh' '" +
                             (scratch.dir() / "certs").string() +
                             "' clinic01 westcoast-fhir stranger >/dev/null";
  REQUIRE(std::system(script.c_str()) == 0);
}

std::string cert(const MapScratch& scratch, const std::string& id) {
  return (scratch.dir() / "certs" / ("partner-" + id + ".pem")).string();
}

}  // namespace

TEST_CASE("rtwctl partners list shows each partner's channels, certificates and plugin",
          "[rtwctl][partners]") {
  MapScratch scratch;
  const Run run = scratch.rtwctl({"partners", "list", "--plugins", RTW_PLUGIN_DIR});
  CHECK(run.status == 0);
  CHECK(run.err.empty());
  CHECK(run.out ==
        "ID                CHANNELS  CERTIFICATES                                   PLUGIN\n"
        "bayfront-fhir     fhir      commonName bayfront-fhir.partners.rtw.test     generic\n"
        "clinic01          mllp      commonName clinic01.partners.rtw.test          generic\n"
        "fanshawe-college  files     commonName fanshawe-college.partners.rtw.test  generic\n"
        "harbour-physio    mllp      commonName harbour-physio.partners.rtw.test    generic\n"
        "lakeshore-msk     mllp      commonName lakeshore-msk.partners.rtw.test     generic\n"
        "westcoast-fhir    fhir      commonName westcoast-fhir.partners.rtw.test    generic\n");
}

TEST_CASE("rtwctl partners list names settings, partners without channels, and bad files",
          "[rtwctl][partners]") {
  MapScratch scratch;
  const std::string partners = (scratch.dir() / "partners").string();
  scratch.write("partners/p1.json",
                R"({"id": "p1", "name": "N", "board": "WSIB", "plugin": "test-settings-reader",
  "certificates": [{"dns": "p1.example"}, {"uri": "spiffe://rtw.test/p1"}],
  "settings": {"referralPrefix": "P1", "copies": 2}})");
  const Run run = scratch.rtwctl(
      {"partners", "list", "--partners", partners, "--plugins", RTW_BINARY_DIR "/test-plugins"});
  CHECK(run.status == 0);
  CHECK(run.out ==
        "ID  CHANNELS  CERTIFICATES                              PLUGIN\n"
        "p1  (none)    dns p1.example, uri spiffe://rtw.test/p1  test-settings-reader "
        "(settings: referralPrefix, copies)\n");

  scratch.write("partners/p1.json",
                R"({"id": "p1", "name": "N", "board": "WSIB", "plugin": "test-settings-reader",
  "certificates": [{"dns": "p1.example"}],
  "settings": {"copies": "two"}})");
  const Run bad = scratch.rtwctl(
      {"partners", "list", "--partners", partners, "--plugins", RTW_BINARY_DIR "/test-plugins"});
  CHECK(bad.status == 1);
  CHECK(bad.out.empty());
  CHECK_THAT(bad.err, Catch::StartsWith("rtwctl partners: " + partners +
                                        "/p1.json: line 3: 'settings.copies' must be a whole "
                                        "number, not a string"));
}

TEST_CASE("rtwctl partners bind says which partner a certificate is, or why not",
          "[rtwctl][partners]") {
  MapScratch scratch;
  makeCertificates(scratch);
  const Run bound = scratch.rtwctl({"partners", "bind", cert(scratch, "clinic01"), "mllp"});
  CHECK(bound.status == 0);
  CHECK_THAT(bound.out,
             Catch::StartsWith("certificate: CN 'clinic01.partners.rtw.test', SHA-256 "));
  CHECK_THAT(
      bound.out,
      Catch::EndsWith("\npartner clinic01 (commonName clinic01.partners.rtw.test) on mllp\n"));

  const Run no_channel =
      scratch.rtwctl({"partners", "bind", cert(scratch, "westcoast-fhir"), "mllp"});
  CHECK(no_channel.status == 1);
  CHECK_THAT(no_channel.out,
             Catch::EndsWith("\nrefused: partner westcoast-fhir (commonName "
                             "westcoast-fhir.partners.rtw.test) has no mllp channel (its file has "
                             "no \"mllp\" section)\n"));
  CHECK(scratch.rtwctl({"partners", "bind", cert(scratch, "westcoast-fhir"), "fhir"}).status == 0);

  const Run unknown = scratch.rtwctl({"partners", "bind", cert(scratch, "stranger"), "mllp"});
  CHECK(unknown.status == 1);
  CHECK_THAT(unknown.out, Catch::EndsWith("\nrefused: the certificate is bound to no partner\n"));

  const Run missing = scratch.rtwctl({"partners", "bind", "/nonexistent.pem", "mllp"});
  CHECK(missing.status == 1);
  CHECK_THAT(missing.err, Catch::Contains("/nonexistent.pem"));
}

TEST_CASE("rtwctl partners with a wrong channel or arguments is a usage error",
          "[rtwctl][partners]") {
  MapScratch scratch;
  const Run channel = scratch.rtwctl({"partners", "bind", "x.pem", "ftp"});
  CHECK(channel.status == 2);
  CHECK_THAT(channel.err, Catch::Contains("CHANNEL is mllp, fhir or files, not 'ftp'") &&
                              Catch::Contains("\nusage:\n"));
  CHECK(scratch.rtwctl({"partners", "bind", "x.pem"}).status == 2);
  CHECK(scratch.rtwctl({"partners"}).status == 2);
  CHECK(scratch.rtwctl({"partners", "show"}).status == 2);
}
