// The walking skeleton end to end: a clinic's REF^I12 over MLLP/TLS with its
// client certificate, an AA after the journal commit, and a valid Referral
// at the board simulator.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "harness.h"
#include "rtw/hl7v2/message.h"
#include "rtw/worksafe/schema.h"

using namespace rtw::testing;

namespace {

std::string msa(const std::string& ack, const std::string& path) {
  auto parsed = rtw::hl7v2::Message::parse(ack);
  REQUIRE(parsed.message);
  return parsed.message->get(path);
}

}  // namespace

TEST_CASE("the sample referral gets CA then AA and reaches the board as a valid Referral") {
  RunningSystem system;
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  // The sample asks for enhanced mode (MSH-15 = MSH-16 = AL): a commit ACK
  // once journaled, then an application ACK once translated.
  const auto ack = client->exchange(sampleReferral());
  REQUIRE(ack);
  CHECK(msa(*ack, "MSA-1") == "CA");
  CHECK(msa(*ack, "MSA-2") == "MSG0001");
  CHECK(rtw::hl7v2::Message::parse(*ack).message->getEncoded("MSH-9") == "ACK^I12^ACK");
  CHECK(msa(*ack, "MSH-5") == "CLINICEMR");  // sender and receiver swapped
  const auto asked = std::chrono::steady_clock::now();
  const auto application = client->receive();
  REQUIRE(application);
  CHECK(msa(*application, "MSA-1") == "AA");
  CHECK(msa(*application, "MSA-2") == "MSG0001");
  // Written by a translate thread while the connection's thread waits to
  // read: not held up until that wait times out (1 s).
  CHECK(std::chrono::steady_clock::now() - asked < std::chrono::milliseconds(900));

  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
  const std::string xml = system.accepted("referral").front().body;
  auto schemas = rtw::worksafe::SchemaSet::load(RTW_SOURCE_DIR "/mappings/worksafe");
  CHECK(schemas->validate(rtw::worksafe::DocumentType::kReferral, xml).empty());

  const auto referral = schemas->read(xml);
  CHECK(referral.get("header/board") == std::optional<std::string>("WSBC"));
  CHECK(referral.get("header/program") == std::optional<std::string>("CRRTW"));
  CHECK(referral.get("header/claimNumber") == std::optional<std::string>("12345678"));
  CHECK(referral.get("header/sourcePartner") == std::optional<std::string>("clinic01"));
  CHECK(referral.get("header/sourceMessageId") == std::optional<std::string>("MSG0001"));
  CHECK(referral.get("referralId") == std::optional<std::string>("WR123456"));
  CHECK(referral.get("worker/healthNumber/value") == std::optional<std::string>("9698658215"));
  CHECK(referral.get("dateOfInjury") == std::optional<std::string>("2025-01-15"));
  CHECK(referral.get("injury/diagnosisCode") == std::optional<std::string>("S33.5"));
  CHECK(referral.get("authorization/authorizedVisits") == std::optional<std::string>("12"));
  CHECK(referral.get("notes") == std::optional<std::string>("Lifting boxes & twisting"));
  // The Idempotency-Key the board stored the document under is its documentId.
  CHECK(system.accepted("referral").front().key == referral.get("header/documentId"));

  SECTION("a resent message is answered with the original ACK and not delivered twice") {
    const auto again = client->exchange(sampleReferral());
    REQUIRE(again);
    CHECK(*again == *ack);
    const auto again_application = client->receive();
    REQUIRE(again_application);
    CHECK(msa(*again_application, "MSA-1") == "AA");
    // Give a wrongly repeated delivery the time to show up.
    CHECK_FALSE(waitUntil([&] { return system.accepted("referral").size() > 1; },
                          std::chrono::milliseconds(1500)));
  }

  SECTION("Ctrl-C stops the gateway cleanly and its log names no patient or health number") {
    CHECK(system.gateway().stop() == 0);
    const std::string log = system.gateway().log();
    CHECK_THAT(log, Catch::Contains("journaled as message"));
    CHECK_THAT(log, !Catch::Contains("Doe") && !Catch::Contains("Jane"));
    CHECK_THAT(log, !Catch::Contains("9698658215") && !Catch::Contains("12345678"));
  }
}

TEST_CASE("an acknowledged message survives SIGKILL and is delivered after the restart") {
  RunningSystem system;
  // With the board down nothing can be delivered before the kill: the message
  // can only reach the board from the journal.
  system.board().stop();
  {
    auto client = system.connect(TestCertificates::get().partner("clinic01"));
    const auto ack = client->exchange(sampleReferral());
    REQUIRE(ack);
    REQUIRE(msa(*ack, "MSA-1") == "CA");
  }
  // Killed at once: whatever the workers had done, the journal commit came first.
  system.gateway().kill();
  CHECK(system.accepted("referral").empty());
  system.startBoard();
  system.startGateway();
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
  auto schemas = rtw::worksafe::SchemaSet::load(RTW_SOURCE_DIR "/mappings/worksafe");
  const std::string xml = system.accepted("referral").front().body;
  CHECK(schemas->validate(rtw::worksafe::DocumentType::kReferral, xml).empty());
}

