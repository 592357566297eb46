#pragma once
// The partner registry while the gateway runs. At start-up it is loaded
// strictly (an error stops the gateway); afterwards an edited, added or
// removed partner file (or SIGHUP) loads it again, and the new registry
// replaces the old one only if every file reads, every plugin loads and
// every partner's settings fit its plugin, and the mappings of new partners
// load. Otherwise the previous registry stays and the log says why
// ("FILE: line N: ..."). Connections and workers take the new registry for
// their next message.

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "rtw/config/file_stamps.h"
#include "rtw/mapping/registry.h"
#include "rtw/plugin/host.h"
#include "rtw/security/partners.h"

namespace rtw::app {

/// Partner id → its mapping folder, for the partners that name one.
std::map<std::string, std::filesystem::path> mappingFolders(
    const security::PartnerRegistry& partners, const std::filesystem::path& mappings_dir);

class PartnerReloader {
 public:
  /// Loads the registry (throws: start-up fails) and logs each partner's plugin.
  PartnerReloader(std::filesystem::path dir, plugin::PluginHost& plugins,
                  std::filesystem::path mappings_dir);

  security::LivePartnerRegistry& registry() { return live_; }
  std::map<std::string, std::filesystem::path> mappingFolders() const;

  /// The mappings of partners added by a reload are loaded into `mappings`.
  void useMappings(mapping::MappingRegistry& mappings) { mappings_ = &mappings; }

  /// Loads the folder again if a file changed since the last attempt (or
  /// `force`); true when the registry was replaced.
  bool reload(bool force);

 private:
  void replace(std::shared_ptr<const security::PartnerRegistry> next);

  std::filesystem::path dir_;
  plugin::PluginHost& plugins_;
  std::filesystem::path mappings_dir_;
  mapping::MappingRegistry* mappings_ = nullptr;
  config::FileStamps files_;  // as of the last attempt
  security::LivePartnerRegistry live_;
};

}  // namespace rtw::app
