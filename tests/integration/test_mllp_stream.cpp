// MLLP as EMRs really use it: several messages in one write answered in
// order, an oversize frame refused without losing the connection.

#include <catch2/catch.hpp>

#include "harness.h"
#include "rtw/hl7v2/message.h"

using namespace rtw::testing;

namespace {

std::string originalMode(std::string message, const std::string& control_id) {
  message.replace(message.find("|P|2.5|||AL|AL"), 14, "|P|2.5");
  message.replace(message.find("MSG0001"), 7, control_id);
  return message;
}

std::string field(const std::string& ack, const std::string& path) {
  auto parsed = rtw::hl7v2::Message::parse(ack);
  REQUIRE(parsed.message);
  return parsed.message->get(path);
}

}  // namespace

TEST_CASE("pipelined messages on one connection are answered in order") {
  RunningSystem system;
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  std::string burst;
  for (int i = 1; i <= 20; ++i) {
    burst += rtw::hl7v2::mllpFrame(originalMode(sampleReferral(), "PIPE" + std::to_string(i)));
  }
  client->sendRaw(burst);
  for (int i = 1; i <= 20; ++i) {
    const auto ack = client->receive();
    REQUIRE(ack);
    CHECK(field(*ack, "MSA-1") == "AA");
    CHECK(field(*ack, "MSA-2") == "PIPE" + std::to_string(i));
  }
  CHECK(waitUntil([&] { return system.accepted("referral").size() == 20; }));
}

TEST_CASE("an oversize frame gets AR and the connection stays usable") {
  RunningSystem system({"mllp.maxFrameBytes=2048"});
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  std::string big = originalMode(sampleReferral(), "BIG1");
  big += "NTE|1||" + std::string(4096, 'x') + "\r";
  const auto refused = client->exchange(big);
  REQUIRE(refused);
  CHECK(field(*refused, "MSA-1") == "AR");
  CHECK(field(*refused, "MSA-2") == "BIG1");  // read from the frame's first line
  CHECK_THAT(field(*refused, "ERR-8"), Catch::Contains("maximum frame size"));

  const auto next = client->exchange(originalMode(sampleReferral(), "SMALL1"));
  REQUIRE(next);
  CHECK(field(*next, "MSA-1") == "AA");
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
}

TEST_CASE("a frame that never ends is cut off after the frame timeout with a log line") {
  RunningSystem system({"mllp.frameTimeoutMs=300"});
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  const std::string framed = rtw::hl7v2::mllpFrame(originalMode(sampleReferral(), "SLOW1"));
  client->sendRaw(framed.substr(0, framed.size() / 2));  // start block, half a message
  CHECK_FALSE(client->receive().has_value());            // closed without an answer
  CHECK(waitUntil([&] {
    return system.gateway().log().find("frame not completed within 300 ms") != std::string::npos;
  }));
  CHECK(system.accepted("referral").empty());
}

TEST_CASE("connections past mllp.maxConnections are closed and the open ones keep working") {
  RunningSystem system({"mllp.maxConnections=2"});
  const auto& clinic = TestCertificates::get().partner("clinic01");
  auto first = system.connect(clinic);
  auto second = system.connect(clinic);
  REQUIRE(first->exchange(originalMode(sampleReferral(), "MAX1")));
  REQUIRE(second->exchange(originalMode(sampleReferral(), "MAX2")));
  auto third = system.connect(clinic);  // the handshake completes, then it is closed
  std::optional<std::string> refused;
  try {
    refused = third->exchange(originalMode(sampleReferral(), "MAX3"));
  } catch (const Poco::Exception&) {
    // A reset instead of a clean close: refused all the same.
  }
  CHECK_FALSE(refused);
  const auto again = first->exchange(originalMode(sampleReferral(), "MAX4"));
  REQUIRE(again);
  CHECK(field(*again, "MSA-1") == "AA");
  CHECK(waitUntil([&] { return system.accepted("referral").size() == 3; }));
  CHECK_FALSE(waitUntil([&] { return system.accepted("referral").size() > 3; },
                        std::chrono::milliseconds(500)));
  CHECK_THAT(system.gateway().log(), Catch::Contains("2 connections open already; closing"));
  // A place freed is a place taken again.
  second.reset();
  REQUIRE(waitUntil([&] {
    try {
      auto fourth = system.connect(clinic);
      return fourth->exchange(originalMode(sampleReferral(), "MAX5")).has_value();
    } catch (const Poco::Exception&) {
      return false;
    }
  }));
}

TEST_CASE("one I/O thread serves many connections, each answered in its own order") {
  RunningSystem system({"mllp.ioThreads=1"});
  const auto& clinic = TestCertificates::get().partner("clinic01");
  constexpr int kConnections = 8;
  constexpr int kEach = 10;
  std::vector<std::unique_ptr<rtw::transport::MllpClient>> clients;
  for (int c = 0; c < kConnections; ++c) {
    clients.push_back(system.connect(clinic));
    std::string burst;
    for (int i = 1; i <= kEach; ++i) {
      const std::string id = "IO" + std::to_string(c) + "-" + std::to_string(i);
      burst += rtw::hl7v2::mllpFrame(originalMode(sampleReferral(), id));
    }
    clients.back()->sendRaw(burst);
  }
  for (int c = 0; c < kConnections; ++c) {
    for (int i = 1; i <= kEach; ++i) {
      const auto ack = clients[c]->receive();
      REQUIRE(ack);
      CHECK(field(*ack, "MSA-1") == "AA");
      CHECK(field(*ack, "MSA-2") == "IO" + std::to_string(c) + "-" + std::to_string(i));
    }
  }
  CHECK(waitUntil([&] {
    return system.accepted("referral").size() == static_cast<std::size_t>(kConnections * kEach);
  }));
}

TEST_CASE(
    "a sender gone before its application ACK loses only that ACK, and the others are answered") {
  RunningSystem system;
  const auto& clinic = TestCertificates::get().partner("clinic01");
  {
    // Enhanced mode: CA after the commit, AA later from a translate thread.
    auto leaving = system.connect(clinic);
    const auto commit = leaving->exchange(sampleReferral());
    REQUIRE(commit);
    CHECK(field(*commit, "MSA-1") == "CA");
  }  // closed before the AA could be written
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
  // Many senders at once, each waiting for its own CA and AA.
  constexpr int kSenders = 12;
  std::vector<std::unique_ptr<rtw::transport::MllpClient>> clients;
  for (int c = 0; c < kSenders; ++c) {
    clients.push_back(system.connect(clinic));
    std::string message = sampleReferral();
    message.replace(message.find("MSG0001"), 7, "ENH" + std::to_string(c));
    clients.back()->send(message);
  }
  for (int c = 0; c < kSenders; ++c) {
    const auto commit = clients[c]->receive();
    REQUIRE(commit);
    CHECK(field(*commit, "MSA-1") == "CA");
    const auto application = clients[c]->receive();
    REQUIRE(application);
    CHECK(field(*application, "MSA-1") == "AA");
    CHECK(field(*application, "MSA-2") == "ENH" + std::to_string(c));
  }
  CHECK(waitUntil([&] { return system.accepted("referral").size() == kSenders + 1; }));
  const std::string log = system.gateway().log();
  CHECK_THAT(log, !Catch::Contains("an MLLP task failed") && !Catch::Contains("could not send"));
}
