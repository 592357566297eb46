#pragma once
/// @file
/// A plugin's own settings, read from its partner's entry in conf/partners
/// ("settings": {...}). A plugin declares the keys it reads (SettingSpec,
/// exported as kSettingsAlias); the gateway checks every partner's settings
/// against them when it loads the registry (at start-up, at each reload and
/// in `rtwctl map` / `rtwctl partners list`), so a typo, a wrong type or a
/// missing required key is a load error naming the file, its line and the
/// key ("conf/partners/p.json: line 9: unknown key 'settings.prefx' (plugin
/// 'p' reads: prefix, copies)"), never a silent default at the first
/// message. A reload with such an error keeps the previous registry.
///
/// Declaring them, in the plugin's plugin.cpp:
/// @code
///   constexpr rtw::sdk::SettingSpec kSpecs[] = {
///       {"prefix", rtw::sdk::SettingType::kText, true, "text before each referral id"},
///   };
///   rtw::sdk::SettingSpecs settingSpecs() noexcept { return {kSpecs, std::size(kSpecs)}; }
///   BOOST_DLL_ALIAS(settingSpecs, rtw_plugin_settings)
/// @endcode
/// and reading them while translating: `context.settings().text("prefix")`.
/// Specs that name a key twice, have no key or an unknown type make the
/// plugin fail to load.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/config.hpp>

namespace rtw::sdk {

enum class SettingType {
  kText,      ///< a JSON string
  kInteger,   ///< a JSON integer
  kFlag,      ///< true or false
  kTextList,  ///< an array of strings
};

/// One key a plugin reads. Plain data, so that the host reads it before
/// anything else of the plugin runs.
struct SettingSpec {
  const char* key;          ///< "facilityPrefix"
  SettingType type;         ///< what the value must be
  bool required;            ///< a partner of this plugin without it is a load error
  const char* description;  ///< one line for operators (rtwctl, errors)
};

/// Every key of a plugin (a static array in the plugin).
struct SettingSpecs {
  const SettingSpec* specs;
  std::size_t count;
};

/// Signature of the optional export kSettingsAlias; a plugin without it
/// takes no settings (a partner that gives some is a load error).
using SettingsFunction = SettingSpecs() noexcept;
inline constexpr const char* kSettingsAlias = "rtw_plugin_settings";

/// The settings of the partner whose message is translated, checked against
/// the plugin's specs. Nothing for a key the partner does not set (or one
/// read with another type than its spec's).
class BOOST_SYMBOL_VISIBLE Settings {
 public:
  virtual ~Settings() = default;
  virtual std::optional<std::string> text(std::string_view key) const noexcept = 0;
  virtual std::optional<std::int64_t> integer(std::string_view key) const noexcept = 0;
  virtual std::optional<bool> flag(std::string_view key) const noexcept = 0;
  /// Empty when unset.
  virtual std::vector<std::string> textList(std::string_view key) const noexcept = 0;
};

}  // namespace rtw::sdk
