// A plugin's own settings: declared by the plugin (SettingSpecs), given in
// its partner's file ("settings"), checked when the registry loads, and read
// by the plugin through context.settings() while it translates.

#include <catch2/catch.hpp>

#include <cstdlib>

#include "partner_dir.h"
#include "rtw/hl7v2/message.h"
#include "rtw/pipeline/translation.h"
#include "rtw/plugin/settings.h"
#include "rtw/security/partners.h"
#include "rtw/worksafe/schema.h"

using namespace rtw;
using rtw::security::testing::PartnerDir;

namespace {

const std::string kPlugin = "test-settings-reader";

plugin::LoadedPlugin settingsReader() {
  return plugin::PluginHost::loadFile(RTW_TEST_PLUGIN_DIR "/libtest-settings-reader.so");
}

// A partner of the settings-reader plugin with `settings` (a JSON object, or
// "" for none), on its own line (line 2).
std::string partnerFile(const std::string& settings) {
  return "{\"id\": \"p1\", \"name\": \"N\", \"certificates\": [{\"commonName\": \"p1.test\"}], "
         "\"plugin\": \"" +
         kPlugin + "\", \"board\": \"WSBC\"" + (settings.empty() ? "" : ",\n\"settings\": ") +
         settings + "}";
}

std::string checkError(const PartnerDir& dir, const std::string& settings,
                       const plugin::LoadedPlugin& plugin = settingsReader()) {
  dir.write("p1", partnerFile(settings));
  const auto registry = security::PartnerRegistry::load(dir.dir);
  try {
    plugin::checkSettings(*registry.byId("p1"), plugin);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  FAIL("the settings were accepted: " << settings);
  return {};
}

}  // namespace

TEST_CASE("a plugin's setting specs are read when it loads") {
  const plugin::LoadedPlugin reader = settingsReader();
  REQUIRE(reader.settings.size() == 4);
  CHECK(reader.settings[0].key == "referralPrefix");
  CHECK(reader.settings[0].type == sdk::SettingType::kText);
  CHECK(reader.settings[0].required);
  CHECK(reader.settings[0].description == "text before the referral's control id");
  CHECK(reader.settings[1].type == sdk::SettingType::kInteger);
  CHECK(reader.settings[2].type == sdk::SettingType::kFlag);
  CHECK(reader.settings[3].type == sdk::SettingType::kTextList);
  CHECK(plugin::PluginHost(RTW_PLUGIN_DIR).load("generic").settings.empty());
}

TEST_CASE("a plugin whose setting specs are wrong is refused, naming the file and the spec") {
  const std::string file = RTW_TEST_PLUGIN_DIR "/libtest-bad-settings.so";
  auto error = [&](const char* kind) {
    ::setenv("RTW_TEST_BAD_SETTINGS", kind, 1);  // read by the fixture's specs function
    std::string message;
    try {
      plugin::PluginHost::loadFile(file);
    } catch (const plugin::PluginLoadError& e) {
      message = e.what();
    }
    ::unsetenv("RTW_TEST_BAD_SETTINGS");
    return message;
  };
  CHECK(error("repeat") == "plugin " + file + ": setting spec 2 repeats the key 'prefix'");
  CHECK(error("no-key") == "plugin " + file + ": setting spec 2 has no key");
  CHECK(error("bad-type") == "plugin " + file + ": setting spec 1 ('prefix') has an unknown type");
  CHECK(error("too-many") == "plugin " + file + ": its setting specs are malformed (100000 specs)");
}

TEST_CASE("a partner's settings reach its plugin through context.settings()") {
  PartnerDir dir;
  dir.write("p1", partnerFile("{\"referralPrefix\": \"HP\", \"copies\": 3, \"urgent\": true, "
                              "\"labels\": [\"physio\", \"bc\"]}"));
  const auto registry = security::PartnerRegistry::load(dir.dir);
  const security::Partner& partner = *registry.byId("p1");
  const plugin::LoadedPlugin reader = settingsReader();
  plugin::checkSettings(partner, reader);

  const auto schemas = worksafe::SchemaSet::load(RTW_SOURCE_DIR "/mappings/worksafe");
  const auto profiles = worksafe::BoardProfiles::load(RTW_SOURCE_DIR "/conf/boards");
  auto message = hl7v2::Message::parse("MSH|^~\\&|A|B|C|D|20250101||REF^I12|MSG7|P|2.5\r");
  REQUIRE(message.message);
  const auto payload = pipeline::hl7Payload(std::move(*message.message));
  pipeline::HostFields host;
  host.document_id = pipeline::seededDocumentIds("settings");
  host.created_at = "2026-03-02T09:00:00-08:00";
  const pipeline::Translation run =
      pipeline::translate({partner, reader, nullptr, *schemas, *profiles}, *payload, host);
  REQUIRE(run.status.isOk());
  REQUIRE(run.documents.size() == 1);
  CHECK_THAT(run.documents[0].xml, Catch::Contains("<referralId>HP-MSG7</referralId>"));
  // An integer, a flag and a list as written; "copies" read as text gives nothing.
  CHECK_THAT(run.documents[0].xml, Catch::Contains("<notes>copies=3 urgent=yes physio bc</notes>"));
}

TEST_CASE("settings left out read as nothing") {
  const config::JsonValue none = config::parseJson("{\"referralPrefix\": \"X\"}", "p.json");
  const plugin::PartnerSettings settings(none);
  CHECK(settings.text("referralPrefix") == "X");
  CHECK_FALSE(settings.integer("copies"));
  CHECK_FALSE(settings.flag("urgent"));
  CHECK(settings.textList("labels").empty());
  CHECK_FALSE(settings.integer("referralPrefix"));  // another type than asked
}

TEST_CASE("a setting the plugin does not declare fails with the file, line and its keys") {
  PartnerDir dir;
  CHECK(checkError(dir, "{\"referralPrefix\": \"HP\", \"refferalPrefix\": \"HP\"}") ==
        dir.file("p1") +
            ": line 2: unknown key 'settings.refferalPrefix' (plugin 'test-settings-reader' "
            "reads: referralPrefix, copies, urgent, labels)");
  CHECK(
      checkError(dir, "{\"prefix\": \"HP\"}", plugin::PluginHost(RTW_PLUGIN_DIR).load("generic")) ==
      dir.file("p1") +
          ": line 2: unknown key 'settings.prefix' (plugin 'generic' takes no settings)");
}

TEST_CASE("a setting of the wrong type fails naming the key, the type and what it is for") {
  PartnerDir dir;
  const std::string at = dir.file("p1") + ": line 2: ";
  CHECK(checkError(dir, "{\"referralPrefix\": 7}") ==
        at + "'settings.referralPrefix' must be a string, not a number (plugin "
             "'test-settings-reader': text before the referral's control id)");
  CHECK(checkError(dir, "{\"referralPrefix\": \"HP\", \"copies\": \"3\"}") ==
        at + "'settings.copies' must be a whole number, not a string (plugin "
             "'test-settings-reader': how many copies the clinic keeps)");
  CHECK_THAT(checkError(dir, "{\"referralPrefix\": \"HP\", \"copies\": 2.5}"),
             Catch::Contains("'settings.copies' must be a whole number, not a number"));
  CHECK_THAT(checkError(dir, "{\"referralPrefix\": \"HP\", \"urgent\": \"yes\"}"),
             Catch::Contains("'settings.urgent' must be true or false, not a string"));
  CHECK_THAT(checkError(dir, "{\"referralPrefix\": \"HP\", \"labels\": [\"a\", 1]}"),
             Catch::Contains("'settings.labels' must be a list of strings, not a list"));
}

TEST_CASE("a required setting left out fails naming it") {
  PartnerDir dir;
  CHECK(checkError(dir, "{\"copies\": 1}") ==
        dir.file("p1") +
            ": line 2: 'settings.referralPrefix' is required by plugin 'test-settings-reader' "
            "(text before the referral's control id)");
  // No settings at all: the line of the partner's object.
  CHECK_THAT(checkError(dir, ""),
             Catch::StartsWith(dir.file("p1") + ": line 1: 'settings.referralPrefix' is required"));
}

TEST_CASE("loading the registry loads every partner's plugin and checks its settings") {
  PartnerDir dir;
  plugin::PluginHost host(RTW_TEST_PLUGIN_DIR);
  dir.write("p1", partnerFile("{\"referralPrefix\": \"HP\"}"));
  const auto registry = plugin::loadPartners(dir.dir, host);
  CHECK(registry->byId("p1")->settings.find("referralPrefix")->text == "HP");

  dir.write("p1", partnerFile("{\"copies\": 1}"));
  CHECK_THROWS_WITH(plugin::loadPartners(dir.dir, host),
                    Catch::Contains("'settings.referralPrefix' is required"));
  dir.write("p1", partnerFile("").replace(partnerFile("").find(kPlugin), kPlugin.size(), "nope"));
  CHECK_THROWS_AS(plugin::loadPartners(dir.dir, host), plugin::PluginLoadError);
}
