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
