#include "instance_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Environment.h>

namespace rtw::app {
namespace {

std::string readHolder(int fd) {
  char text[256] = {};
  const ssize_t got = ::pread(fd, text, sizeof text - 1, 0);
  std::string holder(text, got > 0 ? static_cast<std::size_t>(got) : 0);
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) {
    holder.pop_back();
  }
  return holder.empty() ? "another process" : holder;
}

}  // namespace

InstanceLock::InstanceLock(const std::filesystem::path& store, const std::string& what)
    : file_(store.string() + ".lock") {
  std::error_code ignored;
  std::filesystem::create_directories(file_.parent_path(), ignored);
  fd_ = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    throw std::runtime_error("cannot open the lock file " + file_.string() + ": " +
                             std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = readHolder(fd_);
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      throw std::runtime_error(what + " " + store.string() + " is in use by " + holder + " (lock " +
                               file_.string() +
                               "); stop that process first, or give this one a store of its own");
    }
    throw std::runtime_error("cannot lock " + file_.string() + ": " + std::strerror(error));
  }
  const std::string holder =
      "pid " + std::to_string(::getpid()) + " on " + Poco::Environment::nodeName() + " since " +
      Poco::DateTimeFormatter::format(Poco::DateTime(), Poco::DateTimeFormat::ISO8601_FORMAT) +
      "\n";
  if (::ftruncate(fd_, 0) != 0 ||
      ::pwrite(fd_, holder.data(), holder.size(), 0) != static_cast<ssize_t>(holder.size())) {
    // The lock holds all the same; only the sentence naming us is missing.
  }
}

InstanceLock::~InstanceLock() {
  if (fd_ >= 0) {
    ::close(fd_);  // releases the lock; the file stays (another start reuses it)
  }
}

}  // namespace rtw::app
