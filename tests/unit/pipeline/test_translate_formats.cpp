// The translate worker reads each journal row with the reader of the format
// the row names, builds the SDK view and the mapping source from it, and
// runs the partner's plugin: a FHIR resource (JSON or XML) and a CSV record
// go through the generic plugin and the partner's mappings as an HL7 message
// does.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <Poco/TemporaryFile.h>

#include "gateway_parts.h"
#include "rtw/enrolment/csv.h"
#include "rtw/mapping/registry.h"
#include "rtw/pipeline/workers.h"
#include "rtw/worksafe/board_profiles.h"

namespace fs = std::filesystem;
using namespace rtw;

namespace {

// A document without what differs from one translation to the next.
std::string withoutIdAndTime(std::string document) {
  for (const std::string tag : {"documentId", "createdAt"}) {
    const std::size_t begin = document.find("<" + tag + ">");
    const std::size_t end = document.find("</" + tag + ">");
    if (begin != std::string::npos && end != std::string::npos) {
      document.erase(begin, end - begin);
    }
  }
  return document;
}

using rtw::testing::kSource;
using rtw::testing::readText;

struct Gateway : rtw::testing::GatewayParts {
  fs::path dir = Poco::TemporaryFile::tempName();
  std::unique_ptr<store::Journal> journal;
  pipeline::Wakeup delivery;
  std::unique_ptr<pipeline::TranslateWorker> worker;

  Gateway() {
    fs::create_directories(dir);
    journal = std::make_unique<store::Journal>((dir / "journal.db").string());
    mappings.load({{"westcoast-fhir", kSource / "mappings/westcoast-fhir"},
                   {"fanshawe-college", kSource / "mappings/fanshawe-college"}});
    worker = std::make_unique<pipeline::TranslateWorker>(*journal, partners, plugins, schemas,
                                                         profiles, delivery, 0);
    worker->useMappings(mappings);
  }
  ~Gateway() {
    worker.reset();
    journal.reset();
    fs::remove_all(dir);
  }

  std::int64_t record(std::string partner, std::string format, std::string control_id,
                      std::string type, std::string payload) {
    store::InboundMessage m;
    m.partner = std::move(partner);
    m.channel = format == "csv" ? "files" : "fhir";
    m.sender = m.partner;
    m.control_id = std::move(control_id);
    m.message_type = std::move(type);
    m.format = std::move(format);
    m.payload = std::move(payload);
    m.ack = "-";
    return journal->record(m).id;
  }

  /// The documents the worker queued for a message, as XML (the outbox's
  /// due documents, as the delivery worker would take them).
  std::vector<std::string> translate(std::int64_t id) {
    while (worker->translateBatch()) {
    }
    std::vector<std::string> bodies;
    for (const auto& item : journal->nextDue(std::int64_t{1} << 62, 64)) {
      if (item.message_id == id) {
        bodies.push_back(item.document.body);
      }
    }
    return bodies;
  }
};

}  // namespace

TEST_CASE("a FHIR resource in the journal is translated through the generic plugin") {
  Gateway gateway;
  const std::int64_t id = gateway.record(
      "westcoast-fhir", "fhir+json", "ServiceRequest/wc-ref-2026-0042", "ServiceRequest",
      readText(kSource / "tests/golden/westcoast-fhir/servicerequest-referral.json"));
  const auto documents = gateway.translate(id);
  const auto entry = gateway.journal->message(id);
  REQUIRE(entry);
  INFO(entry->reason);
  CHECK(entry->state == store::MessageState::kTranslated);
  REQUIRE(documents.size() == 1);
  CHECK_THAT(documents[0], Catch::Contains("<Referral"));
  CHECK_THAT(documents[0],
             Catch::Contains("<sourceMessageId>ServiceRequest/wc-ref-2026-0042</sourceMessageId>"));
  CHECK_THAT(documents[0], Catch::Contains("<family>Doe</family>"));
}

TEST_CASE("a FHIR resource in XML is translated by the same mappings as in JSON") {
  // One gateway each: the outbox hands out a partner's documents in order, one at a time.
  Gateway json_gateway;
  const std::int64_t json = json_gateway.record(
      "westcoast-fhir", "fhir+json", "ServiceRequest/wc-ref-2026-0042", "ServiceRequest",
      readText(kSource / "tests/golden/westcoast-fhir/servicerequest-referral.json"));
  Gateway xml_gateway;
  // The same resource in FHIR XML (tests/data/fhir/README.md).
  const std::int64_t xml = xml_gateway.record(
      "westcoast-fhir", "fhir+xml", "ServiceRequest/wc-ref-2026-0042", "ServiceRequest",
      readText(kSource / "tests/data/fhir/servicerequest-referral.xml"));
  const auto from_json = json_gateway.translate(json);
  const auto from_xml = xml_gateway.translate(xml);
  const auto entry = xml_gateway.journal->message(xml);
  REQUIRE(entry);
  INFO(entry->reason);
  CHECK(entry->state == store::MessageState::kTranslated);
  REQUIRE(from_xml.size() == 1);
  REQUIRE(from_json.size() == 1);
  CHECK_THAT(from_xml[0], Catch::Contains("<family>Doe</family>"));
  CHECK_THAT(from_xml[0],
             Catch::Contains("<sourceMessageId>ServiceRequest/wc-ref-2026-0042</sourceMessageId>"));
  CHECK(withoutIdAndTime(from_xml[0]) == withoutIdAndTime(from_json[0]));
}

