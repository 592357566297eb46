// Bundles through FhirIntake as the endpoint hands them over. A document:
// its Composition is the one entry translated, reading the rest of the
// Bundle through resolve() once the urn:uuid references are the server's
// ids; the same Bundle.identifier again is the first one. westcoast-fhir
// maps no Composition yet, so the test gives it one made from its referral
// mapping (every path read through the Composition's section entry). A
// transaction sent again: its first answer, whatever the mappings say now.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <Poco/TemporaryFile.h>
#include <rapidjson/document.h>

#include "gateway_parts.h"
#include "rtw/mapping/registry.h"
#include "rtw/pipeline/fhir_intake.h"
#include "rtw/pipeline/workers.h"
#include "rtw/worksafe/board_profiles.h"

namespace fs = std::filesystem;
using namespace rtw;

namespace {

using rtw::testing::kSource;
using rtw::testing::readText;

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

/// The referral mapping with the ServiceRequest read through the Composition.
void writeCompositionMapping(const fs::path& dir) {
  std::string mapping = readText(kSource / "mappings/westcoast-fhir/referral.json");
  mapping = replaced(mapping, "\"ServiceRequest\": {", "\"Composition\": {");
  mapping = replaced(mapping, "ServiceRequest.", "Composition.section.entry.resolve().");
  fs::create_directories(dir);
  std::ofstream(dir / "composition.json") << mapping;
}

struct Intake : rtw::testing::GatewayParts {
  fs::path dir = Poco::TemporaryFile::tempName();
  std::unique_ptr<store::Journal> journal;
  std::unique_ptr<pipeline::IntakeCore> core;
  std::unique_ptr<pipeline::FhirIntake> fhir;

