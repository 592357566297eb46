// The partner registry as an integration engineer writes it: the shipped
// files, each channel's section, and every way a file can be wrong failing
// with "FILE: line N: ..." and the key.

#include <catch2/catch.hpp>

#include "partner_dir.h"
#include "rtw/security/partners.h"

using rtw::security::CertificateMatcher;
using rtw::security::channelsOf;
using rtw::security::deliveryOrderKey;
using rtw::security::Partner;
using rtw::security::PartnerRegistry;
using rtw::security::testing::PartnerDir;
using rtw::security::testing::partnerJson;

namespace {

std::string loadError(const PartnerDir& dir) {
  try {
    PartnerRegistry::load(dir.dir);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  FAIL("the registry loaded");
  return {};
}

}  // namespace

TEST_CASE("the shipped partner registry loads, each partner with the channels it uses") {
  const auto registry = PartnerRegistry::load(RTW_SOURCE_DIR "/conf/partners");
  const Partner& clinic = *registry.byId("clinic01");
  CHECK(clinic.plugin == "generic");
  REQUIRE(clinic.certificates.size() == 1);
  CHECK(describe(clinic.certificates[0]) == "commonName clinic01.partners.rtw.test");
  CHECK(rtw::security::sendsAs(clinic, "CLINIC01"));
  CHECK_FALSE(rtw::security::sendsAs(clinic, "OTHER"));
  CHECK(channelsOf(clinic) == std::vector<std::string>{"mllp"});
  CHECK(channelsOf(*registry.byId("harbour-physio")) == std::vector<std::string>{"mllp"});
  // FHIR and college partners name no MSH-4 facilities: they have no mllp section.
  const Partner& fhir = *registry.byId("westcoast-fhir");
  CHECK(channelsOf(fhir) == std::vector<std::string>{"fhir"});
  REQUIRE(fhir.fhir->organizations.size() == 1);
  CHECK(fhir.fhir->organizations[0].value == "WESTCOASTPT");
  CHECK_FALSE(rtw::security::sendsAs(fhir, "WESTCOASTPT"));
  const Partner& college = *registry.byId("fanshawe-college");
  CHECK(channelsOf(college) == std::vector<std::string>{"files"});
  CHECK(college.files->college_code == "FANSHAWE");
  CHECK(college.files->csv_delimiter == ',');
  CHECK(college.files->csv_encoding == "utf-8");
  CHECK(registry.byMatcher({CertificateMatcher::Kind::kCommonName, "someone.else"}) == nullptr);
}

TEST_CASE("an unknown key fails with the file, its line and the keys a partner file takes") {
  PartnerDir temp;
  temp.write("p1", partnerJson("p1", ",\n\"colour\": \"blue\""));
  CHECK(loadError(temp) == temp.file("p1") +
                               ": line 2: unknown key 'colour' (allowed: id, name, certificates, "
                               "plugin, mappings, board, deliveryOrder, settings, mllp, fhir, "
                               "files)");
  temp.write("p1", partnerJson("p1", ", \"mllp\": {\"facilities\": [\"F1\"], \"facility\": 1}"));
  CHECK(loadError(temp) == temp.file("p1") +
                               ": line 1: unknown key 'mllp.facility' (allowed: facilities, "
                               "charset, ignore)");
}

TEST_CASE("a key of the first partner format says where it went") {
  PartnerDir temp;
  SECTION("certificateSubject") {
    temp.write("p1", partnerJson("p1", ",\n\"certificateSubject\": \"p1.test\""));
    CHECK(loadError(temp) == temp.file("p1") +
                                 ": line 2: 'certificateSubject' is no longer read: a partner "
                                 "lists its certificates, \"certificates\": [{\"commonName\": "
                                 "\"...\"}]");
  }
  SECTION("facilities, charset, ignore and channels") {
    temp.write("p1", partnerJson("p1", ", \"facilities\": [\"F1\"]"));
    CHECK_THAT(loadError(temp), Catch::Contains("'facilities' moved into the \"mllp\" section"));
    temp.write("p1", partnerJson("p1", ", \"channels\": [\"mllp\"]"));
    CHECK_THAT(loadError(temp),
               Catch::Contains("'channels' is no longer read: a partner's channels are the "
                               "sections its file has"));
  }
}

TEST_CASE("a partner lists one or two certificates, each with one matcher") {
  PartnerDir temp;
  auto withCertificates = [&](const std::string& list) {
    temp.write("p1",
               "{\"id\": \"p1\", \"name\": \"N\", \"plugin\": \"generic\", \"board\": \"WSBC\",\n"
               "\"certificates\": " +
                   list + "}");
    return loadError(temp);
  };
  const std::string at = temp.file("p1") + ": line 2: ";
  CHECK(withCertificates("[]") ==
        at + "'certificates' must list the certificate this partner presents "
             "([{\"commonName\": \"...\"}], or dns, uri, email, sha256)");
  CHECK(withCertificates("[{\"dns\": \"a.test\"}, {\"dns\": \"b.test\"}, {\"dns\": \"c.test\"}]") ==
        at + "'certificates' lists 3 certificates; at most two (the current one and its "
             "successor while it is rotated)");
  CHECK(withCertificates("[{\"dns\": \"a.test\", \"uri\": \"x:y\"}]") ==
        at + "'certificates[1]' must name one of commonName, dns, uri, email or sha256 (one per "
             "entry)");
  CHECK(withCertificates("[{\"subject\": \"a\"}]") ==
        at + "unknown key 'certificates[1].subject' (allowed: commonName, dns, uri, email, "
             "sha256)");
  CHECK(withCertificates("[{\"dns\": \"a.test\"}, {\"dns\": \"A.TEST\"}]") ==
        at + "'certificates[2]' repeats dns a.test");
  CHECK(withCertificates("[{\"dns\": \"a test\"}]") ==
        at + "'certificates[1].dns' must be a DNS name such as clinic.example.org");
  CHECK(withCertificates("[{\"uri\": \"no-scheme\"}]") ==
        at + "'certificates[1].uri' must be a URI such as spiffe://rtw.test/partner/clinic01");
  CHECK(withCertificates("[{\"email\": \"nobody\"}]") ==
        at + "'certificates[1].email' must be an e-mail address");
  CHECK_THAT(withCertificates("[{\"sha256\": \"AB:CD\"}]"),
             Catch::StartsWith(at + "'certificates[1].sha256' must be the certificate's SHA-256 "
                                    "fingerprint"));
  CHECK(withCertificates("[{\"commonName\": 7}]") ==
        at + "'certificates[1].commonName' must be a non-empty string, not a number");
}

TEST_CASE("matchers are kept as they are compared") {
  PartnerDir temp;
  const std::string hex(64, 'a');
  temp.write("p1",
             "{\"id\": \"p1\", \"name\": \"N\", \"plugin\": \"generic\", \"board\": \"WSBC\", "
             "\"certificates\": [{\"dns\": \"Clinic.Example\"}, {\"sha256\": \"" +
                 hex + "\"}]}");
  const auto registry = PartnerRegistry::load(temp.dir);
  const Partner& p1 = *registry.byId("p1");
  CHECK(describe(p1.certificates[0]) == "dns clinic.example");
  CHECK(p1.certificates[1].value.size() == 95);  // AA:AA:... upper case with colons
  CHECK(p1.certificates[1].value.substr(0, 6) == "AA:AA:");
  CHECK(registry.byMatcher({CertificateMatcher::Kind::kDns, "clinic.example"}) == &p1);
  CHECK(channelsOf(p1).empty());  // no section: no listener takes anything from it
}

TEST_CASE("two partners cannot share a certificate matcher") {
  PartnerDir temp;
  temp.write("p1", partnerJson("p1"));
  temp.write("p2", partnerJson("p2", "", "p1.test"));
  CHECK(loadError(temp) == temp.file("p2") +
                               ": line 1: 'certificates[1]' commonName p1.test is already bound to "
                               "partner 'p1' (" +
                               temp.file("p1") + "): a certificate belongs to one partner");
}

TEST_CASE("the mllp section: facilities, a character set we read, message types to ignore") {
  PartnerDir temp;
  auto mllp = [&](const std::string& section) {
    temp.write("p1", partnerJson("p1", ", \"mllp\": " + section));
  };
  SECTION("facilities are required for MLLP") {
    mllp("{}");
    CHECK(loadError(temp) == temp.file("p1") +
                                 ": line 1: 'mllp.facilities' must list the MSH-4 facility ids "
                                 "this partner sends as");
  }
  SECTION("unknown charset") {
    mllp("{\"facilities\": [\"F1\"], \"charset\": \"EBCDIC\"}");
    CHECK_THAT(loadError(temp), Catch::Contains("'mllp.charset' must be an HL7 character set"));
  }
  SECTION("8859/1 is kept for parsing") {
    mllp("{\"facilities\": [\"F1\"], \"charset\": \"8859/1\"}");
    CHECK(PartnerRegistry::load(temp.dir).byId("p1")->mllp->charset == "8859/1");
  }
  SECTION("an ignore entry that is not a message type") {
    mllp("{\"facilities\": [\"F1\"], \"ignore\": [\"ADT\"]}");
    CHECK_THAT(loadError(temp), Catch::Contains("'mllp.ignore' holds 'ADT'"));
  }
  SECTION("applications: optional, but not an empty list") {
    mllp("{\"facilities\": [\"F1\"], \"applications\": []}");
    CHECK_THAT(loadError(temp),
               Catch::Contains("'mllp.applications' lists the MSH-3 applications"));
    mllp("{\"facilities\": [\"F1\"], \"applications\": [\"OSCAR\"]}");
    const auto registry = PartnerRegistry::load(temp.dir);
    CHECK(rtw::security::sendsFrom(*registry.byId("p1"), "OSCAR"));
    CHECK_FALSE(rtw::security::sendsFrom(*registry.byId("p1"), "EPIC"));
  }
  SECTION("well formed") {
    mllp("{\"facilities\": [\"F1\"], \"ignore\": [\"ADT^*\", \"SIU^S12\"]}");
    const auto registry = PartnerRegistry::load(temp.dir);
    const Partner& p1 = *registry.byId("p1");
    CHECK(rtw::security::usesChannel(p1, "mllp"));
    CHECK_FALSE(rtw::security::usesChannel(p1, "fhir"));
    CHECK(rtw::security::ignores(p1, "ADT^A04"));
    CHECK(rtw::security::ignores(p1, "ADT^A08"));
    CHECK(rtw::security::ignores(p1, "SIU^S12"));
    CHECK_FALSE(rtw::security::ignores(p1, "SIU^S13"));
    CHECK_FALSE(rtw::security::ignores(p1, "REF^I12"));
    CHECK_FALSE(rtw::security::ignores(p1, "ADTX^A04"));
    CHECK(rtw::security::sendsFrom(p1, "ANY-EMR"));  // no applications listed: any
  }
}

TEST_CASE("the fhir and files sections are strict too") {
  PartnerDir temp;
  auto section = [&](const std::string& json) {
    temp.write("p1", partnerJson("p1", ", " + json));
    return loadError(temp);
  };
  const std::string at = temp.file("p1") + ": line 1: ";
  CHECK(section("\"fhir\": {}") == at + "'fhir.organizations' must list the organizations this "
                                        "partner sends for ([{\"system\": \"...\", \"value\": "
                                        "\"...\"}])");
  CHECK(section("\"fhir\": {\"organizations\": [{\"system\": \"s\"}]}") ==
        at + "'fhir.organizations[1].value' is required");
  CHECK(section("\"files\": {}") == at + "'files.collegeCode' is required");
  CHECK(section("\"files\": {\"collegeCode\": \"C\", \"csv\": {\"delimiter\": \";;\"}}") ==
        at + "'files.csv.delimiter' must be one character other than a quote or a line break");
  CHECK(section("\"files\": {\"collegeCode\": \"C\", \"csv\": {\"encoding\": \"latin1\"}}") ==
        at + "'files.csv.encoding' must be \"utf-8\" or \"windows-1252\"");
  CHECK(section("\"settings\": [1]") ==
        at + "'settings' must be an object of the plugin's settings, not a list");

  temp.write("p1",
             partnerJson("p1",
                         ", \"files\": {\"collegeCode\": \"C\", \"dropFolder\": \"var/drop\", "
                         "\"csv\": {\"delimiter\": \";\", \"encoding\": \"windows-1252\"}}"));
  const auto registry = PartnerRegistry::load(temp.dir);
  const Partner& p1 = *registry.byId("p1");
  CHECK(channelsOf(p1) == std::vector<std::string>{"files"});
  CHECK(p1.files->drop_folder == "var/drop");
  CHECK(p1.files->csv_delimiter == ';');
  CHECK(p1.files->csv_encoding == "windows-1252");
}

TEST_CASE("id, board, delivery order and mappings are checked") {
  PartnerDir temp;
  SECTION("an id that is not the file name") {
    temp.write("p1", partnerJson("p2"));
    CHECK(loadError(temp) == temp.file("p1") + ": line 1: 'id' must equal the file name ('p1')");
  }
  SECTION("a board we do not deliver to") {
    temp.write("p1", partnerJson("p1", ", \"board\": \"WCB\"", "p1.test", false));
    CHECK(loadError(temp) == temp.file("p1") + ": line 1: 'board' must be WSBC or WSIB");
  }
  SECTION("a mapping folder outside the mappings directory") {
    temp.write("p1", partnerJson("p1", ", \"mappings\": \"../etc\""));
    CHECK_THAT(loadError(temp), Catch::Contains("'mappings' names one folder"));
  }
  SECTION("not JSON at all") {
    temp.write("p1", "{\n\"id\": \"p1\"\n\"name\": \"N\"}");
    CHECK(loadError(temp) == temp.file("p1") +
                                 ": line 3: not valid JSON at column 1: Missing a comma or '}' "
                                 "after an object member.");
  }
  SECTION("a key given twice") {
    temp.write("p1", partnerJson("p1", ",\n\"name\": \"M\""));
    CHECK(loadError(temp) == temp.file("p1") + ": line 2: 'name' appears twice (first on line 1)");
  }
  SECTION("a missing partner folder") {
    CHECK_THROWS_WITH(PartnerRegistry::load(temp.dir / "nowhere"),
                      (temp.dir / "nowhere").string() + ": the partner directory is missing");
  }
}

TEST_CASE("a partner's delivery order gives its documents an order key") {
  PartnerDir temp;
  SECTION("by claim: one key per claim, so other claims are not held up") {
    temp.write("p1", partnerJson("p1", ", \"deliveryOrder\": \"claim\""));
    const PartnerRegistry registry = PartnerRegistry::load(temp.dir);
    const Partner& p = *registry.byId("p1");
    CHECK(deliveryOrderKey(p, "1234567") == "p1/1234567");
    CHECK(deliveryOrderKey(p, "7654321") == "p1/7654321");
  }
  SECTION("by partner: one key for all its documents") {
    temp.write("p1", partnerJson("p1", ", \"deliveryOrder\": \"partner\""));
    CHECK(deliveryOrderKey(*PartnerRegistry::load(temp.dir).byId("p1"), "1234567") == "p1");
  }
  SECTION("none by default: no key, delivered as soon as ready") {
    temp.write("p1", partnerJson("p1"));
    CHECK(deliveryOrderKey(*PartnerRegistry::load(temp.dir).byId("p1"), "1234567").empty());
  }
  SECTION("anything else fails with the key") {
    temp.write("p1", partnerJson("p1", ", \"deliveryOrder\": \"fifo\""));
    CHECK_THAT(loadError(temp),
               Catch::Contains("line 1: 'deliveryOrder' must be none, partner or claim"));
  }
}

TEST_CASE("a live registry hands out snapshots and counts its replacements") {
  PartnerDir temp;
  temp.write("p1", partnerJson("p1"));
  auto first = std::make_shared<const PartnerRegistry>(PartnerRegistry::load(temp.dir));
  rtw::security::LivePartnerRegistry live(first);
  const auto snapshot = live.current();
  CHECK(live.generation() == 0);
  temp.write("p2", partnerJson("p2"));
  live.replace(std::make_shared<const PartnerRegistry>(PartnerRegistry::load(temp.dir)));
  CHECK(live.generation() == 1);
  CHECK(live.current()->byId("p2") != nullptr);
  // The reader that took the first snapshot still has it, partners and all.
  CHECK(snapshot->byId("p2") == nullptr);
  CHECK(snapshot->byId("p1")->id == "p1");
}
