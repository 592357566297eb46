// A partner with no code of its own: harbour-physio's messages go through the
// generic clinic plugin and its mappings to the board simulator; a mapping
// edited on disk is picked up without a restart, and a broken edit keeps the
// previous mapping running.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "harness.h"
#include "rtw/hl7v2/message.h"
#include "rtw/worksafe/schema.h"

using namespace rtw::testing;

namespace {

namespace fs = std::filesystem;

std::string golden(const std::string& name) {
  return readFile(RTW_SOURCE_DIR "/tests/golden/harbour-physio/" + name + ".hl7");
}

std::string ackField(const std::string& ack, const std::string& path) {
  auto parsed = rtw::hl7v2::Message::parse(ack);
  REQUIRE(parsed.message);
  return parsed.message->get(path);
}

// The message with another control id (MSH-10), so it is not a duplicate.
std::string withControlId(const std::string& message, const std::string& control_id) {
  auto parsed = rtw::hl7v2::Message::parse(message);
  REQUIRE(parsed.message);
  REQUIRE(parsed.message->set("MSH-10", control_id));
  return parsed.message->serialize();
}

// Sends one message in enhanced mode; the application ACK code.
std::string send(RunningSystem& system, const std::string& message) {
  auto client = system.connect(TestCertificates::get().partner("harbour-physio"));
  const auto commit = client->exchange(message);
  REQUIRE(commit);
  CHECK(ackField(*commit, "MSA-1") == "CA");
  const auto application = client->receive();
  REQUIRE(application);
  return ackField(*application, "MSA-1");
}

std::shared_ptr<const rtw::worksafe::SchemaSet> schemas() {
  static const auto loaded = rtw::worksafe::SchemaSet::load(RTW_SOURCE_DIR "/mappings/worksafe");
  return loaded;
}

// The delivered document of a type whose sourceMessageId is `control_id`.
std::optional<rtw::worksafe::Document> delivered(const RunningSystem& system,
                                                 const std::string& type,
                                                 const std::string& control_id) {
  for (const auto& accepted : system.accepted(type)) {
    auto document = schemas()->read(accepted.body);
    if (document.get("header/sourceMessageId") == control_id) {
      return document;
    }
  }
  return std::nullopt;
}

void replaceInFile(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = readFile(file);
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  const auto before = fs::last_write_time(file);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  fs::last_write_time(file, before + std::chrono::seconds(1));  // newer, even on coarse clocks
}

}  // namespace

TEST_CASE("harbour-physio referral, report and invoice reach the board through its mappings") {
  RunningSystem system;
  CHECK(send(system, golden("referral")) == "AA");
  CHECK(send(system, golden("mdm-discharge")) == "AA");
  CHECK(send(system, golden("dft-invoice-gst")) == "AA");

  REQUIRE(waitUntil([&] { return delivered(system, "invoice", "HP20250314-0021").has_value(); }));
  const auto referral = delivered(system, "referral", "HP20250303-0001");
  REQUIRE(referral);
  CHECK(referral->get("header/claimNumber") == std::optional<std::string>("30441829"));
  CHECK(referral->get("header/sourcePartner") == std::optional<std::string>("harbour-physio"));
  CHECK(referral->get("referralId") == std::optional<std::string>("WR778812"));
  const auto report = delivered(system, "report", "HP20250506-0015");
  REQUIRE(report);
  CHECK(report->get("dischargeStatus") == std::optional<std::string>("RTW_FULL"));
  const auto invoice = delivered(system, "invoice", "HP20250314-0021");
  CHECK(invoice->get("gstTotal") == std::optional<std::string>("2.25"));
  CHECK(invoice->get("total") == std::optional<std::string>("511.00"));

  // A referral without the provider's payee number (PRD-7) still goes, with a warning.
  std::string no_payee = withControlId(golden("referral"), "R-NO-PAYEE");
  no_payee.replace(no_payee.find("||PY1234^WSBC"), 13, "");
  CHECK(send(system, no_payee) == "AA");
  REQUIRE(waitUntil([&] { return delivered(system, "referral", "R-NO-PAYEE").has_value(); }));

  // The log says which partner maps with what and which fields stayed empty,
  // never who the patient is.
  CHECK(system.gateway().stop() == 0);
  const std::string log = system.gateway().log();
  CHECK_THAT(log, Catch::Contains("partner harbour-physio maps with"));
  CHECK_THAT(log, Catch::Contains("partner=harbour-physio: provider/payeeNumber: left empty: its "
                                  "source PRD[2]-7.1 gave no value (REF^I12 "
                                  "provider/payeeNumber)"));
  CHECK_THAT(log, !Catch::Contains("Tremblay") && !Catch::Contains("30441829") &&
                      !Catch::Contains("9698658215"));
}

