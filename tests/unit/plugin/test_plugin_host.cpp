#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "rtw/hl7v2/message.h"
#include "rtw/mapping/evaluate.h"
#include "rtw/pipeline/payload.h"
#include "rtw/pipeline/translation_context.h"
#include "rtw/plugin/host.h"
#include "rtw/worksafe/schema.h"

using rtw::plugin::PluginHost;
using rtw::plugin::PluginLoadError;

namespace {

const std::string kTestPlugins = RTW_TEST_PLUGIN_DIR;

rtw::hl7v2::Message parse(const std::string& text) {
  auto outcome = rtw::hl7v2::Message::parse(text);
  REQUIRE(outcome.message);
  return *outcome.message;
}

}  // namespace

TEST_CASE("a plugin built for another ABI version is refused with both versions and the file") {
  const std::string file = kTestPlugins + "/libtest-wrong-abi.so";
  try {
    PluginHost::loadFile(file);
    FAIL("the wrong-ABI plugin was loaded");
  } catch (const PluginLoadError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::Contains(file));
    CHECK_THAT(message,
               Catch::Contains("ABI version " + std::to_string(rtw::sdk::kAbiVersion + 1)));
    CHECK_THAT(message, Catch::Contains("ABI version " + std::to_string(rtw::sdk::kAbiVersion)));
  }
}

TEST_CASE("a library that is not a plugin, or no library at all, is refused by name") {
  CHECK_THROWS_WITH(PluginHost::loadFile(kTestPlugins + "/libtest-not-a-plugin.so"),
                    Catch::Contains("does not export 'rtw_plugin_info'"));
  CHECK_THROWS_WITH(PluginHost::loadFile(kTestPlugins + "/libmissing.so"),
                    Catch::Contains("libmissing.so: no such file"));
}

TEST_CASE("plugins are found by name in the plugin folder and loaded once") {
  PluginHost host(RTW_PLUGIN_DIR);
  const auto first = host.load("generic");
  const auto second = host.load("generic");
  CHECK(first.name == "generic");
  CHECK(first.translator == second.translator);
  CHECK_THROWS_AS(host.load("no-such-partner-plugin"), PluginLoadError);
}

TEST_CASE("a plugin that throws rejects only that message, without its text") {
  auto schemas = rtw::worksafe::SchemaSet::load(RTW_SOURCE_DIR "/mappings/worksafe");
  const auto plugin = PluginHost::loadFile(kTestPlugins + "/libtest-throwing.so");

  const auto adt =
      rtw::pipeline::hl7Payload(parse("MSH|^~\\&|A|B|C|D|20250101||ADT^A01|1|P|2.5\rPID|1||123\r"));
  rtw::pipeline::TranslationContextImpl failing("p1", *adt, *schemas);
  const rtw::sdk::Status failed = rtw::plugin::translateSafely(plugin, failing);
  CHECK(failed.code() == rtw::sdk::Status::Code::kInternal);
  CHECK_THAT(failed.reason(), Catch::Contains("plugin 'throwing' failed"));
  CHECK_THAT(failed.reason(), !Catch::Contains("Doe") && !Catch::Contains("9698658215"));

  // The same plugin instance keeps working for the next message.
  const auto ref =
      rtw::pipeline::hl7Payload(parse("MSH|^~\\&|A|B|C|D|20250101||REF^I12|2|P|2.5\rRF1|P\r"));
  rtw::pipeline::TranslationContextImpl working("p1", *ref, *schemas);
  CHECK(rtw::plugin::translateSafely(plugin, working).isOk());
  REQUIRE(working.drafts().size() == 1);
  CHECK(working.drafts()[0]->document().get("referralId") == std::optional<std::string>("R-1"));
}

