#include <chrono>

#include "rtw/pipeline/worker_pool.h"

namespace rtw::pipeline {

void Wakeup::notify() {
  {
    std::lock_guard lock(mutex_);
    ++notifications_;
  }
  cv_.notify_all();
}

bool Wakeup::wait(int timeout_ms, std::uint64_t& seen) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
               [&] { return notifications_ != seen || stopping_.load(); });
  seen = notifications_;
  return !stopping_;
}

void Wakeup::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
}

std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace rtw::pipeline
