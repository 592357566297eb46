#pragma once
// The gateway's settings: embedded defaults, then conf/gateway.properties,
// then RTW_* environment variables, then -Dkey=value.

#include <filesystem>
#include <map>
#include <string>

#include <Poco/Util/LayeredConfiguration.h>

namespace rtw::app {

/// The embedded defaults: a new user can start with no file at all.
const std::map<std::string, std::string>& gatewayDefaults();

/// Adds defaults, the properties file (if present), the environment and the
/// -D definitions to `config`. Unknown keys in the file fail with their name.
void loadGatewayConfig(Poco::Util::LayeredConfiguration& config, const std::filesystem::path& file,
                       const std::map<std::string, std::string>& definitions);

/// A path setting resolved against the gateway home.
std::string pathSetting(const Poco::Util::AbstractConfiguration& config, const std::string& key,
                        const std::filesystem::path& home);

}  // namespace rtw::app
