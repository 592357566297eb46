#include <catch2/catch.hpp>

#include "rtw/hl7v2/message.h"
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
  const auto first = host.load("clinic-hl7");
  const auto second = host.load("clinic-hl7");
  CHECK(first.name == "clinic-hl7");
  CHECK(first.translator == second.translator);
  CHECK_THROWS_AS(host.load("no-such-partner-plugin"), PluginLoadError);
}

TEST_CASE("a plugin that throws rejects only that message, without its text") {
  auto schemas = rtw::worksafe::SchemaSet::load(RTW_SOURCE_DIR "/mappings/worksafe");
  const auto plugin = PluginHost::loadFile(kTestPlugins + "/libtest-throwing.so");

  const auto adt = parse("MSH|^~\\&|A|B|C|D|20250101||ADT^A01|1|P|2.5\rPID|1||123\r");
  rtw::pipeline::Hl7MessageView adt_view(adt);
  rtw::pipeline::TranslationContextImpl failing("p1", &adt_view, *schemas);
  const rtw::sdk::Status failed = rtw::plugin::translateSafely(plugin, failing);
  CHECK(failed.code() == rtw::sdk::Status::Code::kInternal);
  CHECK_THAT(failed.reason(), Catch::Contains("plugin 'throwing' failed"));
  CHECK_THAT(failed.reason(), !Catch::Contains("Doe") && !Catch::Contains("9698658215"));

  // The same plugin instance keeps working for the next message.
  const auto ref = parse("MSH|^~\\&|A|B|C|D|20250101||REF^I12|2|P|2.5\rRF1|P\r");
  rtw::pipeline::Hl7MessageView ref_view(ref);
  rtw::pipeline::TranslationContextImpl working("p1", &ref_view, *schemas);
  CHECK(rtw::plugin::translateSafely(plugin, working).isOk());
  REQUIRE(working.drafts().size() == 1);
  CHECK(working.drafts()[0]->document().get("referralId") == std::optional<std::string>("R-1"));
}
