#pragma once
// The mappings of every partner, swapped whole on reload: a translation
// takes a snapshot (shared_ptr) and keeps it for the whole message, so a
// reload never changes a mapping under a running translation. A reload that
// fails keeps the previous mappings.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rtw/mapping/mapping.h"

namespace rtw::worksafe {
class SchemaSet;
}

namespace rtw::mapping {

class MappingRegistry {
 public:
  explicit MappingRegistry(std::shared_ptr<const worksafe::SchemaSet> schemas,
                           MappingOptions options = {});

  /// Loads partner id → mapping folder. Throws MappingError (start-up fails).
  void load(const std::map<std::string, std::filesystem::path>& folders);

  /// The partner's current mappings; nullptr for a partner without any.
  std::shared_ptr<const MappingSet> forPartner(const std::string& partner_id) const;

  struct Outcome {
    std::string partner;
    bool reloaded = false;  // false: the previous mappings stay
    std::string error;      // MappingError::what() when the reload failed
  };
  /// Reloads the partners whose files changed since their last load (file
  /// added, removed or modified), or every partner when `force` (SIGHUP).
  std::vector<Outcome> reload(bool force);

  /// After a partner registry reload: loads the folders of partners that
  /// are new or name another folder (all or none: a MappingError leaves
  /// every partner's mappings as they were); the others keep theirs.
  /// Returns the partners loaded.
  std::vector<std::string> loadNew(const std::map<std::string, std::filesystem::path>& folders);
  /// Forgets the partners not in `folders` (once the registry without them
  /// is in force, so that no message of theirs is left without mappings).
  void retain(const std::map<std::string, std::filesystem::path>& folders);

 private:
  struct FileStamp {
    std::filesystem::file_time_type modified;
    std::uintmax_t size = 0;
    bool operator==(const FileStamp&) const = default;
  };
  using Snapshot = std::map<std::filesystem::path, FileStamp>;
  struct Entry {
    std::filesystem::path folder;
    std::shared_ptr<const MappingSet> mappings;
    Snapshot files;  // as of the last load attempt
  };
  static Snapshot snapshot(const std::filesystem::path& folder, const MappingSet* loaded);

  std::shared_ptr<const worksafe::SchemaSet> schemas_;
  MappingOptions options_;
  mutable std::mutex mutex_;  // partners_
  std::mutex update_mutex_;   // one reload or update at a time
  std::map<std::string, Entry> partners_;
};

}  // namespace rtw::mapping
