#pragma once
// Keeps the partners' mappings current while the gateway runs: polls the
// mapping files' modification times and reloads on SIGHUP. A reload that
// fails keeps the previous mappings and says so in the log (file, line and
// rule; never message content).

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "rtw/mapping/registry.h"

namespace rtw::app {

class MappingReloader {
 public:
  /// `poll_ms`: how often file times are compared; 0 turns polling off
  /// (SIGHUP still reloads).
  MappingReloader(mapping::MappingRegistry& registry, int poll_ms);
  ~MappingReloader();
  MappingReloader(const MappingReloader&) = delete;
  MappingReloader& operator=(const MappingReloader&) = delete;

  void start();
  void stop();

 private:
  void run();
  void reload(bool force);

  mapping::MappingRegistry& registry_;
  int poll_ms_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rtw::app
