// The partner registry while the gateway runs: a partner added, changed or
// removed on disk (or on SIGHUP) takes effect without a restart, for the
// next message of a connection already open too; a broken edit keeps the
// registry in force and the log says where the file is wrong.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <thread>

#include "dev_pki.h"
#include "harness.h"
#include "rtw/hl7v2/message.h"

using namespace rtw::testing;
namespace fs = std::filesystem;

namespace {

std::string field(const std::string& ack, const std::string& path) {
  auto parsed = rtw::hl7v2::Message::parse(ack);
  REQUIRE(parsed.message);
  return parsed.message->get(path);
}

// The sample referral (enhanced mode) as `facility` sends it with `control_id`.
std::string referral(const std::string& facility, const std::string& control_id) {
  auto parsed = rtw::hl7v2::Message::parse(sampleReferral());
  REQUIRE(parsed.message);
  REQUIRE(parsed.message->set("MSH-4", facility));
  REQUIRE(parsed.message->set("MSH-10", control_id));
  return parsed.message->serialize();
}

// A copy of conf/partners the test may edit.
struct PartnerFolder {
  fs::path dir = fs::temp_directory_path() / ("rtw-partners-" + std::to_string(::getpid()));
  PartnerFolder() {
    fs::remove_all(dir);
    fs::copy(RTW_SOURCE_DIR "/conf/partners", dir);
  }
  ~PartnerFolder() { fs::remove_all(dir); }
  // Writes a file so that a poll sees it changed, even on a coarse clock.
  void write(const std::string& id, const std::string& text) const {
    const fs::path file = dir / (id + ".json");
    const bool existed = fs::exists(file);
    const auto before = existed ? fs::last_write_time(file) : fs::file_time_type::clock::now();
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    fs::last_write_time(file, before + std::chrono::seconds(1));
  }
  std::string read(const std::string& id) const { return readFile(dir / (id + ".json")); }
};

const std::string kNewPartner =
    "{\"id\": \"newclinic\", \"name\": \"A clinic added while the gateway runs\",\n"
    " \"certificates\": [{\"commonName\": \"newclinic.partners.rtw.test\"}],\n"
    " \"plugin\": \"generic\", \"mappings\": \"clinic01\", \"board\": \"WSBC\",\n"
    " \"mllp\": {\"facilities\": [\"NEWCLINIC\"]}}\n";

bool logHas(RunningSystem& system, const std::string& text) {
  return system.gateway().log().find(text) != std::string::npos;
}

// How many times `text` is in the gateway's log.
std::size_t logCount(RunningSystem& system, const std::string& text) {
  const std::string log = system.gateway().log();
  std::size_t count = 0;
  for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("a partner added while the gateway runs sends once its file and certificate exist") {
  PartnerFolder partners;
  RunningSystem system({"partners.dir=" + partners.dir.string(), "partners.pollMs=200"});
  const auto certificate = TestCertificates::get().issue("newclinic", partners.dir);

  // Our CA's certificate, but no partner's yet: closed after the handshake.
  auto before = system.connect(certificate);
  CHECK_FALSE(before->exchange(referral("NEWCLINIC", "NEW-0")).has_value());
  CHECK(waitUntil([&] {
    return logHas(system, "CN 'newclinic.partners.rtw.test'") &&
           logHas(system, "refused: the certificate is bound to no partner");
  }));

  partners.write("newclinic", kNewPartner);
  REQUIRE(waitUntil([&] {
    return logHas(system,
                  "partner registry reloaded: 7 partners (added: newclinic; removed: none)");
  }));
  CHECK(logHas(system, "partner newclinic maps with"));
  auto client = system.connect(certificate);
  const auto commit = client->exchange(referral("NEWCLINIC", "NEW-1"));
  REQUIRE(commit);
  CHECK(field(*commit, "MSA-1") == "CA");
  const auto application = client->receive();
  REQUIRE(application);
  CHECK(field(*application, "MSA-1") == "AA");
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
  CHECK(system.queryJournal("SELECT partner, control_id FROM messages") == "newclinic|NEW-1\n");
}

TEST_CASE("a broken partner file keeps the registry in force and the log names file and line") {
  PartnerFolder partners;
  RunningSystem system({"partners.dir=" + partners.dir.string(), "partners.pollMs=200"});
  std::string clinic = partners.read("clinic01");
  clinic.replace(clinic.find("\"board\": \"WSBC\","), 16, "\"board\": \"WSBC\", \"colour\": 1,");
  partners.write("clinic01", clinic);
  REQUIRE(waitUntil([&] {
    return logHas(system, "partner registry reload failed, the previous registry stays");
  }));
  CHECK(logHas(system, (partners.dir / "clinic01.json").string() +
                           ": line 13: unknown key 'colour' (allowed: id, name, certificates,"));
  // Reported once, not at every poll.
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  CHECK(logCount(system, "partner registry reload failed") == 1);
  // clinic01 still sends as before.
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  const auto commit = client->exchange(referral("CLINIC01", "KEPT-1"));
  REQUIRE(commit);
  CHECK(field(*commit, "MSA-1") == "CA");
  REQUIRE(client->receive());
  CHECK(system.gateway().running());
}

TEST_CASE("a new partner whose mappings do not load leaves the registry as it was") {
  PartnerFolder partners;
  RunningSystem system({"partners.dir=" + partners.dir.string(), "partners.pollMs=0"});
  const auto certificate = TestCertificates::get().issue("newclinic", partners.dir);
  std::string added = kNewPartner;
  added.replace(added.find("\"clinic01\""), 10, "\"no-such-folder\"");
  partners.write("newclinic", added);
  system.gateway().hangUp();
  REQUIRE(waitUntil([&] {
    return logHas(system, "partner registry reload failed, the previous registry stays");
  }));
  CHECK(logHas(system, "no-such-folder:0 (rule folder): mapping folder not found"));
  // Not in force: its certificate is still bound to no partner.
  auto client = system.connect(certificate);
  CHECK_FALSE(client->exchange(referral("NEWCLINIC", "NEW-1")).has_value());
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "0\n");
  CHECK(system.gateway().running());
}

TEST_CASE("an open connection takes the reloaded registry for its next message") {
  PartnerFolder partners;
  RunningSystem system({"partners.dir=" + partners.dir.string(), "partners.pollMs=0"});
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  const auto first = client->exchange(referral("CLINIC01", "OPEN-1"));
  REQUIRE(first);
  CHECK(field(*first, "MSA-1") == "CA");
  REQUIRE(client->receive());  // its application ACK

  // Its mllp section replaced by a fhir one; polling is off, so SIGHUP reloads.
  std::string clinic = partners.read("clinic01");
  const auto mllp = clinic.find("  // Its channels");
  clinic = clinic.substr(0, mllp) +
           "  \"fhir\": {\"organizations\": [{\"system\": \"s\", \"value\": \"C1\"}]}\n}\n";
  partners.write("clinic01", clinic);
  system.gateway().hangUp();
  REQUIRE(waitUntil([&] { return logHas(system, "partner registry reloaded: 6 partners"); }));
  CHECK(logHas(system, "SIGHUP: reloading the partner registry"));
  const auto refused = client->exchange(referral("CLINIC01", "OPEN-2"));
  REQUIRE(refused);
  CHECK(field(*refused, "MSA-1") == "CR");
  CHECK(field(*refused, "ERR-3.1") == "207");
  CHECK_THAT(field(*refused, "ERR-8"), Catch::Contains("may not send over MLLP"));

  SECTION("the partner removed: the connection closes at its next message") {
    fs::remove(partners.dir / "clinic01.json");
    system.gateway().hangUp();
    REQUIRE(waitUntil([&] { return logHas(system, "removed: clinic01"); }));
    CHECK_FALSE(client->exchange(referral("CLINIC01", "OPEN-3")).has_value());
    CHECK(waitUntil([&] {
      return logHas(system,
                    "after the partner registry was reloaded, the certificate is bound to no "
                    "partner; closing");
    }));
  }
  CHECK(system.queryJournal("SELECT control_id FROM messages") == "OPEN-1\n");
}

TEST_CASE("a broken partner file stops start-up with the file, line and key") {
  PartnerFolder partners;
  std::string clinic = partners.read("clinic01");
  clinic.replace(clinic.find("\"WSBC\""), 6, "\"WCB\"");
  partners.write("clinic01", clinic);
  const fs::path log = partners.dir.string() + ".log";
  ChildProcess broken(
      std::string(RTW_BINARY_DIR) + "/bin/rtw-gateway",
      {"--home", RTW_SOURCE_DIR, "-Dpartners.dir=" + partners.dir.string(), "-Dmllp.port=0",
       "-Dhttps.port=0", "-Dstore.path=" + partners.dir.string() + ".sqlite"},
      log);
  REQUIRE(waitUntil([&] { return !broken.running(); }));
  CHECK(broken.stop() == 78);  // EX_CONFIG
  CHECK_THAT(broken.log(),
             Catch::Contains("rtw-gateway: " + (partners.dir / "clinic01.json").string() +
                             ": line 13: 'board' must be WSBC or WSIB"));
  fs::remove(log);
}

TEST_CASE(
    "a partner certificate revoked by a new CRL is refused after SIGHUP, the partner's open "
    "connection and the other partners untouched") {
  const auto& certificates = TestCertificates::get();
  const fs::path crls = fs::temp_directory_path() / ("rtw-crls-" + std::to_string(::getpid()));
  fs::remove_all(crls);
  fs::create_directories(crls);
  rtw::testing::writeDevCrl(crls / "dev-ca.pem", certificates.dir, {});
  RunningSystem system({"tls.crlDir=" + crls.string()});
  auto open = system.connect(certificates.partner("clinic01"));
  REQUIRE(open->exchange(referral("CLINIC01", "CRL-1")));
  REQUIRE(open->receive());  // its application ACK

  rtw::testing::writeDevCrl(crls / "dev-ca.pem", certificates.dir,
                            {certificates.partner("clinic01").certificate});
  system.gateway().hangUp();
  REQUIRE(waitUntil([&] { return logHas(system, "TLS certificate, key, CA and CRLs reloaded"); }));
  // A new connection with the revoked certificate fails its handshake (or,
  // TLS 1.3, its first exchange).
  bool refused = false;
  try {
    refused = !system.connect(certificates.partner("clinic01"))
                   ->exchange(referral("CLINIC01", "CRL-2"))
                   .has_value();
  } catch (const std::exception&) {
    refused = true;
  }
  CHECK(refused);
  // The connection made before goes on; another partner connects as before.
  const auto still = open->exchange(referral("CLINIC01", "CRL-3"));
  REQUIRE(still);
  CHECK(field(*still, "MSA-1") == "CA");
  auto harbour = system.connect(certificates.partner("harbour-physio"));
  CHECK(harbour->exchange(referral("HARBOURPHYSIO", "CRL-4")).has_value());
  CHECK(system.gateway().running());
  fs::remove_all(crls);
}

TEST_CASE(
    "a partner that lists its MSH-3 applications gets AR 207 at MSH-3 for another, and the "
    "change takes effect on reload") {
  PartnerFolder partners;
  RunningSystem system({"partners.dir=" + partners.dir.string(), "partners.pollMs=0"});
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  const auto before = client->exchange(referral("CLINIC01", "APP-1"));
  REQUIRE(before);
  CHECK(field(*before, "MSA-1") == "CA");
  REQUIRE(client->receive());  // its application ACK

  std::string clinic = partners.read("clinic01");
  clinic.replace(clinic.find("\"facilities\": [\"CLINIC01\"]"), 26,
                 "\"facilities\": [\"CLINIC01\"], \"applications\": [\"OTHER-EMR\"]");
  partners.write("clinic01", clinic);
  system.gateway().hangUp();
  REQUIRE(waitUntil([&] { return logHas(system, "partner registry reloaded"); }));
  const auto refused = client->exchange(referral("CLINIC01", "APP-2"));
  REQUIRE(refused);
  CHECK(field(*refused, "MSA-1") == "CR");
  CHECK(field(*refused, "ERR-2.1") == "MSH");
  CHECK(field(*refused, "ERR-2.3") == "3");
  CHECK(field(*refused, "ERR-3.1") == "207");
  CHECK_THAT(field(*refused, "ERR-8"), Catch::Contains("sending application is not registered"));
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "1\n");
  CHECK(waitUntil([&] { return logHas(system, "sending application not bound to the partner"); }));
}
