#include "mailbox.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace rtw::transport::detail {

Mailbox::Mailbox() : event_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (event_fd_ < 0) {
    throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
  }
}

Mailbox::~Mailbox() { ::close(event_fd_); }

void Mailbox::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      return;
    }
    tasks_.push_back(std::move(task));
    if (signalled_) {
      return;  // the loop has not taken the earlier tasks yet
    }
    signalled_ = true;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(event_fd_, &one, sizeof one);
}

std::vector<std::function<void()>> Mailbox::take() {
  std::uint64_t count = 0;
  [[maybe_unused]] const ssize_t got = ::read(event_fd_, &count, sizeof count);
  std::lock_guard lock(mutex_);
  signalled_ = false;
  return std::exchange(tasks_, {});
}

void Mailbox::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  tasks_.clear();
}

}  // namespace rtw::transport::detail
