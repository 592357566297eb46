// One process per store and per port: a second ./scripts/run (or a second
// gateway on the same config) used to start silently, share the journal and
// the port (SO_REUSEPORT) and split the clinics' connections, and a second
// board simulator cut the first one's documents when it stopped. Now each
// refuses to start with a sentence naming what holds the store or port.

#include <catch2/catch.hpp>

#include <Poco/Net/NetException.h>

#include "harness.h"
#include "rtw/hl7v2/message.h"

using namespace rtw::testing;

TEST_CASE("a second gateway on the same SQLite journal refuses to start, naming the holder") {
  RunningSystem system;
  std::uint16_t port = 0;
  const std::string pid = std::to_string(system.gateway().pid());
  CHECK_THROWS_WITH(
      system.startPeerGateway("second", port),
      Catch::Contains("the journal " + system.journalFile().string() + " is in use by pid " + pid));
  // The first one never noticed.
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  REQUIRE(client->exchange(sampleReferral()));
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));

  SECTION("once the first is gone (even by kill -9) the lock goes with it") {
    system.gateway().kill();
    REQUIRE(waitUntil([&] { return !system.gateway().running(); }));
    auto second = system.startPeerGateway("after", port);
    CHECK(second->running());
  }
}

TEST_CASE("a second gateway on the same port refuses to start instead of sharing it") {
  RunningSystem system;
  std::uint16_t port = 0;
  CHECK_THROWS_WITH(
      system.startPeerGateway("same-port", port,
                              {"store.path=" + (system.dir() / "other.sqlite").string()},
                              system.mllpPort()),
      Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(system.mllpPort())));
  // Every connection still reaches the first gateway and its journal.
  for (int i = 0; i < 8; ++i) {
    auto client = system.connect(TestCertificates::get().partner("clinic01"));
    REQUIRE(client->exchange(sampleReferral()));
  }
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "1\n");
}

TEST_CASE("a second board simulator on the same store refuses to start") {
  RunningSystem system;
  const std::string c = TestCertificates::get().dir.string() + "/";
  ChildProcess second(
      std::string(RTW_BINARY_DIR) + "/bin/rtw-board-sim",
      {"--home", RTW_SOURCE_DIR, "--port", "0", "--store", system.boardStore().string(), "--cert",
       c + "board-sim.pem", "--key", c + "board-sim.key", "--ca", c + "ca.pem"},
      system.dir() / "second-board.log");
  REQUIRE(waitUntil([&] { return !second.running(); }));
  CHECK_THAT(second.log(),
             Catch::Contains("the board store " + (system.boardStore() / "documents.log").string() +
                             " is in use by pid " + std::to_string(system.board().pid())));
  CHECK(system.board().running());
}
