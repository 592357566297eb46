#include "rtw/mapping/registry.h"

#include "rtw/worksafe/schema.h"

namespace rtw::mapping {

namespace fs = std::filesystem;

MappingRegistry::MappingRegistry(std::shared_ptr<const worksafe::SchemaSet> schemas,
                                 MappingOptions options)
    : schemas_(std::move(schemas)), options_(options) {}

MappingRegistry::Snapshot MappingRegistry::snapshot(const fs::path& folder,
                                                    const MappingSet* loaded) {
  Snapshot files;
  std::error_code error;
  auto stamp = [&](const fs::path& file) {
    FileStamp s{fs::last_write_time(file, error), fs::file_size(file, error)};
    files[file] = error ? FileStamp{} : s;
  };
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.path().extension() == ".json") {
      stamp(entry.path());
    }
  }
  if (loaded != nullptr) {
    for (const auto& file : loaded->files()) {
      stamp(file);  // code tables in a subfolder
    }
  }
  return files;
}

void MappingRegistry::load(const std::map<std::string, fs::path>& folders) {
  std::map<std::string, Entry> loaded;
  for (const auto& [partner, folder] : folders) {
    Entry entry{folder, MappingSet::load(folder, *schemas_, options_), {}};
    entry.files = snapshot(folder, entry.mappings.get());
    loaded.emplace(partner, std::move(entry));
  }
  std::lock_guard lock(mutex_);
  partners_ = std::move(loaded);
}

std::shared_ptr<const MappingSet> MappingRegistry::forPartner(const std::string& partner_id) const {
  std::lock_guard lock(mutex_);
  auto it = partners_.find(partner_id);
  return it == partners_.end() ? nullptr : it->second.mappings;
}

std::vector<MappingRegistry::Outcome> MappingRegistry::reload(bool force) {
  std::lock_guard update(update_mutex_);
  std::map<std::string, Entry> current;
  {
    std::lock_guard lock(mutex_);
    current = partners_;
  }
  std::vector<Outcome> outcomes;
  for (auto& [partner, entry] : current) {
    const Snapshot now = snapshot(entry.folder, entry.mappings.get());
    if (!force && now == entry.files) {
      continue;
    }
    Outcome outcome{partner, false, {}};
    try {
      entry.mappings = MappingSet::load(entry.folder, *schemas_, options_);
      outcome.reloaded = true;
    } catch (const std::exception& e) {  // MappingError, or a folder that went away
      outcome.error = e.what();
    }
    // Remembered either way: a broken file is reported once, not at every poll.
    entry.files = snapshot(entry.folder, entry.mappings.get());
    std::lock_guard lock(mutex_);
    partners_[partner] = entry;
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

std::vector<std::string> MappingRegistry::loadNew(const std::map<std::string, fs::path>& folders) {
  std::lock_guard update(update_mutex_);
  std::map<std::string, Entry> loaded;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [partner, folder] : folders) {
      auto it = partners_.find(partner);
      if (it == partners_.end() || it->second.folder != folder) {
        loaded.emplace(partner, Entry{folder, nullptr, {}});
      }
    }
  }
  std::vector<std::string> names;
  for (auto& [partner, entry] : loaded) {
    entry.mappings =
        MappingSet::load(entry.folder, *schemas_, options_);  // throws: nothing changed
    entry.files = snapshot(entry.folder, entry.mappings.get());
    names.push_back(partner);
  }
  std::lock_guard lock(mutex_);
  for (auto& [partner, entry] : loaded) {
    partners_[partner] = std::move(entry);
  }
  return names;
}

void MappingRegistry::retain(const std::map<std::string, fs::path>& folders) {
  std::lock_guard update(update_mutex_);
  std::lock_guard lock(mutex_);
  for (auto it = partners_.begin(); it != partners_.end();) {
    it = folders.count(it->first) == 0 ? partners_.erase(it) : std::next(it);
  }
}

}  // namespace rtw::mapping
