#pragma once
// Retention: delivered messages keep their payloads for `days`, then only
// the audit trail (ids, states, ACKs, receipts) stays. Runs at start-up and
// then every hour.

#include "rtw/pipeline/worker_pool.h"
#include "rtw/store/journal.h"

namespace rtw::pipeline {

class RetentionWorker {
 public:
  RetentionWorker(store::Journal& journal, int days);
  ~RetentionWorker() { stop(); }

  /// Does nothing when days is 0 (keep payloads for ever).
  void start();
  void stop() { pool_.stop(); }
  /// One purge now; returns how many payloads were emptied.
  std::int64_t purgeOnce();

 private:
  store::Journal& journal_;
  int days_;
  WorkerPool pool_;
};

}  // namespace rtw::pipeline
