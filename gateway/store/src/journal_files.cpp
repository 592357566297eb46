#include "journal_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <Poco/Logger.h>

namespace rtw::store::detail {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.store"); }

std::string octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

void restrict(const std::string& path) {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0 || !S_ISREG(status.st_mode) ||
      (status.st_mode & 077) == 0) {
    return;
  }
  const mode_t tightened = status.st_mode & 0700;
  if (::chmod(path.c_str(), tightened) != 0) {
    logger().warning("journal file %s is mode %s (readable by others) and cannot be changed: %s",
                     path, octal(status.st_mode), std::string(std::strerror(errno)));
    return;
  }
  logger().warning("journal file %s was mode %s (readable by others): now %s", path,
                   octal(status.st_mode), octal(tightened));
}

}  // namespace

void makeJournalPrivate(const std::filesystem::path& file) {
  // O_EXCL: only a file this call makes gets 0600 from its creation; an
  // existing one is tightened below.
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  }
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    restrict(file.string() + suffix);
  }
}

}  // namespace rtw::store::detail
