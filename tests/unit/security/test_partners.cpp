#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <Poco/TemporaryFile.h>

#include "rtw/security/partners.h"

using rtw::security::deliveryOrderKey;
using rtw::security::Partner;
using rtw::security::PartnerRegistry;

namespace {

struct PartnerDir {
  std::filesystem::path dir = Poco::TemporaryFile::tempName();
  PartnerDir() { std::filesystem::create_directories(dir); }
  ~PartnerDir() { std::filesystem::remove_all(dir); }
  void write(const std::string& id, const std::string& json) const {
    std::ofstream(dir / (id + ".json")) << json;
  }
};

std::string partnerJson(const std::string& id, const std::string& cn,
                        const std::string& extra = "") {
  return "{\"id\": \"" + id + "\", \"name\": \"N\", \"certificateSubject\": \"" + cn +
         "\", \"plugin\": \"generic\", \"board\": \"WSBC\", \"facilities\": [\"F1\"]" + extra + "}";
}

}  // namespace

TEST_CASE("the shipped partner registry loads and binds the sample clinic's certificate") {
  const auto registry = PartnerRegistry::load(RTW_SOURCE_DIR "/conf/partners");
  const auto* partner = registry.byCertificate("clinic01.partners.rtw.test");
  REQUIRE(partner != nullptr);
  CHECK(partner->id == "clinic01");
  CHECK(partner->plugin == "generic");
  CHECK(rtw::security::sendsAs(*partner, "CLINIC01"));
  CHECK_FALSE(rtw::security::sendsAs(*partner, "OTHER"));
  CHECK(registry.byCertificate("someone.else") == nullptr);
}

TEST_CASE("a partner file with an unknown key fails with the file and the key") {
  PartnerDir temp;
  temp.write("p1", partnerJson("p1", "p1.test", ", \"colour\": \"blue\""));
  CHECK_THROWS_WITH(PartnerRegistry::load(temp.dir),
                    Catch::Contains("p1.json") && Catch::Contains("unknown key 'colour'"));
}

TEST_CASE("two partners cannot share a certificate subject") {
  PartnerDir temp;
  temp.write("p1", partnerJson("p1", "same.test"));
  temp.write("p2", partnerJson("p2", "same.test"));
  CHECK_THROWS_WITH(PartnerRegistry::load(temp.dir),
                    Catch::Contains("p2.json") && Catch::Contains("already bound to partner 'p1'"));
}

TEST_CASE("a partner must name its facilities and a character set we read") {
  PartnerDir temp;
  SECTION("no facilities") {
    temp.write(
        "p1",
        "{\"id\": \"p1\", \"name\": \"N\", \"certificateSubject\": \"c\", \"plugin\": \"x\", "
        "\"board\": \"WSBC\"}");
    CHECK_THROWS_WITH(PartnerRegistry::load(temp.dir), Catch::Contains("'facilities'"));
  }
  SECTION("unknown charset") {
    temp.write("p1", partnerJson("p1", "c", ", \"charset\": \"EBCDIC\""));
    CHECK_THROWS_WITH(PartnerRegistry::load(temp.dir), Catch::Contains("'charset'"));
  }
  SECTION("8859/1 is kept for parsing") {
    temp.write("p1", partnerJson("p1", "c", ", \"charset\": \"8859/1\""));
    CHECK(PartnerRegistry::load(temp.dir).byId("p1")->charset == "8859/1");
  }
  SECTION("an id that is not the file name") {
    temp.write("p1", partnerJson("p2", "c"));
    CHECK_THROWS_WITH(PartnerRegistry::load(temp.dir), Catch::Contains("must equal the file name"));
  }
}

TEST_CASE("a partner's delivery order gives its documents an order key") {
  PartnerDir temp;
  SECTION("by claim: one key per claim, so other claims are not held up") {
    temp.write("p1", partnerJson("p1", "c", ", \"deliveryOrder\": \"claim\""));
    const PartnerRegistry registry = PartnerRegistry::load(temp.dir);
    const Partner& p = *registry.byId("p1");
    CHECK(deliveryOrderKey(p, "1234567") == "p1/1234567");
    CHECK(deliveryOrderKey(p, "7654321") == "p1/7654321");
  }
  SECTION("by partner: one key for all its documents") {
    temp.write("p1", partnerJson("p1", "c", ", \"deliveryOrder\": \"partner\""));
    CHECK(deliveryOrderKey(*PartnerRegistry::load(temp.dir).byId("p1"), "1234567") == "p1");
  }
  SECTION("none by default: no key, delivered as soon as ready") {
    temp.write("p1", partnerJson("p1", "c"));
    CHECK(deliveryOrderKey(*PartnerRegistry::load(temp.dir).byId("p1"), "1234567").empty());
  }
  SECTION("anything else fails with the key") {
    temp.write("p1", partnerJson("p1", "c", ", \"deliveryOrder\": \"fifo\""));
    CHECK_THROWS_WITH(PartnerRegistry::load(temp.dir), Catch::Contains("'deliveryOrder'"));
  }
}

TEST_CASE("channels and ignored message types are checked when the registry loads") {
  PartnerDir dir;
  SECTION("a channel that does not exist") {
    dir.write("p1", partnerJson("p1", "p1.test", ", \"channels\": [\"mllp\", \"ftp\"]"));
    CHECK_THROWS_WITH(PartnerRegistry::load(dir.dir),
                      Catch::Contains("p1.json") && Catch::Contains("'channels' names 'ftp'"));
  }
  SECTION("an ignore entry that is not a message type") {
    dir.write("p1", partnerJson("p1", "p1.test", ", \"ignore\": [\"ADT\"]"));
    CHECK_THROWS_WITH(PartnerRegistry::load(dir.dir), Catch::Contains("'ignore' holds 'ADT'"));
  }
  SECTION("well formed") {
    dir.write("p1",
              partnerJson("p1", "p1.test",
                          ", \"channels\": [\"mllp\"], \"ignore\": [\"ADT^*\", \"SIU^S12\"]"));
    const auto registry = PartnerRegistry::load(dir.dir);
    const Partner& p1 = *registry.byId("p1");
    CHECK(rtw::security::usesChannel(p1, "mllp"));
    CHECK_FALSE(rtw::security::usesChannel(p1, "fhir"));
    CHECK(rtw::security::ignores(p1, "ADT^A04"));
    CHECK(rtw::security::ignores(p1, "ADT^A08"));
    CHECK(rtw::security::ignores(p1, "SIU^S12"));
    CHECK_FALSE(rtw::security::ignores(p1, "SIU^S13"));
    CHECK_FALSE(rtw::security::ignores(p1, "REF^I12"));
    CHECK_FALSE(rtw::security::ignores(p1, "ADTX^A04"));
  }
}

TEST_CASE("the shipped partners without an mllp channel cannot use it") {
  const auto registry = PartnerRegistry::load(RTW_SOURCE_DIR "/conf/partners");
  CHECK_FALSE(rtw::security::usesChannel(*registry.byId("westcoast-fhir"), "mllp"));
  CHECK(rtw::security::usesChannel(*registry.byId("harbour-physio"), "mllp"));
}