TEST_CASE("rtwctl send prints the commit and application ACKs and exits 0 when all are positive") {
  RunningSystem system;
  const auto& certs = TestCertificates::get();
  const auto files = certs.partner("clinic01");
  const std::string command =
      std::string("'") + RTW_BINARY_DIR +
      "/bin/rtwctl' send --mllp localhost:" + std::to_string(system.mllpPort()) + " --cert '" +
      files.certificate + "' --key '" + files.private_key + "' --ca '" + files.ca + "' '" +
      RTW_SOURCE_DIR + "/tests/data/hl7/ref-i12-sample.hl7' > '" +
      (system.dir() / "rtwctl.out").string() + "' 2>&1";
  CHECK(std::system(command.c_str()) == 0);
  const std::string output = readFile(system.dir() / "rtwctl.out");
  CHECK_THAT(output, Catch::Contains("MSA|CA|MSG0001"));
  CHECK_THAT(output, Catch::Contains("MSA|AA|MSG0001"));
  CHECK(waitUntil([&] { return system.accepted("referral").size() == 1; }));
}

TEST_CASE("original mode: one AA after the commit and no application ACK") {
  RunningSystem system;
  std::string original = sampleReferral();
  original.replace(original.find("|P|2.5|||AL|AL"), 14, "|P|2.5");
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  const auto ack = client->exchange(original);
  REQUIRE(ack);
  CHECK(msa(*ack, "MSA-1") == "AA");
  CHECK(msa(*ack, "MSA-2") == "MSG0001");
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
}

TEST_CASE(
    "enhanced mode: a message type the partner has no mapping for gets CA then AE with ERR 200") {
  RunningSystem system;
  const std::string adt =
      "MSH|^~\\&|CLINICEMR|CLINIC01|RTWGW|WSBC|20250301101500||ADT^A04^ADT_A01|MSG0002|P|2.5|||AL|"
      "AL\r"
      "PID|1||12345678^^^WSBC^WCN\r";
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  const auto commit = client->exchange(adt);
  REQUIRE(commit);
  CHECK(msa(*commit, "MSA-1") == "CA");
  const auto application = client->receive();
  REQUIRE(application);
  CHECK(msa(*application, "MSA-1") == "AR");
  CHECK(msa(*application, "MSA-2") == "MSG0002");
  CHECK(msa(*application, "ERR-3.1") == "200");
  CHECK_THAT(msa(*application, "ERR-8"), Catch::Contains("ADT^A04 is not mapped"));
  CHECK(system.accepted("referral").empty());
}

TEST_CASE(
    "a referral that breaks a board rule gets AE naming the field and never reaches the board") {
  RunningSystem system;
  std::string bad = sampleReferral();
  bad.replace(bad.find("9698658215"), 10, "9698648215");  // fails the BC PHN check digit
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  const auto commit = client->exchange(bad);
  REQUIRE(commit);
  CHECK(msa(*commit, "MSA-1") == "CA");
  const auto application = client->receive();
  REQUIRE(application);
  CHECK(msa(*application, "MSA-1") == "AE");
  CHECK_THAT(msa(*application, "ERR-8"), Catch::Contains("worker/healthNumber/value"));
  CHECK_THAT(msa(*application, "ERR-8"), !Catch::Contains("9698648215"));
  CHECK_FALSE(waitUntil([&] { return !system.accepted("referral").empty(); },
                        std::chrono::milliseconds(1000)));
}

namespace {

// One field of each thread's /proc/PID/task/TID/stat (numbered as in
// proc(5): 19 is the nice value, 41 the scheduling policy), counted after the
// command name in parentheses.
std::vector<int> threadStatField(int pid, int number) {
  std::vector<int> values;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    const std::string stat = readFile(task.path() / "stat");
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= number && fields >> field; ++i) {
    }
    values.push_back(std::stoi(field));
  }
  return values;
}

constexpr int kNiceField = 19;
constexpr int kPolicyField = 41;
constexpr int kSchedIdle = 5;  // SCHED_IDLE in <sched.h>

}  // namespace

TEST_CASE("translate and delivery threads run below the connection threads (workers.nice)") {
  RunningSystem system({"workers.nice=7", "translate.workers=2", "delivery.workers=3"});
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  REQUIRE(client->exchange(sampleReferral()));  // a connection thread exists too
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
  const std::vector<int> nice = threadStatField(system.gateway().pid(), kNiceField);
  CHECK(std::count(nice.begin(), nice.end(), 7) == 5);  // 2 translate + 3 delivery
  // Everything else, the journal's committer and the connection threads
  // among them, keeps the process's priority.
  CHECK(std::count(nice.begin(), nice.end(), 0) == static_cast<long>(nice.size()) - 5);
}

TEST_CASE("by default translate and delivery threads run only on CPU time intake leaves") {
  RunningSystem system({"translate.workers=2", "delivery.workers=3"});
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  REQUIRE(client->exchange(sampleReferral()));
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
  const std::vector<int> policy = threadStatField(system.gateway().pid(), kPolicyField);
  CHECK(std::count(policy.begin(), policy.end(), kSchedIdle) == 5);
  CHECK(std::count(policy.begin(), policy.end(), 0) == static_cast<long>(policy.size()) - 5);
}

TEST_CASE("an intake-only instance (no workers) acknowledges and leaves the message received") {
  RunningSystem system;
  system.gateway().stop();
  system.startGateway({"RTW_TRANSLATE_WORKERS=0", "RTW_DELIVERY_WORKERS=0"});
  {
    auto client = system.connect(TestCertificates::get().partner("clinic01"));
    const auto ack = client->exchange(sampleReferral());
    REQUIRE(ack);
    CHECK(msa(*ack, "MSA-1") == "CA");
  }
  CHECK(system.gateway().log().find("what this instance records waits for an instance with "
                                    "workers") != std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(system.queryJournal("SELECT state FROM messages") == "received\n");
  CHECK(system.accepted("referral").empty());
  // An instance with workers (here: the same one restarted) finishes it.
  system.gateway().stop();
  system.startGateway();
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
}
