#pragma once
// What a poll compares to notice that configuration files changed: the
// modification time and size of each file of a folder (an edit, a file
// added or removed).

#include <cstdint>
#include <filesystem>
#include <map>
#include <string_view>

namespace rtw::config {

struct FileStamp {
  std::filesystem::file_time_type modified;
  std::uintmax_t size = 0;
  bool operator==(const FileStamp&) const = default;
};

using FileStamps = std::map<std::filesystem::path, FileStamp>;

/// The stamps of the regular files of `dir` whose names end in `extension`
/// (".json"); empty when the folder cannot be read.
FileStamps stampFiles(const std::filesystem::path& dir, std::string_view extension);

}  // namespace rtw::config
