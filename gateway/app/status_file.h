#pragma once
// The status file tells a launcher (scripts/run, the integration tests)
// which ports a process bound when it was asked for port 0.

#include <filesystem>
#include <fstream>
#include <string>

namespace rtw::app {

/// Writes `content` to `file` atomically (temp + rename), so a reader never
/// sees half of it.
inline void writeStatusFile(const std::string& file, const std::string& content) {
  if (file.empty()) {
    return;
  }
  const std::string temp = file + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << content;
  }
  std::filesystem::rename(temp, file);
}

}  // namespace rtw::app
