#pragma once
// Shared by the fuzz targets: invariant checks that stop the run with a
// message libFuzzer keeps beside the input, the project's folders, and a
// scratch folder for the loaders that read files.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace rtw::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", file, line, what);
  std::abort();
}

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// The input cut at each NUL: the first piece is the main text (a message, a
/// file), the others the parameters a target reads after it. Seeds are
/// plain files without NUL, so they are all main text.
inline std::vector<std::string_view> splitAtNul(std::string_view text) {
  std::vector<std::string_view> pieces;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t end = text.find('\0', begin);
    pieces.push_back(text.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) {
      return pieces;
    }
    begin = end + 1;
  }
}

inline std::filesystem::path sourceDir() { return RTW_SOURCE_DIR; }

/// A folder of this process's own under the temp folder, empty at first use
/// and removed when the run ends. The loaders of folders (mappings,
/// partners) read every *.json in it.
inline const std::filesystem::path& scratchDir() {
  struct Scratch {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("rtw-fuzz-" + std::to_string(static_cast<long>(::getpid())));
    Scratch() {
      std::filesystem::remove_all(path);
      std::filesystem::create_directories(path);
    }
    ~Scratch() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Scratch scratch;
  return scratch.path;
}

inline void writeFile(const std::filesystem::path& file, std::string_view bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    fail("cannot write the scratch file", __FILE__, __LINE__);
  }
}

}  // namespace rtw::fuzz

/// Stops the run when an invariant of the code under test does not hold.
#define RTW_FUZZ_CHECK(condition) \
  ((condition) ? void(0) : ::rtw::fuzz::fail(#condition, __FILE__, __LINE__))
