#pragma once
// What the pipeline tests build a gateway's translation from: the real
// partner files, the generic plugin, the XSDs and board profiles of the
// source tree, and a mapping registry (each test loads its folders).

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "rtw/mapping/registry.h"
#include "rtw/plugin/host.h"
#include "rtw/security/partners.h"
#include "rtw/worksafe/board_profiles.h"
#include "rtw/worksafe/schema.h"

namespace rtw::testing {

inline const std::filesystem::path kSource = RTW_SOURCE_DIR;

inline std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct GatewayParts {
  security::LivePartnerRegistry partners{std::make_shared<const security::PartnerRegistry>(
      security::PartnerRegistry::load(kSource / "conf/partners"))};
  plugin::PluginHost plugins{RTW_PLUGIN_DIR};
  std::shared_ptr<const worksafe::SchemaSet> schemas =
      worksafe::SchemaSet::load(kSource / "mappings/worksafe");
  std::shared_ptr<const worksafe::BoardProfiles> profiles =
      worksafe::BoardProfiles::load(kSource / "conf/boards");
  mapping::MappingRegistry mappings{schemas};
};

}  // namespace rtw::testing
