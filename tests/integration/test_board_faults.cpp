// The board down, slow or refusing: nothing acknowledged is lost, nothing is
// delivered twice, and what the board refuses is dead with its reasons.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>

#include "harness.h"
#include "rtw/hl7v2/message.h"

using namespace rtw::testing;

namespace {

void sendSample(RunningSystem& system) {
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  const auto ack = client->exchange(sampleReferral());
  REQUIRE(ack);
  REQUIRE(rtw::hl7v2::Message::parse(*ack).message->get("MSA-1") == "CA");
}

std::string messageState(const RunningSystem& system) {
  return system.queryJournal("SELECT state FROM messages WHERE control_id = 'MSG0001'");
}

}  // namespace

TEST_CASE("the board answering 503, 500 and 429 is retried until it takes the document once") {
  RunningSystem system;
  system.planBoardFaults("503 retry-after=0\n500\n429 retry-after=0\n");
  sendSample(system);
  REQUIRE(waitUntil([&] { return messageState(system) == "delivered\n"; }));
  CHECK(system.accepted("referral").size() == 1);
  CHECK(system.queryJournal("SELECT attempts FROM outbox") == "4\n");
  CHECK_THAT(system.gateway().log(), Catch::Contains("attempt 3 failed (HTTP 429"));
}

TEST_CASE("a Retry-After given as an HTTP-date is waited for before the next try") {
  RunningSystem system;
  // A date 3 s after the 503, in whole seconds: 2 to 3 s from the answer,
  // where the first backoff alone is at most 1 s.
  system.planBoardFaults("503 retry-after-date=3\n");
  const auto start = std::chrono::steady_clock::now();
  sendSample(system);
  REQUIRE(waitUntil([&] { return messageState(system) == "delivered\n"; }));
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(waited >= std::chrono::seconds(2));
  CHECK(waited < std::chrono::seconds(10));
  CHECK(system.queryJournal("SELECT attempts FROM outbox") == "2\n");
  const std::string log = system.gateway().log();
  const std::size_t failed = log.find("attempt 1 failed (HTTP 503");
  REQUIRE(failed != std::string::npos);
  const std::size_t retry = log.find("retry in ", failed);
  REQUIRE(retry != std::string::npos);
  const int retry_ms = std::atoi(log.c_str() + retry + 9);  // 2 or 3 s, less a few ms spent
  CHECK(retry_ms > 1900);
  CHECK(retry_ms <= 3000);
}

TEST_CASE(
    "a board that stores the document but answers too late gets one copy: the retry is a 200") {
  RunningSystem system({"board.timeoutMs=300"});
  system.planBoardFaults("hang-after-store 1500\n");
  sendSample(system);
  REQUIRE(waitUntil([&] { return messageState(system) == "delivered\n"; }));
  CHECK(system.accepted("referral").size() == 1);
  CHECK(system.queryJournal("SELECT attempts > 1 FROM outbox") == "1\n");
}

TEST_CASE("a 422 from the board makes the document dead with the board's reasons") {
  RunningSystem system;
  system.planBoardFaults("422\n");
  sendSample(system);
  REQUIRE(waitUntil([&] { return messageState(system) == "dead\n"; }));
  const std::string reason =
      system.queryJournal("SELECT reason FROM messages WHERE control_id = 'MSG0001'");
  CHECK_THAT(reason, Catch::Contains("422") && Catch::Contains("SIMULATED"));
  CHECK(system.queryJournal("SELECT state, attempts FROM outbox") == "dead|1\n");
  CHECK(system.accepted("referral").empty());
}

TEST_CASE("a document the board keeps refusing with 503 is dead once it is older than the limit") {
  RunningSystem system({"delivery.maxAgeSeconds=2", "delivery.maxAttempts=1000",
                        "delivery.baseBackoffMs=100", "delivery.maxBackoffMs=300"});
  std::string plan;
  for (int i = 0; i < 200; ++i) {
    plan += "503\n";
  }
  system.planBoardFaults(plan);
  sendSample(system);
  REQUIRE(waitUntil([&] { return messageState(system) == "dead\n"; }));
  const std::string reason =
      system.queryJournal("SELECT reason FROM messages WHERE control_id = 'MSG0001'");
  CHECK_THAT(reason, Catch::StartsWith("gave up after ") && Catch::Contains(" s; last: HTTP 503"));
  // Dead by age (about 2 s of retries), far from the 1,000 attempts allowed.
  CHECK(system.queryJournal("SELECT attempts < 100 FROM outbox") == "1\n");
  CHECK(system.accepted("referral").empty());
}