TEST_CASE(
    "a mapping edited on disk is used without a restart, and a broken edit keeps the last one") {
  auto mappings = fs::temp_directory_path() / ("rtw-mappings-" + std::to_string(::getpid()));
  fs::remove_all(mappings);
  fs::copy(RTW_SOURCE_DIR "/mappings", mappings, fs::copy_options::recursive);
  const fs::path referral_json = mappings / "harbour-physio/referral.json";
  RunningSystem system({"mappings.dir=" + mappings.string(), "mappings.pollMs=200"});

  CHECK(send(system, withControlId(golden("referral"), "R1")) == "AA");
  REQUIRE(waitUntil([&] { return delivered(system, "referral", "R1").has_value(); }));
  CHECK(delivered(system, "referral", "R1")->get("requester/role") ==
        std::optional<std::string>("case manager"));

  SECTION("an edit is picked up by polling") {
    replaceInFile(referral_json, "\"const\": \"case manager\"",
                  "\"const\": \"WorkSafeBC case manager\"");
    REQUIRE(waitUntil([&] {
      return system.gateway().log().find("partner harbour-physio: mappings reloaded") !=
             std::string::npos;
    }));
    CHECK(send(system, withControlId(golden("referral"), "R2")) == "AA");
    REQUIRE(waitUntil([&] { return delivered(system, "referral", "R2").has_value(); }));
    CHECK(delivered(system, "referral", "R2")->get("requester/role") ==
          std::optional<std::string>("WorkSafeBC case manager"));

    // Broken: an unknown field. The log names file, line and rule; the edit before it stays.
    replaceInFile(referral_json, "\"requester/role\"", "\"requester/title\"");
    REQUIRE(waitUntil([&] {
      return system.gateway().log().find("mapping reload failed, the previous mappings stay") !=
             std::string::npos;
    }));
    CHECK_THAT(system.gateway().log(),
               Catch::Contains("referral.json:50 (rule REF^I12 requester/title): unknown field"));
    CHECK(send(system, withControlId(golden("referral"), "R3")) == "AA");
    REQUIRE(waitUntil([&] { return delivered(system, "referral", "R3").has_value(); }));
    CHECK(delivered(system, "referral", "R3")->get("requester/role") ==
          std::optional<std::string>("WorkSafeBC case manager"));
    CHECK(system.gateway().running());
  }

  SECTION("SIGHUP reloads every partner's mappings") {
    system.gateway().hangUp();
    REQUIRE(waitUntil([&] {
      return system.gateway().log().find("partner harbour-physio: mappings reloaded") !=
             std::string::npos;
    }));
    CHECK_THAT(system.gateway().log(),
               Catch::Contains("SIGHUP: reloading every partner's mappings"));
    CHECK(system.gateway().running());
  }
  fs::remove_all(mappings);
}

TEST_CASE(
    "harbour-physio's documents for one claim reach the board in order, even through a retry") {
  RunningSystem system;
  // The referral's first POST is refused for a second; the report that
  // follows for the same claim waits for it (deliveryOrder "claim").
  system.planBoardFaults("503 retry-after=1");
  CHECK(send(system, golden("referral")) == "AA");
  CHECK(send(system, golden("mdm-discharge")) == "AA");
  REQUIRE(waitUntil([&] {
    return system.queryJournal("SELECT COUNT(*) FROM outbox WHERE state = 'delivered'") == "2\n";
  }));
  CHECK(system.queryJournal("SELECT document_type, attempts, order_key FROM outbox"
                            " ORDER BY updated_at") ==
        "referral|2|harbour-physio/30441829\n"
        "report|1|harbour-physio/30441829\n");
}
