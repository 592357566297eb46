#pragma once
// A real, small file system for the disk-full tests: a tmpfs mounted on a
// temp folder, which a filler file can fill to the last byte and which is
// unmounted in every case when the test ends.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace rtw::testing {

/// The exit code CTest reads as "skipped" (SKIP_RETURN_CODE of the test).
inline constexpr int kSkipReturnCode = 77;

class SmallDisk {
 public:
  /// Mounts a tmpfs of `bytes` on a new temp folder. Returns null and says
  /// why in `why_not` when this process may not mount (not root, or a
  /// container without CAP_SYS_ADMIN).
  static std::unique_ptr<SmallDisk> mount(std::uint64_t bytes, std::string& why_not);
  /// Like mount(), but a machine that cannot mount skips the test: prints
  /// the reason and exits with kSkipReturnCode.
  static std::unique_ptr<SmallDisk> mountOrSkip(std::uint64_t bytes);

  ~SmallDisk();
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  /// Writes a filler file until the file system refuses (ENOSPC); returns
  /// the bytes it took.
  std::uint64_t fill();
  /// Deletes the filler: the space is back.
  void freeFiller();
  /// Changes the size limit of the mounted file system (remount).
  void resize(std::uint64_t bytes);
  /// Bytes still free.
  std::uint64_t available() const;

 private:
  explicit SmallDisk(std::filesystem::path dir) : dir_(std::move(dir)) {}

  std::filesystem::path dir_;
};

}  // namespace rtw::testing