TEST_CASE("intake goes on while the board is down and the backlog drains when it returns") {
  RunningSystem system;
  system.board().stop();
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  for (int i = 1; i <= 10; ++i) {
    std::string message = sampleReferral();  // in original mode: one AA per message
    message.replace(message.find("|P|2.5|||AL|AL"), 14, "|P|2.5");
    message.replace(message.find("MSG0001"), 7, "OUT" + std::to_string(i));
    const auto ack = client->exchange(message);
    REQUIRE(ack);
    CHECK(rtw::hl7v2::Message::parse(*ack).message->get("MSA-1") == "AA");
  }
  CHECK(system.accepted("referral").empty());
  system.startBoard();
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 10; }));
  CHECK(waitUntil([&] {
    return system.queryJournal("SELECT COUNT(*) FROM messages WHERE state = 'delivered'") == "10\n";
  }));
}

TEST_CASE(
    "an operator lists the dead message and reprocesses it with rtwctl once the board is fixed") {
  RunningSystem system;
  system.planBoardFaults("422\n");
  sendSample(system);
  REQUIRE(waitUntil([&] { return messageState(system) == "dead\n"; }));

  const std::string rtwctl = std::string(RTW_BINARY_DIR) + "/bin/rtwctl";
  const std::string journal = " --journal '" + system.journalFile().string() + "'";
  const std::string out = (system.dir() / "rtwctl.out").string();
  REQUIRE(std::system(
              (rtwctl + " messages list --state dead" + journal + " > '" + out + "'").c_str()) ==
          0);
  const std::string listed = readFile(out);
  CHECK_THAT(listed, Catch::Contains("\tMSG0001\tREF^I12\tdead\t"));
  CHECK_THAT(listed, !Catch::Contains("Doe"));

  REQUIRE(std::system((rtwctl + " messages reprocess 1" + journal + " > '" + out + "'").c_str()) ==
          0);
  CHECK_THAT(readFile(out), Catch::Contains("message 1 queued again"));
  REQUIRE(waitUntil([&] { return messageState(system) == "delivered\n"; }));
  CHECK(system.accepted("referral").size() == 1);

  REQUIRE(std::system((rtwctl + " messages show 1" + journal + " > '" + out + "'").c_str()) == 0);
  const std::string shown = readFile(out);
  CHECK_THAT(shown, Catch::Contains("state delivered"));
  CHECK_THAT(shown, Catch::Contains("claim 12345678 delivered attempts 1 receipt RCPT-"));
  CHECK_THAT(shown, !Catch::Contains("payload"));
}

TEST_CASE("retention empties delivered payloads older than the policy and keeps the audit row") {
  RunningSystem system({"store.retentionDays=1"});
  sendSample(system);
  REQUIRE(waitUntil([&] { return messageState(system) == "delivered\n"; }));
  CHECK(system.queryJournal("SELECT length(payload) > 0 FROM messages") == "1\n");
  // Age the message by two days while the gateway is down; retention runs at start-up.
  REQUIRE(system.gateway().stop() == 0);
  system.queryJournal("UPDATE messages SET updated_at = '2000-01-01T00:00:00.000000Z'");
  system.startGateway();
  CHECK(waitUntil(
      [&] { return system.queryJournal("SELECT length(payload) FROM messages") == "0\n"; }));
  CHECK(messageState(system) == "delivered\n");
  CHECK(system.queryJournal("SELECT control_id, length(ack) > 0 FROM messages") == "MSG0001|1\n");
  CHECK(system.queryJournal("SELECT receipt LIKE 'RCPT-%' FROM outbox") == "1\n");
}
