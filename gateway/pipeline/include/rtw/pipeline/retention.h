#pragma once
// Retention: delivered messages keep their payloads for `days`, then only
// the audit trail (ids, states, ACKs, receipts) stays. Runs at start-up and
// then every hour.

#include <thread>

#include "rtw/pipeline/workers.h"
#include "rtw/store/journal.h"

namespace rtw::pipeline {

class RetentionWorker {
 public:
  RetentionWorker(store::Journal& journal, int days) : journal_(journal), days_(days) {}
  ~RetentionWorker() { stop(); }

  /// Does nothing when days is 0 (keep payloads for ever).
  void start();
  void stop();
  /// One purge now; returns how many payloads were emptied.
  std::int64_t purgeOnce();

 private:
  store::Journal& journal_;
  int days_;
  Wakeup wakeup_;
  std::thread thread_;
};

}  // namespace rtw::pipeline
