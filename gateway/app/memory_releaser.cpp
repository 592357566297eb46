#include "memory_releaser.h"

#include <pthread.h>

#include <chrono>

// gperftools' C interface (gperftools/malloc_extension_c.h), declared weak:
// null when tcmalloc is not linked in.
extern "C" {
int MallocExtension_GetNumericProperty(const char* property, std::size_t* value)
    __attribute__((weak));
void MallocExtension_ReleaseToSystem(std::size_t num_bytes) __attribute__((weak));
}

namespace rtw::app {
namespace {

constexpr auto kCheckInterval = std::chrono::seconds(1);

void releaseBeyondReserve() {
  std::size_t free_bytes = 0;
  if (MallocExtension_GetNumericProperty("tcmalloc.pageheap_free_bytes", &free_bytes) != 0 &&
      free_bytes > MemoryReleaser::kReserveBytes) {
    MallocExtension_ReleaseToSystem(free_bytes - MemoryReleaser::kReserveBytes);
  }
}

}  // namespace

MemoryReleaser::~MemoryReleaser() { stop(); }

void MemoryReleaser::start() {
  if (MallocExtension_GetNumericProperty == nullptr || MallocExtension_ReleaseToSystem == nullptr) {
    return;  // not tcmalloc: the allocator returns memory by its own rules
  }
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "rtw-memory");
    run();
  });
}

void MemoryReleaser::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void MemoryReleaser::run() {
  std::unique_lock lock(mutex_);
  while (!cv_.wait_for(lock, kCheckInterval, [this] { return stopping_; })) {
    lock.unlock();
    releaseBeyondReserve();
    lock.lock();
  }
}

}  // namespace rtw::app
