// The worst moments, hit on purpose: the gateway kills itself (SIGKILL) at a
// named point (pipeline/kill_point.h), is restarted, and must neither lose
// nor duplicate the message.

#include <catch2/catch.hpp>

#include "../integration/harness.h"
#include "resending_sender.h"
#include "rtw/hl7v2/message.h"

using namespace rtw::testing;

namespace {

/// One exchange that may be cut off by the gateway's death: the ACK, if any.
std::optional<std::string> tryExchange(RunningSystem& system) {
  try {
    auto client = system.connect(TestCertificates::get().partner("clinic01"));
    return client->exchange(originalModeReferral());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string ackCode(const std::string& ack) {
  return rtw::hl7v2::Message::parse(ack).message->get("MSA-1");
}

void armGateway(RunningSystem& system, const std::string& point) {
  REQUIRE(system.gateway().stop() == 0);
  system.startGateway({"RTW_TEST_KILL_POINT=" + point});
}

}  // namespace

TEST_CASE(
    "killed after the commit and before the ACK: the resend gets the original ACK, one copy") {
  RunningSystem system;
  armGateway(system, "after-commit-before-ack");
  CHECK_FALSE(tryExchange(system).has_value());  // no ACK: the sender must resend
  REQUIRE(waitUntil([&] { return !system.gateway().running(); }));
  CHECK(system.queryJournal("SELECT state FROM messages") == "received\n");

  system.startGateway();
  const auto ack = tryExchange(system);
  REQUIRE(ack);
  CHECK(ackCode(*ack) == "AA");
  CHECK(system.queryJournal("SELECT ack FROM messages").find(*ack) == 0);  // the stored one
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "1\n");
}

TEST_CASE("killed after the ACK and before translation: the restart translates and delivers it") {
  RunningSystem system;
  armGateway(system, "after-ack-before-translate");
  const auto ack = tryExchange(system);  // the ACK may or may not outlive the process
  if (ack) {
    CHECK(ackCode(*ack) == "AA");
  }
  REQUIRE(waitUntil([&] { return !system.gateway().running(); }));
  CHECK(system.queryJournal("SELECT state FROM messages") == "received\n");

  system.startGateway();
  REQUIRE(waitUntil(
      [&] { return system.queryJournal("SELECT state FROM messages") == "delivered\n"; }));
  CHECK(system.accepted("referral").size() == 1);
}

TEST_CASE(
    "killed after the board's 2xx and before marking delivered: the retry is a 200, one copy") {
  RunningSystem system;
  armGateway(system, "after-board-2xx-before-delivered");
  const auto ack = tryExchange(system);
  REQUIRE(ack);
  CHECK(ackCode(*ack) == "AA");
  REQUIRE(waitUntil([&] { return !system.gateway().running(); }));
  CHECK(system.accepted("referral").size() == 1);                         // the board has it...
  CHECK(system.queryJournal("SELECT state FROM outbox") == "pending\n");  // ...we did not know

  system.startGateway();
  REQUIRE(waitUntil(
      [&] { return system.queryJournal("SELECT state FROM messages") == "delivered\n"; }));
  CHECK(system.accepted("referral").size() == 1);
  CHECK(system.queryJournal("SELECT receipt LIKE 'RCPT-%' FROM outbox") == "1\n");
}
