// What a partner sees when it gets things wrong: no certificate or one from
// another CA fails the TLS handshake; bytes that are not HL7 get AR with an
// ERR segment; bytes outside a frame close the connection. Nothing of it
// reaches the board.

#include <catch2/catch.hpp>

#include <Poco/Exception.h>

#include "harness.h"
#include "rtw/hl7v2/message.h"

using namespace rtw::testing;

namespace {

/// Connects and tries one exchange; true when the server answered with an ACK.
bool exchangeSucceeds(RunningSystem& system, Poco::Net::Context::Ptr context) {
  try {
    rtw::transport::MllpClient client("localhost", system.mllpPort(), context, 5'000);
    return client.exchange(sampleReferral()).has_value();
  } catch (const Poco::Exception&) {
    return false;  // the handshake or the first read failed
  }
}

Poco::Net::Context::Ptr contextWithoutCertificate() {
  Poco::Net::Context::Params params;
  params.caLocation = TestCertificates::get().partner("clinic01").ca;
  params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
  params.loadDefaultCAs = false;
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
}

/// Sends one valid referral and waits for it at the board: after that, any
/// document from the bad input before it would have arrived too.
void sendValidAndDrain(RunningSystem& system) {
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  REQUIRE(client->exchange(sampleReferral()));
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
}

}  // namespace

TEST_CASE("TLS: a client without a certificate or with one from an unknown CA is refused") {
  RunningSystem system;
  SECTION("no client certificate") {
    CHECK_FALSE(exchangeSucceeds(system, contextWithoutCertificate()));
    CHECK(waitUntil(
        [&] { return system.gateway().log().find("TLS handshake") != std::string::npos; }));
  }
  SECTION("a certificate with the partner's CN from another CA") {
    const auto rogue = TestCertificates::get().roguePartner("clinic01");
    CHECK_FALSE(exchangeSucceeds(system, rtw::security::clientContext(rogue)));
    CHECK(waitUntil(
        [&] { return system.gateway().log().find("TLS handshake") != std::string::npos; }));
  }
  sendValidAndDrain(system);
  CHECK(system.accepted("referral").size() == 1);
}

TEST_CASE("bytes that are not HL7 get an AR ACK with an ERR segment and reach nothing") {
  RunningSystem system;
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  const auto ack = client->exchange("this is not an HL7 message");
  REQUIRE(ack);
  auto parsed = rtw::hl7v2::Message::parse(*ack);
  REQUIRE(parsed.message);
  CHECK(parsed.message->get("MSA-1") == "AR");
  CHECK(parsed.message->segmentId(2) == "ERR");
  CHECK_FALSE(parsed.message->get("ERR-3.1").empty());

  SECTION("the connection stays usable for the next message") {
    const auto next = client->exchange(sampleReferral());
    REQUIRE(next);
    CHECK(rtw::hl7v2::Message::parse(*next).message->get("MSA-1") == "CA");
    REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
  }
  SECTION("a message from a facility the partner is not bound to is refused") {
    std::string other = sampleReferral();
    other.replace(other.find("CLINIC01"), 8, "OTHERCLN");
    const auto refused = client->exchange(other);
    REQUIRE(refused);
    // Enhanced mode (MSH-15 AL): a commit reject.
    CHECK(rtw::hl7v2::Message::parse(*refused).message->get("MSA-1") == "CR");
    sendValidAndDrain(system);
    CHECK(system.accepted("referral").size() == 1);
  }
}

TEST_CASE("bytes outside an MLLP frame close the connection and leave a log line") {
  RunningSystem system;
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  client->sendRaw("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  CHECK_FALSE(client->receive().has_value());  // closed, no answer
  CHECK(waitUntil(
      [&] { return system.gateway().log().find("outside an MLLP frame") != std::string::npos; }));
  sendValidAndDrain(system);
  CHECK(system.accepted("referral").size() == 1);
}

TEST_CASE("a full journal answers AE with a reason and acknowledges nothing it could not store") {
  // A page limit just above the empty journal's size stands in for a full disk.
  RunningSystem system({"store.maxPages=12"});
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  std::string big = sampleReferral();
  big.replace(big.find("|P|2.5|||AL|AL"), 14, "|P|2.5");
  big += "NTE|1||" + std::string(60 * 1024, 'x') + "\r";
  int refused = 0;
  for (int i = 0; i < 10 && refused == 0; ++i) {
    std::string message = big;
    message.replace(message.find("MSG0001"), 7, "FULL" + std::to_string(i));
    const auto ack = client->exchange(message);
    REQUIRE(ack);
    const std::string code = rtw::hl7v2::Message::parse(*ack).message->get("MSA-1");
    if (code == "AE") {
      ++refused;
      CHECK_THAT(rtw::hl7v2::Message::parse(*ack).message->get("ERR-8"),
                 Catch::Contains("cannot store"));
    } else {
      CHECK(code == "AA");
    }
  }
  CHECK(refused == 1);
  CHECK(waitUntil(
      [&] { return system.gateway().log().find("journal unavailable") != std::string::npos; }));
}