  Intake() {
    writeCompositionMapping(dir / "mappings");
    journal = std::make_unique<store::Journal>((dir / "journal.db").string());
    mappings.load({{"westcoast-fhir", dir / "mappings"}});
    core = std::make_unique<pipeline::IntakeCore>(*journal, [] {});
    fhir = std::make_unique<pipeline::FhirIntake>(*core, partners, plugins, mappings, schemas,
                                                  profiles);
  }
  ~Intake() {
    fhir.reset();
    core.reset();
    journal.reset();
    fs::remove_all(dir);
  }
  const security::Partner& partner() const { return *partners.current()->byId("westcoast-fhir"); }
  pipeline::FhirAnswer post(const std::string& body) {
    return fhir->create(partner(),
                        {"Bundle", body, "application/fhir+json", "", "", "https://gw/fhir"});
  }
};

/// A document: the Composition, then the golden ServiceRequest it names.
std::string documentBundle(const std::string& identifier) {
  return R"({"resourceType":"Bundle","type":"document",)"
         R"("identifier":{"system":"https://westcoast.example/docs","value":")" +
         identifier +
         R"("},"entry":[{"fullUrl":"urn:uuid:c0","resource":{"resourceType":"Composition",)"
         R"("status":"final","type":{"text":"Referral"},"title":"Referral","date":"2026-02-20",)"
         R"("author":[{"identifier":{"system":"https://rtw.test/sid/bc-clinic","value":"WESTCOASTPT"}}],)"
         R"("section":[{"entry":[{"reference":"urn:uuid:s1"}]}]}},)"
         R"({"fullUrl":"urn:uuid:s1","resource":)" +
         readText(kSource / "tests/golden/westcoast-fhir/servicerequest-referral.json") + "}]}";
}

std::string header(const pipeline::FhirAnswer& answer, const std::string& name) {
  for (const auto& [key, value] : answer.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

}  // namespace

TEST_CASE("a document Bundle is journaled once, translated by its Composition alone") {
  Intake intake;
  const pipeline::FhirAnswer created = intake.post(documentBundle("D-1"));
  INFO(created.body);
  REQUIRE(created.status == 201);
  const std::string location = header(created, "Location");
  REQUIRE(location.rfind("https://gw/fhir/Bundle/", 0) == 0);
  const std::string id = location.substr(23, 36);
  rapidjson::Document stored;
  stored.Parse(created.body.c_str());
  REQUIRE(stored.IsObject());
  // The Composition's reference is the ServiceRequest's server id now.
  CHECK(std::string(
            stored["entry"][0]["resource"]["section"][0]["entry"][0]["reference"].GetString()) ==
        "ServiceRequest/" + id + ".1");
  CHECK(std::string(stored["entry"][1]["fullUrl"].GetString()) ==
        "https://gw/fhir/ServiceRequest/" + id + ".1");

  // Each entry reads back; the same document again is the first one.
  CHECK(intake.fhir->read(intake.partner(), "ServiceRequest", id + ".1").status == 200);
  CHECK(intake.fhir->read(intake.partner(), "Composition", id + ".0").status == 200);
  const pipeline::FhirAnswer again = intake.post(documentBundle("D-1"));
  CHECK(again.status == 200);
  CHECK(header(again, "Location") == location);
  CHECK(intake.journal->counts().received == 1);

  // The translate worker makes one Referral of it: the Composition, not the
  // ServiceRequest beside it.
  pipeline::Wakeup delivery;
  pipeline::TranslateWorker worker(*intake.journal, intake.partners, intake.plugins, intake.schemas,
                                   intake.profiles, delivery, 0);
  worker.useMappings(intake.mappings);
  while (worker.translateBatch()) {
  }
  const auto message = intake.journal->messageByKey("westcoast-fhir", "fhir", id);
  REQUIRE(message);
  INFO(message->reason);
  CHECK(message->state == store::MessageState::kTranslated);
  const auto outbox = intake.journal->outbox(message->id);
  REQUIRE(outbox.size() == 1);
  CHECK(outbox[0].document_type == "referral");
  CHECK(outbox[0].claim_number == "12345678");
}

TEST_CASE("a document whose Composition cannot be a valid document is 422 at its entry") {
  Intake intake;
  const pipeline::FhirAnswer refused = intake.post(
      replaced(documentBundle("D-2"), "https://rtw.gateway/NamingSystem/wsbc-claim", "other"));
  CHECK(refused.status == 422);
  CHECK(refused.body.find("Bundle.entry[0].resource.section") != std::string::npos);
  CHECK(intake.journal->counts().received == 0);
}

TEST_CASE("a transaction sent again gets its first answer, even after a reload would refuse it") {
  Intake intake;
  const std::string referral = readText(kSource / "mappings/westcoast-fhir/referral.json");
  fs::create_directories(intake.dir / "real");
  std::ofstream(intake.dir / "real/referral.json") << referral;
  intake.mappings.load({{"westcoast-fhir", intake.dir / "real"}});
  const std::string transaction =
      readText(kSource / "tests/golden/westcoast-fhir/transaction-identified-referral.json");
  auto post = [&](const std::string& body) {
    return intake.fhir->bundle(intake.partner(), body, "application/fhir+json", "https://gw/fhir");
  };
  const pipeline::FhirAnswer first = post(transaction);
  INFO(first.body);
  REQUIRE(first.status == 200);

  // The partner's ServiceRequest mapping gone now (its Claim one left), so
  // a new transaction is refused...
  fs::create_directories(intake.dir / "claims-only");
  std::ofstream(intake.dir / "claims-only/invoice.json")
      << readText(kSource / "mappings/westcoast-fhir/invoice.json");
  intake.mappings.load({{"westcoast-fhir", intake.dir / "claims-only"}});
  CHECK(post(replaced(transaction, "TX-2026-0042", "TX-2026-0043")).status == 422);
  // ...and the one accepted before is answered as it was.
  const pipeline::FhirAnswer again = post(transaction);
  CHECK(again.status == 200);
  CHECK(again.body == first.body);
  CHECK(intake.journal->counts().received == 1);
}
