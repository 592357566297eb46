// What a partner's file allows, enforced where the partner connects: only
// its own channels, and the message types it says to ignore are taken,
// answered AA and kept, but never translated or sent to the board.

#include <catch2/catch.hpp>

#include "harness.h"
#include "rtw/hl7v2/message.h"

using namespace rtw::testing;

namespace {

std::string field(const std::string& ack, const std::string& path) {
  auto parsed = rtw::hl7v2::Message::parse(ack);
  REQUIRE(parsed.message);
  return parsed.message->get(path);
}

// harbour-physio's EMR announcing a registration (ADT^A04), in `mode`.
std::string registration(const std::string& control_id, bool enhanced) {
  return "MSH|^~\\&|OSCAR|HARBOURPHYSIO|RTWGW|WSBC|20251201101500-0800||ADT^A04^ADT_A01|" +
         control_id + "|P|2.5.1" + (enhanced ? "|||AL|AL" : "") +
         "\rEVN|A04|20251201101500\rPID|1||555^^^HP^MR||Roe^Sam||19700101|M\rPV1|1|O\r";
}

}  // namespace

TEST_CASE("a partner whose file has no mllp channel is refused over MLLP with AR") {
  RunningSystem system;
  auto client = system.connect(TestCertificates::get().partner("westcoast-fhir"));
  std::string message = sampleReferral();
  const auto ack = client->exchange(message);  // enhanced mode: the refusal is the commit ACK
  REQUIRE(ack);
  CHECK(field(*ack, "MSA-1") == "CR");
  CHECK(field(*ack, "ERR-3.1") == "207");
  CHECK_THAT(field(*ack, "ERR-8"), Catch::Contains("may not send over MLLP"));
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "0\n");
  CHECK(waitUntil([&] {
    return system.gateway().log().find("partner=westcoast-fhir") != std::string::npos &&
           system.gateway().log().find("no mllp channel") != std::string::npos;
  }));
}

TEST_CASE("a message type the partner ignores is answered AA, kept as ignored, never sent") {
  RunningSystem system;
  auto client = system.connect(TestCertificates::get().partner("harbour-physio"));
  const auto original = client->exchange(registration("ADT-1", false));
  REQUIRE(original);
  CHECK(field(*original, "MSA-1") == "AA");

  const auto commit = client->exchange(registration("ADT-2", true));
  REQUIRE(commit);
  CHECK(field(*commit, "MSA-1") == "CA");
  const auto application = client->receive();
  REQUIRE(application);
  CHECK(field(*application, "MSA-1") == "AA");

  CHECK(system.queryJournal("SELECT control_id, state FROM messages ORDER BY id") ==
        "ADT-1|ignored\nADT-2|ignored\n");
  // A type it does not ignore is still refused as unmapped.
  const auto taken = client->exchange(
      "MSH|^~\\&|OSCAR|HARBOURPHYSIO|RTWGW|WSBC|20251201101500-0800||SIU^S12|SIU-1|P|2.5.1|||AL|"
      "AL\rSCH|1\r");
  REQUIRE(taken);
  CHECK(field(*taken, "MSA-1") == "CA");
  const auto refused = client->receive();
  REQUIRE(refused);
  CHECK(field(*refused, "MSA-1") == "AR");
  CHECK(field(*refused, "ERR-3.1") == "200");
  CHECK(system.accepted("referral").empty());
  CHECK(system.accepted("report").empty());
}
