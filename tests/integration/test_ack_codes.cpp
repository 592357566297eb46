// What the sender's engine reads in an ACK tells it what to do: MSA-1 (AA,
// AE to fix the content, AR for a refusal unrelated to the values) and
// ERR-3 from HL7 table 0357, with ERR-2 pointing at the field where the
// gateway knows it. Over the real gateway, MLLP/TLS, enhanced mode.

#include <catch2/catch.hpp>

#include "harness.h"
#include "rtw/hl7v2/message.h"

using namespace rtw::testing;

namespace {

struct Answer {
  std::string code;      // MSA-1
  std::string error;     // ERR-3.1
  std::string location;  // ERR-2 as sent (SEG^occurrence^field)
  std::string text;      // ERR-8
};

Answer read(const std::string& ack) {
  auto parsed = rtw::hl7v2::Message::parse(ack);
  REQUIRE(parsed.message);
  return {parsed.message->get("MSA-1"), parsed.message->get("ERR-3.1"),
          std::string(parsed.message->raw("ERR-2")), parsed.message->get("ERR-8")};
}

std::string edited(std::string message, const std::string& from, const std::string& to) {
  const auto at = message.find(from);
  REQUIRE(at != std::string::npos);
  return message.replace(at, from.size(), to);
}

// The sample referral (enhanced mode) with MSH-10 `control_id`: its commit
// ACK must be CA; returns the application ACK.
Answer applicationAnswer(RunningSystem& system, const std::string& message,
                         const std::string& partner = "clinic01") {
  auto client = system.connect(TestCertificates::get().partner(partner));
  const auto commit = client->exchange(message);
  REQUIRE(commit);
  REQUIRE(read(*commit).code == "CA");
  const auto application = client->receive();
  REQUIRE(application);
  return read(*application);
}

std::string referral(const std::string& control_id) {
  return edited(sampleReferral(), "|MSG0001|", "|" + control_id + "|");
}

}  // namespace

TEST_CASE("each kind of problem gets its own MSA code and table 0357 code") {
  RunningSystem system;
  SECTION("a required field missing: AE 101 at the field") {
    const Answer a = applicationAnswer(system, edited(referral("C101"), "||Doe^Jane||", "||||"));
    CHECK(a.code == "AE");
    CHECK(a.error == "101");
    CHECK(a.location == "PID^1^5");
    CHECK_THAT(a.text, Catch::Contains("worker/family"));
  }
  SECTION("a value of the wrong type: AE 102 at the field") {
    const Answer a = applicationAnswer(system, edited(referral("C102"), "|19800101|", "|1980013|"));
    CHECK(a.code == "AE");
    CHECK(a.error == "102");
    CHECK(a.location == "PID^1^7");
  }
  SECTION("what the board's rules refuse: AE 207") {
    const Answer a = applicationAnswer(
        system, edited(referral("C207"), "12345678^^^WSBC^WCN", "1234^^^WSBC^WCN"));
    CHECK(a.code == "AE");
    CHECK(a.error == "207");
    CHECK_THAT(a.text, Catch::Contains("claimNumber"));
  }
  SECTION("a message type nobody maps for the partner: AR 200") {
    const Answer a = applicationAnswer(
        system, edited(referral("C200"), "|REF^I12^REF_I12|", "|ORM^O01^ORM_O01|"));
    CHECK(a.code == "AR");
    CHECK(a.error == "200");
  }
  SECTION("another trigger event of a mapped message code: AR 201") {
    const Answer a = applicationAnswer(
        system, edited(referral("C201"), "|REF^I12^REF_I12|", "|REF^I14^REF_I12|"));
    CHECK(a.code == "AR");
    CHECK(a.error == "201");
  }
  CHECK(system.accepted("referral").empty());
}

TEST_CASE("a code the partner's table does not have: AE 103 at the field") {
  RunningSystem system;
  std::string message = readFile(RTW_SOURCE_DIR "/tests/golden/harbour-physio/referral.hl7");
  for (char& c : message) {
    c = c == '\n' ? '\r' : c;
  }
  auto parsed = rtw::hl7v2::Message::parse(message);
  REQUIRE(parsed.message);
  REQUIRE(parsed.message->set("RF1-1.1", "ZZ"));  // no such referral status in its table
  REQUIRE(parsed.message->set("MSH-15", "AL"));
  REQUIRE(parsed.message->set("MSH-16", "AL"));
  const Answer a = applicationAnswer(system, parsed.message->serialize(), "harbour-physio");
  CHECK(a.code == "AE");
  CHECK(a.error == "103");
  CHECK(a.location == "RF1^1^1");
}

TEST_CASE("a control id resent: the same content gets the first answer, other content AR 205") {
  RunningSystem system;
  const std::string original = referral("DUP1");
  const Answer first = applicationAnswer(system, original);
  REQUIRE(first.code == "AA");
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));

  SECTION("the same bytes: a retry, answered CA then AA again, not processed twice") {
    CHECK(applicationAnswer(system, original).code == "AA");
  }
  SECTION("the same content with a new MSH-7 (a sender stamping its resend): still a retry") {
    CHECK(applicationAnswer(system,
                            edited(original, "|20250301101500-0800|", "|20250301111500-0800|"))
              .code == "AA");
  }
  SECTION("a corrected referral under the old control id: refused, CR 205 in enhanced mode") {
    auto client = system.connect(TestCertificates::get().partner("clinic01"));
    const auto commit = client->exchange(edited(original, "Doe^Jane", "Doe^Janet"));
    REQUIRE(commit);
    const Answer a = read(*commit);
    CHECK(a.code == "CR");
    CHECK(a.error == "205");
    CHECK(a.location == "MSH^1^10");
    CHECK_THAT(a.text, Catch::Contains("already received with other content"));
    CHECK(waitUntil([&] {
      return system.gateway().log().find("reused with other content") != std::string::npos;
    }));
  }
  SECTION("the same in original mode: AR 205") {
    auto client = system.connect(TestCertificates::get().partner("clinic01"));
    const std::string corrected =
        edited(edited(original, "|P|2.5|||AL|AL", "|P|2.5"), "Doe^Jane", "Doe^Janet");
    const auto ack = client->exchange(corrected);
    REQUIRE(ack);
    CHECK(read(*ack).code == "AR");
    CHECK(read(*ack).error == "205");
  }
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "1\n");
  CHECK(system.accepted("referral").size() == 1);
}
