#include "small_disk.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <vector>

#include <Poco/TemporaryFile.h>

namespace rtw::testing {
namespace {

std::string tmpfsOptions(std::uint64_t bytes) {
  return "size=" + std::to_string(bytes) + ",mode=0700";
}

std::filesystem::path fillerFile(const std::filesystem::path& dir) { return dir / "filler"; }

}  // namespace

std::unique_ptr<SmallDisk> SmallDisk::mount(std::uint64_t bytes, std::string& why_not) {
  if (::geteuid() != 0) {
    why_not =
        "mounting a tmpfs needs root (this test runs as uid " + std::to_string(::geteuid()) + ")";
    return nullptr;
  }
  std::filesystem::path dir = Poco::TemporaryFile::tempName() + "-small-disk";
  std::filesystem::create_directories(dir);
  const std::string options = tmpfsOptions(bytes);
  if (::mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
    const int error = errno;
    std::filesystem::remove(dir);
    why_not = "mount -t tmpfs failed: " + std::string(std::strerror(error)) +
              (error == EPERM ? " (a container without CAP_SYS_ADMIN?)" : "");
    return nullptr;
  }
  return std::unique_ptr<SmallDisk>(new SmallDisk(std::move(dir)));
}

std::unique_ptr<SmallDisk> SmallDisk::mountOrSkip(std::uint64_t bytes) {
  std::string why_not;
  std::unique_ptr<SmallDisk> disk = mount(bytes, why_not);
  if (!disk) {
    std::cout << "SKIPPED: this test needs a real small file system and " << why_not
              << "; the store.maxPages test covers a full journal portably." << std::endl;
    std::exit(kSkipReturnCode);
  }
  return disk;
}

SmallDisk::~SmallDisk() {
  // Lazy unmount: a process that still holds a file open cannot keep the
  // mount alive after the test, and the folder goes with it.
  ::umount2(dir_.c_str(), MNT_DETACH);
  std::error_code ignored;
  std::filesystem::remove(dir_, ignored);
}

std::uint64_t SmallDisk::fill() {
  const int fd = ::open(fillerFile(dir_).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw std::runtime_error("cannot create the filler file: " + std::string(std::strerror(errno)));
  }
  const std::vector<char> block(64 * 1024, 'F');
  std::uint64_t written = 0;
  // Smaller and smaller writes take the last pages too.
  for (std::size_t size = block.size(); size > 0; size /= 2) {
    while (true) {
      const ssize_t n = ::write(fd, block.data(), size);
      if (n <= 0) {
        break;
      }
      written += static_cast<std::uint64_t>(n);
    }
  }
  ::close(fd);
  return written;
}

void SmallDisk::freeFiller() { std::filesystem::remove(fillerFile(dir_)); }

void SmallDisk::resize(std::uint64_t bytes) {
  const std::string options = tmpfsOptions(bytes);
  if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV, options.c_str()) !=
      0) {
    throw std::runtime_error("cannot resize the tmpfs: " + std::string(std::strerror(errno)));
  }
}

std::uint64_t SmallDisk::available() const {
  struct statvfs stats {};
  if (::statvfs(dir_.c_str(), &stats) != 0) {
    return 0;
  }
  return static_cast<std::uint64_t>(stats.f_bavail) * stats.f_frsize;
}

}  // namespace rtw::testing
