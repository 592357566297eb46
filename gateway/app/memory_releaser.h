#pragma once
// Gives the allocator's free pages back to the system. The gateway allocates
// through tcmalloc, which keeps the pages of freed objects for reuse and
// returns them only as later frees go by: after one 16 MiB message (the
// framer's buffer, the journal's copy, the parse) the process went on holding
// ≈ 100 MiB it no longer used, however long it then sat idle. A thread looks
// once a second and releases what lies free beyond a working reserve.
// Without tcmalloc (the sanitizer and fuzz builds) it does nothing.

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

namespace rtw::app {

class MemoryReleaser {
 public:
  /// Free pages kept for reuse; more is given back.
  static constexpr std::size_t kReserveBytes = 8 * 1024 * 1024;

  MemoryReleaser() = default;
  ~MemoryReleaser();
  MemoryReleaser(const MemoryReleaser&) = delete;
  MemoryReleaser& operator=(const MemoryReleaser&) = delete;

  void start();
  void stop();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rtw::app
