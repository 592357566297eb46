#pragma once
// One process per store: rtw-gateway holds a lock on its SQLite journal and
// rtw-board-sim on its document store for as long as they run. A second
// process on the same files (a second ./scripts/run) refuses to start with a
// sentence naming the holder, instead of splitting the clinics' connections
// and cutting the first one's documents when it stops. rtwctl does not take
// the lock: an operator reads and edits the journal beside the gateway.

#include <filesystem>
#include <string>

namespace rtw::app {

class InstanceLock {
 public:
  /// Locks `<store>.lock` (flock, so the kernel drops it with the process,
  /// even after kill -9) and writes who holds it. Throws std::runtime_error
  /// "<what> <store> is in use by pid P on HOST since T" when another
  /// process holds it. `what` says which store ("the journal").
  InstanceLock(const std::filesystem::path& store, const std::string& what);
  ~InstanceLock();
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  int fd_ = -1;
};

}  // namespace rtw::app
