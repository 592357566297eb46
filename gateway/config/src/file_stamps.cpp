#include "rtw/config/file_stamps.h"

namespace rtw::config {

FileStamps stampFiles(const std::filesystem::path& dir, std::string_view extension) {
  FileStamps stamps;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() != extension || !entry.is_regular_file(error)) {
      continue;
    }
    FileStamp stamp{entry.last_write_time(error), entry.file_size(error)};
    stamps[entry.path()] = error ? FileStamp{} : stamp;
  }
  return stamps;
}

}  // namespace rtw::config
