#pragma once
// A partner's plugin settings ("settings" in conf/partners/<id>.json):
// checked against the SettingSpecs its plugin declares when the registry is
// loaded (start-up and each reload), and read by the plugin through
// context.settings() (rtw/sdk/settings.h).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/config/json.h"
#include "rtw/plugin/host.h"
#include "rtw/sdk/settings.h"
#include "rtw/security/partners.h"

namespace rtw::plugin {

/// The SDK's view of a partner's "settings" object, as the registry read it:
/// a value of the type asked for, nothing otherwise. Made per message (it
/// copies nothing); the object must outlive it.
class PartnerSettings final : public sdk::Settings {
 public:
  explicit PartnerSettings(const config::JsonValue& settings) : settings_(settings) {}

  std::optional<std::string> text(std::string_view key) const noexcept override;
  std::optional<std::int64_t> integer(std::string_view key) const noexcept override;
  std::optional<bool> flag(std::string_view key) const noexcept override;
  std::vector<std::string> textList(std::string_view key) const noexcept override;

 private:
  const config::JsonValue& settings_;
};

/// Checks a partner's settings against its plugin's specs. A key the plugin
/// does not declare, a value of another type than its spec's, or a required
/// key left out fails with config::ConfigError ("FILE: line N:
/// 'settings.KEY' ...", naming the plugin).
void checkSettings(const security::Partner& partner, const LoadedPlugin& plugin);

/// The partner registry as the gateway uses it, at start-up and at each
/// reload: every file read strictly, every partner's plugin loaded from
/// `host` and its settings checked. Throws config::ConfigError or
/// PluginLoadError.
std::shared_ptr<const security::PartnerRegistry> loadPartners(const std::filesystem::path& dir,
                                                              PluginHost& host);

/// "text", "integer", "flag", "text list".
std::string_view typeName(sdk::SettingType type);

}  // namespace rtw::plugin
