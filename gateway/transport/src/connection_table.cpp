#include "connection_table.h"

#include <sys/socket.h>

#include <pthread.h>

namespace rtw::transport::detail {
namespace {

// The socket stays open (its owner closes it); reads and writes on it fail
// from now on, which is what wakes a thread blocked in one.
void shutDown(int fd) { ::shutdown(fd, SHUT_RDWR); }

}  // namespace

ConnectionTable::ConnectionTable(std::chrono::milliseconds head_timeout)
    : head_timeout_(head_timeout), watchdog_([this] { watch(); }) {}

ConnectionTable::~ConnectionTable() {
  {
    const std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_watchdog_.notify_all();
  watchdog_.join();
}

std::unique_ptr<ConnectionTable::Slot> ConnectionTable::open(int fd) {
  const std::lock_guard lock(mutex_);
  if (stopping_) {
    return nullptr;
  }
  auto slot = std::make_unique<Slot>(*this, fd);
  slots_.insert(slot.get());
  return slot;
}

void ConnectionTable::beginStop() {
  const std::lock_guard lock(mutex_);
  stopping_ = true;
  for (Slot* slot : slots_) {
    if (!slot->busy_) {
      shutDown(slot->fd_);
    }
  }
}

bool ConnectionTable::stopping() const {
  const std::lock_guard lock(mutex_);
  return stopping_;
}

bool ConnectionTable::waitUntilEmpty(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return emptied_.wait_for(lock, timeout, [this] { return slots_.empty(); });
}

void ConnectionTable::shutDownAll() {
  const std::lock_guard lock(mutex_);
  for (Slot* slot : slots_) {
    shutDown(slot->fd_);
  }
}

int ConnectionTable::size() const {
  const std::lock_guard lock(mutex_);
  return static_cast<int>(slots_.size());
}

void ConnectionTable::disarm(Slot& slot) {
  if (slot.armed_) {
    deadlines_.erase(slot.deadline_);
    slot.armed_ = false;
  }
}

void ConnectionTable::watch() {
  ::pthread_setname_np(::pthread_self(), "rtw-https-watch");
  std::unique_lock lock(mutex_);
  while (!quit_) {
    const auto now = Clock::now();
    while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
      Slot& slot = *deadlines_.begin()->second;
      deadlines_.erase(deadlines_.begin());
      slot.armed_ = false;
      slot.timed_out_ = true;
      shutDown(slot.fd_);  // under the mutex: the slot (and its socket) is still open
    }
    const auto wake = deadlines_.empty() ? now + head_timeout_ : deadlines_.begin()->first;
    wake_watchdog_.wait_until(lock, wake);
  }
}

ConnectionTable::Slot::~Slot() {
  const std::lock_guard lock(table_.mutex_);
  table_.disarm(*this);
  table_.slots_.erase(this);
  if (table_.slots_.empty()) {
    table_.emptied_.notify_all();
  }
}

bool ConnectionTable::Slot::idle() {
  const std::lock_guard lock(table_.mutex_);
  busy_ = false;
  table_.disarm(*this);
  return !table_.stopping_;
}

bool ConnectionTable::Slot::busy() {
  const std::lock_guard lock(table_.mutex_);
  if (table_.stopping_) {
    return false;
  }
  busy_ = true;
  table_.disarm(*this);
  deadline_ = table_.deadlines_.emplace(Clock::now() + table_.head_timeout_, this);
  armed_ = true;
  return true;
}

void ConnectionTable::Slot::headReceived() {
  const std::lock_guard lock(table_.mutex_);
  table_.disarm(*this);
}

bool ConnectionTable::Slot::timedOut() const {
  const std::lock_guard lock(table_.mutex_);
  return timed_out_;
}

}  // namespace rtw::transport::detail
