#pragma once
// The translate and delivery workers: they move journal rows along
// received → translated → delivered | rejected | dead.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "rtw/mapping/registry.h"
#include "rtw/pipeline/board.h"
#include "rtw/pipeline/intake.h"
#include "rtw/plugin/host.h"
#include "rtw/security/partners.h"
#include "rtw/store/journal.h"
#include "rtw/worksafe/board_profiles.h"
#include "rtw/worksafe/schema.h"

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

/// Turns received messages into validated documents in the outbox.
class TranslateWorker {
 public:
  /// `partners` is read for each message (a reload takes effect for the next one).
  TranslateWorker(store::Journal& journal, const security::LivePartnerRegistry& partners,
                  plugin::PluginHost& plugins, std::shared_ptr<const worksafe::SchemaSet> schemas,
                  std::shared_ptr<const worksafe::BoardProfiles> profiles, Wakeup& delivery_wakeup,
                  int threads = 1);
  ~TranslateWorker();

  /// Told how each message ended (for application ACKs). Set before start().
  void onOutcome(std::function<void(std::int64_t, const TranslationOutcome&)> callback) {
    on_outcome_ = std::move(callback);
  }

  /// The partners' mappings, for plugins that run them. Set before start().
  void useMappings(const mapping::MappingRegistry& mappings) { mappings_ = &mappings; }

  /// The worker threads' priority (lowerThreadPriority). Set before start().
  void runAt(WorkerPriority priority) { priority_ = priority; }

  void start();
  void stop();
  Wakeup& wakeup() { return wakeup_; }

  /// Translates the oldest received messages no other thread holds (a
  /// batch, committed together), if any; true when any was handled.
  bool translateBatch();

 private:
  void run();
  /// One message's documents, or why it is rejected (`why`: the answer's
  /// code and location).
  store::TranslationResult translate(const store::JournalEntry& entry, TranslationOutcome& why);
  /// translate(), with a failure of the translation itself (an exception
  /// after the plugin returned) given back to be tried again alone, or, in
  /// its last attempt, the message set aside; nothing when given back.
  std::optional<store::TranslationResult> attempt(const store::JournalEntry& entry,
                                                  TranslationOutcome& why);
  void reportOutcomes(const std::vector<store::TranslationResult>& results,
                      std::vector<TranslationOutcome>& outcomes);
  void finish(std::int64_t message_id, const TranslationOutcome& outcome);

  store::Journal& journal_;
  const security::LivePartnerRegistry& partners_;
  plugin::PluginHost& plugins_;
  std::shared_ptr<const worksafe::SchemaSet> schemas_;
  std::shared_ptr<const worksafe::BoardProfiles> profiles_;
  Wakeup& delivery_wakeup_;
  const mapping::MappingRegistry* mappings_ = nullptr;
  std::function<void(std::int64_t, const TranslationOutcome&)> on_outcome_;
  WorkerPriority priority_;
  Wakeup wakeup_;
  int thread_count_;
  std::vector<std::thread> threads_;
};

struct RetryPolicy {
  int max_attempts = 10;
  int base_backoff_ms = 500;
  int max_backoff_ms = 5 * 60 * 1000;
  /// A document still not accepted this long after it was queued is dead
  /// (0: only max_attempts ends retries).
  std::int64_t max_age_s = 0;
};

/// Posts outbox documents to the board with a pool of threads, each with its
/// own connection, retrying with capped exponential backoff and jitter, and
/// dead-letters what the board refuses.
class DeliveryWorker {
 public:
  using ClientFactory = std::function<std::unique_ptr<BoardClient>()>;

  DeliveryWorker(store::Journal& journal, ClientFactory make_client, RetryPolicy policy,
                 int threads = 1);
  ~DeliveryWorker();

  void start();
  void stop();
  Wakeup& wakeup() { return wakeup_; }
  /// The worker threads' priority (lowerThreadPriority). Set before start().
  void runAt(WorkerPriority priority) { priority_ = priority; }

  /// Delivers the next due documents (a batch, posted one by one, their
  /// outcomes committed together), if any, with `board`; true when any was handled.
  bool deliverBatch(BoardClient& board);

 private:
  void run();
  std::int64_t backoffMs(int attempts, const DeliveryResult& result);
  /// What the journal records for the board's answer: delivered, retry at, or dead.
  store::DeliveryResultRecord recordFor(const store::OutboxItem& item,
                                        const DeliveryResult& result);
  void logOutcome(const store::OutboxItem& item, const DeliveryResult& result,
                  const store::DeliveryResultRecord& record);

  store::Journal& journal_;
  ClientFactory make_client_;
  RetryPolicy policy_;
  WorkerPriority priority_;
  int thread_count_;
  Wakeup wakeup_;
  std::vector<std::thread> threads_;
};

std::int64_t nowMs();

}  // namespace rtw::pipeline
