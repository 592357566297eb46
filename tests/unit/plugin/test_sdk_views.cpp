// The SDK's views of each format, as the host gives them to a plugin: one
// view per format behind MessageView, the raw payload, and no host call that
// throws into plugin code.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "rtw/pipeline/payload.h"
#include "rtw/pipeline/translation.h"
#include "rtw/worksafe/board_profiles.h"

using namespace rtw;
using Catch::Matchers::Contains;

namespace {

std::string readText(const std::string& file) {
  std::ifstream in(std::string(RTW_SOURCE_DIR) + "/" + file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("a FHIR Bundle is one view with its entries, and the bytes as sent") {
  const std::string text = readText("tests/golden/westcoast-fhir/bundle-two-referrals.json");
  std::string error;
  const auto payload = pipeline::readPayload(sdk::Format::kFhirJson, text, {}, error);
  REQUIRE(payload);
  const sdk::MessageView& message = *payload;
  CHECK(message.format() == sdk::Format::kFhirJson);
  CHECK(message.payload() == text);
  CHECK(message.messageType() == "Bundle");
  CHECK(message.hl7() == nullptr);
  CHECK(message.csv() == nullptr);
  CHECK(message.xml() == nullptr);
  const sdk::FhirView* bundle = message.fhir();
  REQUIRE(bundle != nullptr);
  CHECK(bundle->id() == "wc-batch-2026-03-01");
  CHECK(bundle->get("Bundle.type") == "collection");
  REQUIRE(bundle->entryCount() == 2);
  CHECK(bundle->entry(0)->resourceType() == "ServiceRequest");
  CHECK(bundle->entry(0)->id() == "wc-ref-2026-0042");
  CHECK(bundle->entry(0)->get("ServiceRequest.contained.where(resourceType = 'Patient').gender") ==
        "female");
  CHECK(bundle->entry(2) == nullptr);
  // Not a path of the subset: nothing, never an exception.
  CHECK(bundle->get("Bundle.entry.resolve()").empty());
  CHECK(bundle->getAll("Bundle.entry.resource.resourceType") ==
        std::vector<std::string>{"ServiceRequest", "ServiceRequest"});
}

TEST_CASE("a CSV record is read by column name with its header and line") {
  std::string error;
  const auto payload =
      pipeline::readPayload(sdk::Format::kCsv, "id,family_name,note\r\n7,Tremblay,\"a, b\"\r\n",
                            {"csv:enrolment", "export.csv:12", {}, {}}, error);
  REQUIRE(payload);
  CHECK(payload->messageType() == "csv:enrolment");
  CHECK(payload->sourceMessageId() == "export.csv:12");
  const sdk::CsvRecordView* record = payload->csv();
  REQUIRE(record != nullptr);
  CHECK(record->header() == std::vector<std::string>{"id", "family_name", "note"});
  CHECK(record->get("family_name") == "Tremblay");
  CHECK(record->get("note") == "a, b");
  CHECK(record->get("Family_Name").empty());  // headers are case-sensitive
  CHECK_FALSE(record->has("nope"));
  CHECK(record->line() == 12);  // the line in the partner's file, not in the row's bytes
  CHECK(payload->fhir() == nullptr);

  CHECK_FALSE(pipeline::readPayload(sdk::Format::kCsv, "id\r\n1\r\n2\r\n", {}, error));
  CHECK_THAT(error, Contains("one record"));
}

TEST_CASE("an XML document is read by XPath, without DTDs") {
  std::string error;
  const auto payload =
      pipeline::readPayload(sdk::Format::kXml, "<a><b>1</b><b>2</b></a>", {}, error);
  REQUIRE(payload);
  const sdk::XmlView* xml = payload->xml();
  REQUIRE(xml != nullptr);
  CHECK(xml->rootName() == "a");
  CHECK(payload->messageType() == "a");
  CHECK(xml->get("/a/b[2]") == "2");
  CHECK(xml->getAll("/a/b") == std::vector<std::string>{"1", "2"});
  CHECK(xml->get("///").empty());  // not an expression: nothing
  CHECK_FALSE(pipeline::readPayload(sdk::Format::kXml, "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>",
                                    {}, error));
}

TEST_CASE("a plugin that ignores the host's refusals still cannot get a bad document through") {
  const auto schemas = worksafe::SchemaSet::load(RTW_SOURCE_DIR "/mappings/worksafe");
  const auto profiles = worksafe::BoardProfiles::load(RTW_SOURCE_DIR "/conf/boards");
  const auto plugin = plugin::PluginHost::loadFile(RTW_TEST_PLUGIN_DIR "/libtest-careless.so");
  security::Partner partner;
  partner.id = "p1";
  auto message = hl7v2::Message::parse("MSH|^~\\&|A|B|C|D|20250101||REF^I12|1|P|2.5\r");
  REQUIRE(message.message);
  const auto payload = pipeline::hl7Payload(std::move(*message.message));
  pipeline::HostFields host;
  host.document_id = pipeline::seededDocumentIds("careless");
  host.created_at = "2026-03-02T09:00:00-08:00";
  const pipeline::Translation run =
      pipeline::translate({partner, plugin, nullptr, *schemas, *profiles}, *payload, host);
  CHECK(run.status.isOk());  // what the plugin said
  CHECK_FALSE(run.accepted());
  CHECK_THAT(run.rejection(), Contains("mapping error") && Contains("no/such/element"));
  REQUIRE(run.warnings.size() == 1);
  CHECK_THAT(run.warnings[0], Contains("set refused") && Contains("no/such/element"));
}
