// A poison message, one that kills the gateway (or breaks the translation)
// every time it is translated, is set aside after translate.maxAttempts
// instead of taking the gateway down at every restart, and the messages
// behind it are delivered.

#include <catch2/catch.hpp>

#include <cstdlib>

#include "../integration/harness.h"
#include "resending_sender.h"
#include "rtw/hl7v2/message.h"

using namespace rtw::testing;

namespace {

std::string ackCode(const std::string& ack) {
  return rtw::hl7v2::Message::parse(ack).message->get("MSA-1");
}

void sendAll(RunningSystem& system, const std::vector<std::string>& control_ids) {
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  for (const auto& control_id : control_ids) {
    const auto ack = client->exchange(originalModeReferral(control_id));
    REQUIRE(ack);
    REQUIRE(ackCode(*ack) == "AA");  // on disk: from here the gateway owns it
  }
}

std::string stateOf(RunningSystem& system, const std::string& control_id) {
  return system.queryJournal("SELECT state FROM messages WHERE control_id = '" + control_id + "'");
}

}  // namespace

TEST_CASE("a message that kills the gateway in translation is set aside after 3 attempts") {
  RunningSystem system;
  // Journaled by an intake-only gateway, so that the poison is in the first
  // batch of the next start, with the messages behind it.
  REQUIRE(system.gateway().stop() == 0);
  system.startGateway({"RTW_TRANSLATE_WORKERS=0"});
  sendAll(system, {"POISON-1", "GOOD-1", "GOOD-2"});
  REQUIRE(system.gateway().stop() == 0);

  const std::vector<std::string> poisoned{"RTW_TEST_KILL_POINT=during-translation:POISON"};
  for (int attempt = 1; attempt <= 3; ++attempt) {
    INFO("attempt " << attempt);
    system.startGateway(poisoned, false);  // as a supervisor restarts it; it dies soon
    REQUIRE(waitUntil([&] { return !system.gateway().running(); }));
    CHECK(system.queryJournal("SELECT attempts FROM messages WHERE control_id = 'POISON-1'") ==
          std::to_string(attempt) + "\n");
    CHECK(system.accepted("referral").empty());  // it went first, alone after the first crash
  }

  system.startGateway(poisoned);
  const bool delivered = waitUntil([&] { return system.accepted("referral").size() == 2; });
  INFO(system.gateway().log());
  REQUIRE(delivered);
  CHECK(system.gateway().running());
  CHECK(stateOf(system, "POISON-1") == "dead\n");
  CHECK_THAT(system.queryJournal("SELECT reason FROM messages WHERE control_id = 'POISON-1'"),
             Catch::Contains("did not finish in 3 attempts"));
  CHECK(system.acceptedPerMessage("referral") ==
        std::map<std::string, int>{{"GOOD-1", 1}, {"GOOD-2", 1}});
  // The next message is taken as if nothing had happened.
  sendAll(system, {"GOOD-3"});
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 3; }));
  CHECK(system.gateway().running());
  CHECK_THAT(system.gateway().log(), !Catch::Contains("Doe"));  // no PHI in what it says

  // After the fix (here: the gateway without the fault), it goes through.
  REQUIRE(system.gateway().stop() == 0);
  const std::string id =
      system.queryJournal("SELECT id FROM messages WHERE control_id = 'POISON-1'");
  const std::string rtwctl = std::string(RTW_BINARY_DIR) + "/bin/rtwctl";
  REQUIRE(std::system((rtwctl + " messages reprocess " + id.substr(0, id.size() - 1) +
                       " --journal '" + system.journalFile().string() + "' > /dev/null")
                          .c_str()) == 0);
  system.startGateway();
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 4; }));
  // The board holds it; the journal says so once the board's answer is recorded.
  CHECK(waitUntil([&] { return stateOf(system, "POISON-1") == "delivered\n"; }));
}

TEST_CASE("a translation that throws after the plugin returned is retried alone, then set aside") {
  RunningSystem system;
  REQUIRE(system.gateway().stop() == 0);
  system.startGateway({"RTW_TEST_THROW_POINT=after-plugin:POISON"});
  sendAll(system, {"POISON-2", "GOOD-4"});
  REQUIRE(waitUntil([&] { return stateOf(system, "POISON-2") == "dead\n"; }));
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
  CHECK(system.gateway().running());  // never went down
  CHECK(system.queryJournal("SELECT attempts FROM messages WHERE control_id = 'POISON-2'") ==
        "3\n");
  CHECK_THAT(system.queryJournal("SELECT reason FROM messages WHERE control_id = 'POISON-2'"),
             Catch::Contains("translation failed in all 3 attempts, the last with: test throw "
                             "point after-plugin"));
  CHECK(system.acceptedPerMessage("referral") == std::map<std::string, int>{{"GOOD-4", 1}});
}
