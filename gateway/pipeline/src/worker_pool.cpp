#include "rtw/pipeline/worker_pool.h"

#include <pthread.h>

#include <exception>

#include <Poco/Logger.h>

namespace rtw::pipeline {

void WorkerPool::start(ThreadSetup setup) {
  setup_ = std::move(setup);
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this] { run(setup_); });
  }
}

void WorkerPool::stop() {
  wakeup_.stop();
  for (auto& thread : threads_) {
    if (thread.joinable()) {
      thread.join();
    }
  }
  threads_.clear();
}

void WorkerPool::run(const ThreadSetup& setup) {
  pthread_setname_np(pthread_self(), options_.thread_name.substr(0, 15).c_str());
  lowerThreadPriority(options_.priority);
  const Round round = setup();
  std::uint64_t seen = 0;
  while (!wakeup_.stopping()) {
    try {
      while (!wakeup_.stopping() && round()) {
      }
    } catch (const std::exception& e) {
      // Typically the journal refusing a write (disk full): what the round
      // held stays where it was and is tried again after the pause.
      logger_.error("%s loop: %s; tried again", options_.thread_name, std::string(e.what()));
    }
    wakeup_.wait(options_.poll_ms, seen);
  }
}

}  // namespace rtw::pipeline
