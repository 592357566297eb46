#pragma once
// Keeps the partner registry and the partners' mappings current while the
// gateway runs: polls their files' modification times and reloads both on
// SIGHUP, partners first (a new partner's mappings come with it). A reload
// that fails keeps what was in force and says so in the log (file, line and
// key or rule; never message content).

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "partner_reloader.h"
#include "rtw/mapping/registry.h"

namespace rtw::app {

class ConfigReloader {
 public:
  /// `*_poll_ms`: how often file times are compared; 0 turns that polling
  /// off (SIGHUP still reloads).
  ConfigReloader(PartnerReloader& partners, int partners_poll_ms,
                 mapping::MappingRegistry& mappings, int mappings_poll_ms);
  ~ConfigReloader();
  ConfigReloader(const ConfigReloader&) = delete;
  ConfigReloader& operator=(const ConfigReloader&) = delete;

  /// Also run on SIGHUP (before the partners), and once a day: the TLS
  /// material and the certificate expiry check. Before start().
  void alsoOnHangup(std::function<void()> reload) { on_hangup_ = std::move(reload); }
  void daily(std::function<void()> check) { daily_ = std::move(check); }

  void start();
  void stop();

 private:
  void run();
  void reloadMappings(bool force);

  PartnerReloader& partners_;
  int partners_poll_ms_;
  mapping::MappingRegistry& mappings_;
  int mappings_poll_ms_;
  std::function<void()> on_hangup_;
  std::function<void()> daily_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rtw::app