namespace {

std::string sampleReferral() {
  std::ifstream in(RTW_SOURCE_DIR "/tests/data/hl7/ref-i12-sample.hl7", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("a plugin runs the partner's mapping through the SDK and adds code before and after") {
  auto schemas = rtw::worksafe::SchemaSet::load(RTW_SOURCE_DIR "/mappings/worksafe");
  auto mappings = rtw::mapping::MappingSet::load(RTW_SOURCE_DIR "/mappings/clinic01", *schemas);
  const auto plugin = PluginHost::loadFile(kTestPlugins + "/libtest-split-referral.so");
  std::vector<std::string> auth_ids;
  auto translate = [&](const rtw::hl7v2::Message& message, std::vector<std::string>& referral_ids) {
    const auto payload = rtw::pipeline::hl7Payload(message);
    rtw::pipeline::TranslationContextImpl context("clinic01", *payload, *schemas, {mappings});
    const rtw::sdk::Status status = rtw::plugin::translateSafely(plugin, context);
    for (const auto& draft : context.drafts()) {
      referral_ids.push_back(draft->document().get("referralId").value_or(""));
      auth_ids.push_back(draft->document().get("authorization/authId").value_or(""));
      CHECK(draft->problems().empty());
    }
    return status;
  };

  SECTION("one authorization: the mapping's document as it is") {
    std::vector<std::string> ids;
    CHECK(translate(parse(sampleReferral()), ids).isOk());
    CHECK(ids == std::vector<std::string>{"WR123456"});
  }
  SECTION("two authorizations: the plugin splits after the mapping") {
    auto message = parse(sampleReferral());
    // An EI with its namespace: the plugin's get() reads the identifier alone.
    REQUIRE(message.setRaw("AUT[2]-6", "AUTH-2^WSBC"));
    std::vector<std::string> ids;
    CHECK(translate(message, ids).isOk());
    CHECK(ids == std::vector<std::string>{"WR123456", "WR123456-2"});
    CHECK(auth_ids == std::vector<std::string>{"AUTH998877", "AUTH-2"});
  }
  SECTION("before the mapping, the plugin refuses a referral without a diagnosis") {
    auto message = parse(sampleReferral());
    REQUIRE(message.set("DG1-3.1", ""));  // DG1-3 keeps its text: ^Sprain of lumbar spine^I10
    std::vector<std::string> ids;
    const rtw::sdk::Status status = translate(message, ids);
    CHECK(status.code() == rtw::sdk::Status::Code::kRejected);
    CHECK(status.reason() == "DG1-3 (diagnosis) is required");
    CHECK(ids.empty());
  }
  SECTION("a message type the partner does not map is unsupported") {
    auto message = parse(sampleReferral());
    REQUIRE(message.set("MSH-9.1", "RRI"));
    std::vector<std::string> ids;
    const rtw::sdk::Status status = translate(message, ids);
    CHECK(status.code() == rtw::sdk::Status::Code::kUnsupported);
    CHECK(status.reason() == "message type RRI^I12 is not mapped for this partner");
  }
}

TEST_CASE(
    "a mapping that finds a required field empty rejects the message, naming field and rule") {
  auto schemas = rtw::worksafe::SchemaSet::load(RTW_SOURCE_DIR "/mappings/worksafe");
  auto mappings = rtw::mapping::MappingSet::load(RTW_SOURCE_DIR "/mappings/clinic01", *schemas);
  auto message = parse(sampleReferral());
  REQUIRE(message.set("PID-3(2).5", "MR"));  // no WCN any more
  const auto payload = rtw::pipeline::hl7Payload(message);
  rtw::pipeline::TranslationContextImpl context("clinic01", *payload, *schemas, {mappings});
  const auto status =
      rtw::plugin::translateSafely(PluginHost(RTW_PLUGIN_DIR).load("generic"), context);
  CHECK(status.code() == rtw::sdk::Status::Code::kRejected);
  CHECK_THAT(status.reason(), Catch::Contains("header/claimNumber: required, and its source "
                                              "PID-3(*).1 where .5 = WCN gave no value "
                                              "(REF^I12 header/claimNumber)"));
  CHECK_THAT(status.reason(), !Catch::Contains("12345678"));
}

TEST_CASE("the HL7 view a plugin reads gives one primitive, and the position whole on request") {
  const auto message = parse(
      "MSH|^~\\&|A|B|C|D|20250101||REF^I12|1|P|2.5\r"
      "PID|1||A1^^^BC&2.16&ISO^PHN~B2||Lefebvre-Ng&van&Ng^Chlo\xC3\xA9||||||||A\\T\\B^C\r");
  const auto payload = rtw::pipeline::hl7Payload(message);
  REQUIRE(payload->hl7() != nullptr);
  const rtw::sdk::Hl7View& view = *payload->hl7();
  CHECK(view.get("PID-5") == "Lefebvre-Ng");
  CHECK(view.get("PID-5.1.3") == "Ng");
  CHECK(view.get("PID-5.2") == "Chlo\xC3\xA9");
  CHECK(view.get("PID-13") == "A&B");
  CHECK(view.get("MSH-2") == "^~\\&");
  CHECK(view.getAll("PID-3(*)") == std::vector<std::string>{"A1", "B2"});
  CHECK(view.getEncoded("PID-5") == "Lefebvre-Ng&van&Ng^Chlo\xC3\xA9");
  CHECK(view.getEncoded("PID-3.4") == "BC&2.16&ISO");
  CHECK(view.getEncoded("PID-13") == "A&B^C");
  CHECK(view.getEncoded("ZZZ-1").empty());
}
