#include "mapping_reloader.h"

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

Poco::Logger& logger() { return Poco::Logger::get("rtw.mappings"); }

}  // namespace

MappingReloader::MappingReloader(mapping::MappingRegistry& registry, int poll_ms)
    : registry_(registry), poll_ms_(poll_ms) {}

MappingReloader::~MappingReloader() { stop(); }

void MappingReloader::start() {
  struct sigaction action {};
  action.sa_handler = onHangup;
  sigemptyset(&action.sa_mask);
  sigaction(SIGHUP, &action, nullptr);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "rtw-mappings");
    run();
  });
}

void MappingReloader::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void MappingReloader::run() {
  int since_poll_ms = 0;
  std::unique_lock lock(mutex_);
  while (!cv_.wait_for(lock, std::chrono::milliseconds(kSignalCheckMs),
                       [this] { return stopping_; })) {
    since_poll_ms += kSignalCheckMs;
    const bool hangup = hangup_received.exchange(false);
    if (!hangup && (poll_ms_ <= 0 || since_poll_ms < poll_ms_)) {
      continue;
    }
    since_poll_ms = 0;
    lock.unlock();
    reload(hangup);
    lock.lock();
  }
}

void MappingReloader::reload(bool force) {
  if (force) {
    logger().information("SIGHUP: reloading every partner's mappings");
  }
  try {
    for (const auto& outcome : registry_.reload(force)) {
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
