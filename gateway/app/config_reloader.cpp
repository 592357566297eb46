#include "config_reloader.h"

#include <pthread.h>

#include <csignal>

#include <Poco/Logger.h>

namespace rtw::app {
namespace {

// Set by the SIGHUP handler, read by the reloader thread (lock-free, so
// async-signal-safe).
std::atomic<bool> hangup_received{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void onHangup(int) { hangup_received = true; }

constexpr int kSignalCheckMs = 200;
constexpr int kDayMs = 24 * 60 * 60 * 1000;

Poco::Logger& logger() { return Poco::Logger::get("rtw.mappings"); }

// True once `poll_ms` (> 0) has passed since `since_ms` was last reset.
bool due(int poll_ms, int& since_ms) {
  if (poll_ms <= 0 || since_ms < poll_ms) {
    return false;
  }
  since_ms = 0;
  return true;
}

}  // namespace

ConfigReloader::ConfigReloader(PartnerReloader& partners, int partners_poll_ms,
                               mapping::MappingRegistry& mappings, int mappings_poll_ms)
    : partners_(partners),
      partners_poll_ms_(partners_poll_ms),
      mappings_(mappings),
      mappings_poll_ms_(mappings_poll_ms) {}

ConfigReloader::~ConfigReloader() { stop(); }

void ConfigReloader::start() {
  struct sigaction action {};
  action.sa_handler = onHangup;
  sigemptyset(&action.sa_mask);
  sigaction(SIGHUP, &action, nullptr);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "rtw-reload");
    run();
  });
}

void ConfigReloader::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void ConfigReloader::run() {
  int partners_since_ms = 0;
  int mappings_since_ms = 0;
  int day_since_ms = 0;
  std::unique_lock lock(mutex_);
  while (!cv_.wait_for(lock, std::chrono::milliseconds(kSignalCheckMs),
                       [this] { return stopping_; })) {
    partners_since_ms += kSignalCheckMs;
    mappings_since_ms += kSignalCheckMs;
    day_since_ms += kSignalCheckMs;
    const bool hangup = hangup_received.exchange(false);
    if ((hangup && on_hangup_) || (due(kDayMs, day_since_ms) && daily_)) {
      lock.unlock();
      (hangup ? on_hangup_ : daily_)();
      lock.lock();
    }
    const bool partners = hangup || due(partners_poll_ms_, partners_since_ms);
    const bool mappings = hangup || due(mappings_poll_ms_, mappings_since_ms);
    if (!partners && !mappings) {
      continue;
    }
    lock.unlock();
    if (partners) {
      partners_.reload(hangup);
    }
    if (mappings) {
      reloadMappings(hangup);
    }
    lock.lock();
  }
}

void ConfigReloader::reloadMappings(bool force) {
  if (force) {
    logger().information("SIGHUP: reloading every partner's mappings");
  }
  try {
    for (const auto& outcome : mappings_.reload(force)) {
      if (outcome.reloaded) {
        logger().information("partner %s: mappings reloaded", outcome.partner);
      } else {
        logger().error("partner %s: mapping reload failed, the previous mappings stay: %s",
                       outcome.partner, outcome.error);
      }
    }
  } catch (const std::exception& e) {
    logger().error("mapping reload: %s", std::string(e.what()));
  }
}

}  // namespace rtw::app
