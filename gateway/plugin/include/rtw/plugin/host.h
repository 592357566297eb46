#pragma once
// Loads partner plugins with Boost.DLL: reads each plugin's info first,
// refuses an ABI mismatch by name, and keeps the library loaded for as long
// as any object it made is alive.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "rtw/sdk/plugin.h"

namespace rtw::plugin {

/// A plugin that cannot be loaded: the message names the file and the reason.
class PluginLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One key a plugin reads from its partners' settings (its sdk::SettingSpec,
/// copied out of the library when it was loaded).
struct DeclaredSetting {
  std::string key;
  sdk::SettingType type = sdk::SettingType::kText;
  bool required = false;
  std::string description;
};

/// A loaded plugin: its info and its translator. Copies share the library.
struct LoadedPlugin {
  std::filesystem::path file;
  std::string name;
  std::string sdk_version;
  std::shared_ptr<const sdk::Translator> translator;  // its deleter holds the library
  /// What it exports as kSettingsAlias; empty: it takes no settings.
  std::vector<DeclaredSetting> settings;
};

class PluginHost {
 public:
  /// `directory` is where plugins are looked up by name: <dir>/lib<name>.so.
  explicit PluginHost(std::filesystem::path directory);

  /// Loads (once) and returns the plugin called `name`. Throws
  /// PluginLoadError when the file is missing, the ABI differs, the
  /// compiler differs, its setting specs are malformed, or the factory fails.
  LoadedPlugin load(const std::string& name);

  /// Loads a plugin from an explicit file.
  static LoadedPlugin loadFile(const std::filesystem::path& file);

 private:
  std::filesystem::path directory_;
  std::mutex mutex_;
  std::map<std::string, LoadedPlugin> loaded_;
};

}  // namespace rtw::plugin

namespace rtw::plugin {

/// Calls a plugin's translate() so that nothing it throws escapes: an
/// exception becomes an internal-error Status naming the plugin, and only
/// this message is rejected.
sdk::Status translateSafely(const LoadedPlugin& plugin, sdk::TranslationContext& context) noexcept;

}  // namespace rtw::plugin
