#pragma once
// rtwctl (map and the other commands) run as the built binary from the
// project folder, with its output and exit status, in a scratch folder
// removed afterwards.

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace rtw::testing {

namespace fs = std::filesystem;

inline const std::string kGolden = RTW_SOURCE_DIR "/tests/golden/";

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class MapScratch {
 public:
  MapScratch() {
    std::string pattern = (fs::temp_directory_path() / "rtwctl-map-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    dir_ = pattern;
  }
  ~MapScratch() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  MapScratch(const MapScratch&) = delete;
  MapScratch& operator=(const MapScratch&) = delete;

  std::string write(const std::string& name, const std::string& text) const {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  const fs::path& dir() const { return dir_; }

  // `rtwctl map <args>` in the project folder, with the built plugins.
  Run map(const std::vector<std::string>& args) const {
    std::vector<std::string> all = {"map", "--plugins", RTW_PLUGIN_DIR};
    all.insert(all.end(), args.begin(), args.end());
    return rtwctl(all);
  }

  // `rtwctl <args>` in the project folder.
  Run rtwctl(const std::vector<std::string>& args) const {
    std::string command = "cd '" RTW_SOURCE_DIR "' && '" RTW_BINARY_DIR "/bin/rtwctl'";
    for (const std::string& arg : args) {
      command += " '" + arg + "'";
    }
    command += " >'" + (dir_ / "out").string() + "' 2>'" + (dir_ / "err").string() + "'";
    const int raw = std::system(command.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, readText(dir_ / "out"), readText(dir_ / "err")};
  }

 private:
  fs::path dir_;
};

inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace rtw::testing
