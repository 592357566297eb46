#include "rtw/plugin/host.h"

#include <algorithm>
#include <cstring>
#include <typeinfo>

#include <boost/dll/import.hpp>
#include <boost/dll/shared_library.hpp>

namespace rtw::plugin {
namespace {

using Library = boost::dll::shared_library;

std::shared_ptr<Library> openLibrary(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) {
    throw PluginLoadError("plugin " + file.string() + ": no such file");
  }
  try {
    // rtld_local keeps two plugins' symbols apart; rtld_now fails here, not mid-message.
    return std::make_shared<Library>(
        file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    throw PluginLoadError("plugin " + file.string() + ": cannot load: " + e.what());
  }
}

template <typename Signature>
Signature& alias(Library& library, const std::filesystem::path& file, const char* name) {
  if (!library.has(name)) {
    throw PluginLoadError("plugin " + file.string() + ": does not export '" + name +
                          "' (not an RTW plugin?)");
  }
  return library.get_alias<Signature>(name);
}

void checkInfo(const sdk::PluginInfo& info, const std::filesystem::path& file) {
  if (info.abi_version != sdk::kAbiVersion) {
    throw PluginLoadError("plugin " + file.string() + " was built for plugin ABI version " +
                          std::to_string(info.abi_version) + " but this gateway has ABI version " +
                          std::to_string(sdk::kAbiVersion) + "; rebuild it against this SDK");
  }
  if (info.compiler == nullptr || std::strcmp(info.compiler, sdk::kCompilerId) != 0) {
    throw PluginLoadError("plugin " + file.string() + " was built with compiler '" +
                          (info.compiler ? info.compiler : "?") + "' but this gateway with '" +
                          sdk::kCompilerId + "'");
  }
  if (info.name == nullptr || *info.name == '\0') {
    throw PluginLoadError("plugin " + file.string() + " has no name in its info");
  }
}

constexpr std::size_t kMaxSettings = 256;

// The plugin's setting specs, copied (they are plain data in the library).
std::vector<DeclaredSetting> declaredSettings(Library& library, const std::filesystem::path& file) {
  std::vector<DeclaredSetting> declared;
  if (!library.has(sdk::kSettingsAlias)) {
    return declared;
  }
  const sdk::SettingSpecs specs = library.get_alias<sdk::SettingsFunction>(sdk::kSettingsAlias)();
  if (specs.count > kMaxSettings || (specs.count > 0 && specs.specs == nullptr)) {
    throw PluginLoadError("plugin " + file.string() + ": its setting specs are malformed (" +
                          std::to_string(specs.count) + " specs)");
  }
  for (std::size_t i = 0; i < specs.count; ++i) {
    const sdk::SettingSpec& spec = specs.specs[i];
    const std::string key = spec.key != nullptr ? spec.key : "";
    const auto type = static_cast<int>(spec.type);
    const bool known_type = type >= static_cast<int>(sdk::SettingType::kText) &&
                            type <= static_cast<int>(sdk::SettingType::kTextList);
    const bool repeated = std::any_of(declared.begin(), declared.end(),
                                      [&](const DeclaredSetting& d) { return d.key == key; });
    if (key.empty() || !known_type || repeated) {
      throw PluginLoadError("plugin " + file.string() + ": setting spec " + std::to_string(i + 1) +
                            (key.empty() ? " has no key"
                             : repeated  ? " repeats the key '" + key + "'"
                                         : " ('" + key + "') has an unknown type"));
    }
    declared.push_back(
        {key, spec.type, spec.required, spec.description != nullptr ? spec.description : ""});
  }
  return declared;
}

}  // namespace

PluginHost::PluginHost(std::filesystem::path directory) : directory_(std::move(directory)) {}

LoadedPlugin PluginHost::load(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (auto it = loaded_.find(name); it != loaded_.end()) {
    return it->second;
  }
  LoadedPlugin plugin = loadFile(directory_ / ("lib" + name + ".so"));
  if (plugin.name != name) {
    throw PluginLoadError("plugin " + plugin.file.string() + " calls itself '" + plugin.name +
                          "', expected '" + name + "'");
  }
  loaded_.emplace(name, plugin);
  return plugin;
}

LoadedPlugin PluginHost::loadFile(const std::filesystem::path& file) {
  std::shared_ptr<Library> library = openLibrary(file);

  // The info is plain data: read and check it before calling anything else.
  auto& info_function = alias<sdk::InfoFunction>(*library, file, sdk::kInfoAlias);
  const sdk::PluginInfo info = info_function();
  checkInfo(info, file);

  std::vector<DeclaredSetting> settings = declaredSettings(*library, file);
  auto& factory = alias<sdk::FactoryFunction>(*library, file, sdk::kFactoryAlias);
  sdk::Translator* raw = factory();
  if (raw == nullptr) {
    throw PluginLoadError("plugin " + file.string() + ": its factory returned no translator");
  }
  // The deleter owns the library: it cannot unload while the translator lives.
  std::shared_ptr<const sdk::Translator> translator(
      raw, [library](const sdk::Translator* object) { delete object; });

  return LoadedPlugin{file, info.name, info.sdk_version ? info.sdk_version : "", translator,
                      std::move(settings)};
}

}  // namespace rtw::plugin

namespace rtw::plugin {

sdk::Status translateSafely(const LoadedPlugin& plugin, sdk::TranslationContext& context) noexcept {
  try {
    return plugin.translator->translate(context);
  } catch (const std::exception& e) {
    // The exception text may quote message content: keep it out of the reason.
    return sdk::Status::internal("plugin '" + plugin.name + "' failed while translating (" +
                                 typeid(e).name() + ")");
  } catch (...) {
    return sdk::Status::internal("plugin '" + plugin.name + "' failed while translating");
  }
}

}  // namespace rtw::plugin
