#pragma once
// The skeleton every background pool shares (translate, delivery,
// retention): named threads at a chosen priority, each running rounds of
// work until there is none, then sleeping until woken or a poll interval
// passes; a round that throws is logged and the thread carries on.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace Poco {
class Logger;
}

namespace rtw::pipeline {

/// Something a worker can be woken by, with a deadline for polling.
class Wakeup {
 public:
  void notify();
  /// Waits until notified since `seen` (updated to the latest notification)
  /// or `timeout_ms` passed; false when stopping. Each waiting thread keeps
  /// its own `seen`, so one notification wakes every waiter.
  bool wait(int timeout_ms, std::uint64_t& seen);
  void stop();
  bool stopping() const { return stopping_; }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::uint64_t notifications_ = 0;
  std::atomic<bool> stopping_{false};
};

/// How the translate and delivery threads share the CPU with intake
/// (`workers.nice`). They run below the MLLP I/O threads: while both want
/// the CPU, a sender's ACK comes first and the backlog drains when intake
/// eases; the journal's committer thread, which both wait on, is not lowered.
struct WorkerPriority {
  /// SCHED_IDLE (the default, "idle"): a worker runs on CPU time intake
  /// leaves, and an I/O thread woken by a commit never waits for
  /// one. Under a flood of 16 connections on 2 cores workers still
  /// translated ≈ 700 messages/s (intake waits for the disk),
  /// and intake took 11,100-13,000 messages/s against 8,700-10,400 at nice 10
  /// and 8,000-10,300 at nice 19 (BENCHMARKS.md).
  bool idle = true;
  /// Otherwise the nice increment (0: unchanged).
  int nice = 0;

  /// "idle" or a nice increment 0-19; throws std::invalid_argument.
  static WorkerPriority parse(const std::string& text);
};

/// Gives the calling thread that priority; warns if the system refuses.
void lowerThreadPriority(const WorkerPriority& priority);

class WorkerPool {
 public:
  /// One thread's work: a round handles what it can (a batch) and says
  /// whether it found any; the thread runs rounds until one finds nothing.
  using Round = std::function<bool()>;
  /// Called once on each new thread, at its priority; gives its rounds
  /// (which may own per-thread state, e.g. a connection).
  using ThreadSetup = std::function<Round()>;

  struct Options {
    std::string thread_name;  ///< at most 15 characters (pthread_setname_np)
    int threads = 1;          ///< 0: none started (an intake-only instance)
    int poll_ms = 1000;       ///< sleep between rounds that found nothing
    WorkerPriority priority;
  };

  WorkerPool(Options options, Poco::Logger& logger)
      : options_(std::move(options)), logger_(logger) {}
  ~WorkerPool() { stop(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Set before start().
  void runAt(WorkerPriority priority) { options_.priority = priority; }
  void start(ThreadSetup setup);
  /// Wakes every thread, lets each finish its round, and joins them.
  void stop();
  Wakeup& wakeup() { return wakeup_; }
  bool stopping() const { return wakeup_.stopping(); }
  int threads() const { return options_.threads; }

 private:
  void run(const ThreadSetup& setup);

  Options options_;
  Poco::Logger& logger_;
  Wakeup wakeup_;
  ThreadSetup setup_;
  std::vector<std::thread> threads_;
};

}  // namespace rtw::pipeline
