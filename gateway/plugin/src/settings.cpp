#include "rtw/plugin/settings.h"

#include <algorithm>

#include "rtw/config/object.h"

namespace rtw::plugin {
namespace {

using config::JsonValue;

bool fits(const JsonValue& value, sdk::SettingType type) {
  switch (type) {
    case sdk::SettingType::kText:
      return value.isString();
    case sdk::SettingType::kInteger:
      return config::wholeNumber(value).has_value();
    case sdk::SettingType::kFlag:
      return value.kind == JsonValue::Kind::kBool;
    case sdk::SettingType::kTextList:
      return value.isArray() && std::all_of(value.items.begin(), value.items.end(),
                                            [](const JsonValue& item) { return item.isString(); });
  }
  return false;
}

std::string expected(sdk::SettingType type) {
  switch (type) {
    case sdk::SettingType::kText:
      return "must be a string";
    case sdk::SettingType::kInteger:
      return "must be a whole number";
    case sdk::SettingType::kFlag:
      return "must be true or false";
    case sdk::SettingType::kTextList:
      return "must be a list of strings";
  }
  return "has a type this gateway does not know";
}

std::string keysOf(const LoadedPlugin& plugin) {
  std::string keys;
  for (const auto& spec : plugin.settings) {
    keys += (keys.empty() ? "" : ", ") + spec.key;
  }
  return keys;
}

}  // namespace

std::string_view typeName(sdk::SettingType type) {
  switch (type) {
    case sdk::SettingType::kText:
      return "text";
    case sdk::SettingType::kInteger:
      return "integer";
    case sdk::SettingType::kFlag:
      return "flag";
    case sdk::SettingType::kTextList:
      return "text list";
  }
  return "?";
}

std::optional<std::string> PartnerSettings::text(std::string_view key) const noexcept {
  try {
    const JsonValue* value = settings_.find(key);
    return value != nullptr && value->isString() ? std::optional<std::string>(value->text)
                                                 : std::nullopt;
  } catch (...) {
    return std::nullopt;  // out of memory copying it
  }
}

std::optional<std::int64_t> PartnerSettings::integer(std::string_view key) const noexcept {
  const JsonValue* value = settings_.find(key);
  return value != nullptr ? config::wholeNumber(*value) : std::nullopt;
}

std::optional<bool> PartnerSettings::flag(std::string_view key) const noexcept {
  const JsonValue* value = settings_.find(key);
  return value != nullptr && value->kind == JsonValue::Kind::kBool
             ? std::optional<bool>(value->boolean)
             : std::nullopt;
}

std::vector<std::string> PartnerSettings::textList(std::string_view key) const noexcept {
  try {
    std::vector<std::string> list;
    const JsonValue* value = settings_.find(key);
    if (value != nullptr && fits(*value, sdk::SettingType::kTextList)) {
      for (const auto& item : value->items) {
        list.push_back(item.text);
      }
    }
    return list;
  } catch (...) {
    return {};
  }
}

void checkSettings(const security::Partner& partner, const LoadedPlugin& plugin) {
  const std::string file = partner.file.string();
  const std::string who = "plugin '" + plugin.name + "'";
  const JsonValue& settings = partner.settings;
  for (const auto& [key, value] : settings.members) {
    const auto spec = std::find_if(plugin.settings.begin(), plugin.settings.end(),
                                   [&](const DeclaredSetting& s) { return s.key == key; });
    if (spec == plugin.settings.end()) {
      throw config::ConfigError(file, value.line,
                                "unknown key 'settings." + key + "' (" +
                                    (plugin.settings.empty() ? who + " takes no settings"
                                                             : who + " reads: " + keysOf(plugin)) +
                                    ")");
    }
    if (!fits(value, spec->type)) {
      config::failAt(file, value.line, "settings." + key,
                     expected(spec->type) + ", not " + std::string(config::kindName(value.kind)) +
                         " (" + who + ": " + spec->description + ")");
    }
  }
  for (const auto& spec : plugin.settings) {
    if (spec.required && settings.find(spec.key) == nullptr) {
      config::failAt(file, settings.line, "settings." + spec.key,
                     "is required by " + who + " (" + spec.description + ")");
    }
  }
}

std::shared_ptr<const security::PartnerRegistry> loadPartners(const std::filesystem::path& dir,
                                                              PluginHost& host) {
  auto registry =
      std::make_shared<const security::PartnerRegistry>(security::PartnerRegistry::load(dir));
  for (const auto& [id, partner] : registry->all()) {
    checkSettings(partner, host.load(partner.plugin));
  }
  return registry;
}

}  // namespace rtw::plugin