TEST_CASE("a CSV record in the journal is translated with its file's header, by column name") {
  Gateway gateway;
  std::string error;
  const auto table = enrolment::parseCsv(
      readText(kSource / "tests/golden/fanshawe-college/enrolment-export.csv"), error);
  REQUIRE(table);
  const auto& record = table->records.front();
  // What the journal keeps of a CSV row: the header and the record.
  const std::string payload =
      enrolment::formatCsvRow(table->header) + enrolment::formatCsvRow(record.fields);
  const std::int64_t id = gateway.record("fanshawe-college", "csv",
                                         "enrolment-export.csv:" + std::to_string(record.line),
                                         "csv:enrolment", payload);
  const auto documents = gateway.translate(id);
  const auto entry = gateway.journal->message(id);
  REQUIRE(entry);
  INFO(entry->reason);
  CHECK(entry->state == store::MessageState::kTranslated);
  REQUIRE(documents.size() == 1);
  CHECK_THAT(documents[0], Catch::Contains("<TrainingReport"));
  CHECK_THAT(documents[0],
             Catch::Contains("<sourceMessageId>enrolment-export.csv:2</sourceMessageId>"));
}

TEST_CASE("a row whose payload its format's reader refuses is rejected, saying so") {
  Gateway gateway;
  const std::int64_t fhir =
      gateway.record("westcoast-fhir", "fhir+json", "x1", "ServiceRequest", "{\"id\": 1}");
  const std::int64_t csv = gateway.record("fanshawe-college", "csv", "f.csv:2", "csv:enrolment",
                                          "a,b\r\n1,2\r\n3,4\r\n");
  const std::int64_t unknown =
      gateway.record("westcoast-fhir", "turtle", "x2", "ServiceRequest", "@prefix");
  const std::int64_t fhir_xml = gateway.record(
      "westcoast-fhir", "fhir+xml", "x3", "ServiceRequest",
      "<ServiceRequest xmlns=\"http://hl7.org/fhir\"><nickname value=\"J\"/></ServiceRequest>");
  gateway.translate(fhir);
  CHECK(gateway.journal->message(fhir)->state == store::MessageState::kRejected);
  CHECK_THAT(gateway.journal->message(fhir)->reason,
             Catch::Contains("no longer parses: not a FHIR R4 resource"));
  CHECK(gateway.journal->message(fhir_xml)->state == store::MessageState::kRejected);
  CHECK_THAT(gateway.journal->message(fhir_xml)->reason,
             Catch::Contains("line 1: <nickname> is not an R4 element of ServiceRequest"));
  CHECK_THAT(gateway.journal->message(csv)->reason,
             Catch::Contains("a CSV row is its file's header and one record"));
  CHECK_THAT(gateway.journal->message(unknown)->reason,
             Catch::Contains("a format this gateway does not read: turtle"));
}

TEST_CASE("a stored transaction is translated entry by entry, skipping entries made before") {
  Gateway gateway;
  // Two referrals, as FhirIntake stores them (ids given, a response per
  // entry); the second ServiceRequest matched an earlier create ("200 OK").
  const std::string text =
      readText(kSource / "tests/golden/westcoast-fhir/transaction-identified-referral.json");
  const auto open = text.find('[', text.find("\"entry\""));
  const std::string entries = text.substr(open + 1, text.rfind(']') - open - 1);
  auto bundle = [&](const std::string& second_status) {
    const std::string all = entries + "," + entries;
    // Every entry's request object gets the response after it.
    std::string out;
    std::size_t from = 0;
    int index = 0;
    for (auto at = all.find("\"request\""); at != std::string::npos;
         at = all.find("\"request\"", at + 1)) {
      const auto end = all.find('}', at) + 1;
      out += all.substr(from, end - from) + R"(, "response": {"status": ")" +
             (index == 7 ? second_status : std::string("201 Created")) + "\"}";
      from = end;
      ++index;
    }
    out += all.substr(from);
    return R"({"resourceType":"Bundle","id":"b1","type":"transaction","entry":[)" + out + "]}";
  };
  const std::int64_t both =
      gateway.record("westcoast-fhir", "fhir+json", "b1", "Bundle", bundle("201 Created"));
  gateway.translate(both);
  const auto outbox = gateway.journal->outbox(both);
  REQUIRE(outbox.size() == 2);  // the two ServiceRequests; Patient, Coverage, Condition none
  CHECK(outbox[0].document_type == "referral");
  CHECK(outbox[0].document_id != outbox[1].document_id);

  const std::int64_t one =
      gateway.record("westcoast-fhir", "fhir+json", "b2", "Bundle", bundle("200 OK"));
  gateway.translate(one);
  CHECK(gateway.journal->outbox(one).size() == 1);
}
