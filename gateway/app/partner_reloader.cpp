#include "partner_reloader.h"

#include <Poco/Logger.h>

#include "rtw/plugin/settings.h"

namespace rtw::app {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.partners"); }

std::shared_ptr<const security::PartnerRegistry> loadLogged(const std::filesystem::path& dir,
                                                            plugin::PluginHost& plugins) {
  auto registry = plugin::loadPartners(dir, plugins);
  for (const auto& [id, partner] : registry->all()) {
    const plugin::LoadedPlugin loaded = plugins.load(partner.plugin);
    logger().information("partner %s uses plugin %s (SDK %s)", id, loaded.name, loaded.sdk_version);
  }
  return registry;
}

// "a, b" of the ids in `of` that are not in `in`, or "none".
std::string idsMissing(const security::PartnerRegistry& of, const security::PartnerRegistry& in) {
  std::string ids;
  for (const auto& [id, partner] : of.all()) {
    if (in.byId(id) == nullptr) {
      ids += (ids.empty() ? "" : ", ") + id;
    }
  }
  return ids.empty() ? "none" : ids;
}

}  // namespace

std::map<std::string, std::filesystem::path> mappingFolders(
    const security::PartnerRegistry& partners, const std::filesystem::path& mappings_dir) {
  std::map<std::string, std::filesystem::path> folders;
  for (const auto& [id, partner] : partners.all()) {
    if (!partner.mappings.empty()) {
      folders[id] = mappings_dir / partner.mappings;
    }
  }
  return folders;
}

PartnerReloader::PartnerReloader(std::filesystem::path dir, plugin::PluginHost& plugins,
                                 std::filesystem::path mappings_dir)
    : dir_(std::move(dir)),
      plugins_(plugins),
      mappings_dir_(std::move(mappings_dir)),
      files_(config::stampFiles(dir_, ".json")),
      live_(loadLogged(dir_, plugins_)) {}

std::map<std::string, std::filesystem::path> PartnerReloader::mappingFolders() const {
  return app::mappingFolders(*live_.current(), mappings_dir_);
}

bool PartnerReloader::reload(bool force) {
  const config::FileStamps now = config::stampFiles(dir_, ".json");
  if (!force && now == files_) {
    return false;
  }
  files_ = now;  // a broken edit is reported once, not at every poll
  if (force) {
    logger().information("SIGHUP: reloading the partner registry from %s", dir_.string());
  }
  try {
    replace(loadLogged(dir_, plugins_));
    return true;
  } catch (const std::exception& e) {
    logger().error("partner registry reload failed, the previous registry stays: %s",
                   std::string(e.what()));
    return false;
  }
}

void PartnerReloader::replace(std::shared_ptr<const security::PartnerRegistry> next) {
  const std::shared_ptr<const security::PartnerRegistry> previous = live_.current();
  const auto folders = app::mappingFolders(*next, mappings_dir_);
  if (mappings_ != nullptr) {
    for (const auto& id : mappings_->loadNew(folders)) {  // throws: nothing replaced
      logger().information("partner %s maps with %s", id, folders.at(id).string());
    }
  }
  live_.replace(next);
  if (mappings_ != nullptr) {
    mappings_->retain(folders);
  }
  logger().information("partner registry reloaded: %z partners (added: %s; removed: %s)",
                       next->all().size(), idsMissing(*next, *previous),
                       idsMissing(*previous, *next));
}

}  // namespace rtw::app
