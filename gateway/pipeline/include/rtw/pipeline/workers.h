#pragma once
// The translate and delivery workers: they move journal rows along
// received → translated → delivered | rejected | dead.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rtw/mapping/registry.h"
#include "rtw/pipeline/board.h"
#include "rtw/pipeline/intake.h"
#include "rtw/pipeline/worker_pool.h"
#include "rtw/plugin/host.h"
#include "rtw/security/partners.h"
#include "rtw/store/journal.h"
#include "rtw/worksafe/board_profiles.h"
#include "rtw/worksafe/schema.h"

namespace rtw::pipeline {

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
  void runAt(WorkerPriority priority) { pool_.runAt(priority); }

  void start();
  void stop() { pool_.stop(); }
  Wakeup& wakeup() { return pool_.wakeup(); }

  /// Translates the oldest received messages no other thread holds (a
  /// batch, committed together), if any; true when any was handled.
  bool translateBatch();

 private:
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
  WorkerPool pool_;
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
  void stop() { pool_.stop(); }
  Wakeup& wakeup() { return pool_.wakeup(); }
  /// The worker threads' priority (lowerThreadPriority). Set before start().
  void runAt(WorkerPriority priority) { pool_.runAt(priority); }

  /// Delivers the next due documents (a batch, posted one by one, their
  /// outcomes committed together), if any, with `board`; true when any was handled.
  bool deliverBatch(BoardClient& board);

 private:
  std::int64_t backoffMs(int attempts, const DeliveryResult& result);
  /// What the journal records for the board's answer: delivered, retry at, or dead.
  store::DeliveryResultRecord recordFor(const store::OutboxItem& item,
                                        const DeliveryResult& result);
  void logOutcome(const store::OutboxItem& item, const DeliveryResult& result,
                  const store::DeliveryResultRecord& record);

  store::Journal& journal_;
  ClientFactory make_client_;
  RetryPolicy policy_;
  WorkerPool pool_;
};

std::int64_t nowMs();

}  // namespace rtw::pipeline
