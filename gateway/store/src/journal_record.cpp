// Writing: group commit shared by every writer, and the store's health.

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>

#include "rtw/store/journal.h"
#include "sql_support.h"

namespace rtw::store {

using detail::Blob;
using detail::nowText;
using detail::Rows;
using detail::WriteTransaction;

namespace {

std::int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// Each writer waits on its own condition, outside the queue's lock: a
// commit wakes exactly the writers it holds, not every waiting thread. (Not
// std::binary_semaphore: libstdc++ spins on sched_yield before it sleeps,
// which took a core away from the writers.)
struct Journal::PendingWrite {
  PendingWrite(std::function<void()> w, bool record) : work(std::move(w)), is_record(record) {}
  std::function<void()> work;
  bool is_record;
  std::exception_ptr error;  // set before wake() when the commit failed
  // recordAsync: called by wake() instead of waking a waiting writer.
  std::function<void(std::exception_ptr)> done;

  void wake() {
    if (done) {
      done(error);
      return;
    }
    {
      std::lock_guard lock(mutex);
      woken = true;
    }
    condition.notify_one();
  }
  void sleep() {
    std::unique_lock lock(mutex);
    condition.wait(lock, [this] { return woken; });
  }

 private:
  std::mutex mutex;
  std::condition_variable condition;
  bool woken = false;
};

RecordResult Journal::record(const InboundMessage& m) {
  last_record_ms_ = steadyMs();
  checkHealth();
  RecordResult result;
  write([&] { result = recordOne(m); }, true);
  return result;
}

void Journal::recordAsync(std::shared_ptr<const InboundMessage> message, RecordDone done) {
  last_record_ms_ = steadyMs();
  checkHealth();
  auto result = std::make_shared<RecordResult>();
  auto request = std::make_shared<PendingWrite>(
      [this, message, result] { *result = recordOne(*message); }, true);
  request->done = [result, done = std::move(done)](std::exception_ptr error) {
    done(*result, error);
  };
  submit(request);
}

bool Journal::recordedWithin(std::int64_t ms) const { return steadyMs() - last_record_ms_ < ms; }

void Journal::write(std::function<void()> work, bool is_record) {
  auto request = std::make_shared<PendingWrite>(std::move(work), is_record);
  if (submit(request)) {
    request->sleep();
  }
  if (request->error) {
    std::rethrow_exception(request->error);
  }
}

bool Journal::submit(const std::shared_ptr<PendingWrite>& request) {
  if (!options_.group_commit) {
    commitBatch({request});
    limitWal();
    if (request->done) {
      request->wake();
    }
    return false;
  }
  {
    std::lock_guard lock(queue_mutex_);
    if (request->is_record) {
      records_.push_back(request);
    } else {
      others_.push_back(request);
    }
  }
  queue_cv_.notify_one();
  return true;
}

void Journal::startCommitter() {
  if (!options_.group_commit) {
    return;
  }
  // One thread commits for every writer. Writers never lead a commit, so a
  // worker thread running at a lower priority (lowerThreadPriority in the
  // pipeline) never holds up the ACKs of the MLLP connections. Each round
  // commits every message recorded since the last one, then one worker's
  // batch on its own: an ACK waits for at most one worker commit, and
  // workers are never starved by intake. With no message waiting, all the
  // workers' writes share one commit.
  committer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "rtw-committer");
    std::unique_lock lock(queue_mutex_);
    while (true) {
      queue_cv_.wait(lock,
                     [this] { return committer_stop_ || !records_.empty() || !others_.empty(); });
      if (records_.empty() && others_.empty()) {
        return;  // stopping, and nothing left to commit
      }
      Batch records;
      records.swap(records_);
      Batch other;
      if (records.empty()) {
        other.assign(others_.begin(), others_.end());  // no ACK waits: all of them at once
        others_.clear();
      } else if (!others_.empty()) {
        other.push_back(others_.front());
        others_.pop_front();
      }
      lock.unlock();
      for (Batch* batch : {&records, &other}) {
        if (!batch->empty()) {
          commitBatch(*batch);
          for (const auto& request : *batch) {
            request->wake();
          }
        }
      }
      limitWal();  // after the wake-ups: no ACK waits for it
      lock.lock();
    }
  });
}

void Journal::limitWal() {
  if (postgres()) {
    return;
  }
  std::lock_guard lock(mutex_);
  if (options_.checkpoint_interval_ms <= 0) {
    // Without background checkpoints: every 1,000 pages, as SQLite's own.
    if (sql_->walPages() >= 1000) {
      checkpointQuietly("PRAGMA wal_checkpoint(RESTART)");
    }
    return;
  }
  if (!wal_restart_wanted_) {
    return;
  }
  // The background passes past the limit left only the last commits' frames.
  // Once a checkpoint has copied everything, the next commit starts the WAL
  // over if no reader still reads an older snapshot of it (the WAL hook then
  // tells a WAL of a few pages). Between two commits the committer is the
  // only writer, so a PASSIVE checkpoint here copies everything but what such
  // a reader still needs, costs ≈ 1 ms, and waits for nobody. (RESTART would
  // wait for the readers, SQLite's busy handler sleeping 1, 2, 5... ms: 9–16
  // ms at 2,000 messages/s while ACKs queued.) A reader holding a snapshot
  // for long keeps the WAL growing until it ends, as in any SQLite database;
  // commits do not wait for it.
  if (sql_->walPages() < options_.wal_limit_pages) {
    wal_restart_wanted_ = false;  // started over
    return;
  }
  checkpointQuietly("PRAGMA wal_checkpoint(PASSIVE)");
}

void Journal::checkpointQuietly(const char* pragma) {
  try {
    sql_->run(pragma);
  } catch (const std::exception&) {
    // A full disk, say: the WAL keeps the data; the next round tries again.
  }
}

void Journal::stopCommitter() {
  if (!committer_.joinable()) {
    return;
  }
  {
    std::lock_guard lock(queue_mutex_);
    committer_stop_ = true;
  }
  queue_cv_.notify_one();
  committer_.join();
}

void Journal::commitBatch(const Batch& batch) {
  std::size_t records = 0;
  try {
    std::lock_guard lock(mutex_);
    ensureConnected();
    WriteTransaction tx(*sql_);
    for (const auto& request : batch) {
      request->work();
      records += request->is_record ? 1 : 0;
    }
    tx.commit();
    healthy_ = true;
    ++commits_;
    if (records > 0) {
      ++record_commits_;
      recorded_messages_ += records;
    }
  } catch (const std::exception& e) {
    // Nothing of this batch is on disk: none of it may be acknowledged, and
    // the store stays unhealthy until a later write succeeds. No write is
    // retried here: its writer decides (a sender resends, a worker tries the
    // message again later).
    healthy_ = false;
    last_probe_ms_ = steadyMs();
    const auto error =
        std::make_exception_ptr(StoreUnavailable(std::string("journal write failed: ") + e.what()));
    for (const auto& request : batch) {
      request->error = error;
    }
  }
}

void Journal::checkHealth() {
  if (healthy_) {
    return;
  }
  // While unhealthy, one write per interval may try whether the store is back;
  // the others are refused at once.
  const std::int64_t now = steadyMs();
  std::int64_t last = last_probe_ms_;
  if (now - last < options_.probe_interval_ms ||
      !last_probe_ms_.compare_exchange_strong(last, now)) {
    throw StoreUnavailable("journal unavailable since a write failed; retrying shortly");
  }
}

void Journal::setMaxPages(int max_pages) {
  if (postgres()) {
    throw std::invalid_argument("a page limit is a SQLite setting (store.maxPages)");
  }
  std::lock_guard lock(mutex_);
  sql_->run("PRAGMA max_page_count = " + std::to_string(max_pages > 0 ? max_pages : 1073741823));
}

RecordResult Journal::recordOne(const InboundMessage& m) {
  auto& s = *sql_;
  RecordResult result;
  const std::string at = nowText();
  // DO NOTHING rather than a unique-key error: with PostgreSQL another
  // instance may record the same message at the same moment (this insert
  // waits for its commit), and an error would fail the whole group.
  {
    Rows inserted = s.run(
        "INSERT INTO messages (partner, channel, sender, control_id, message_type, payload,"
        " ack, state, received_at, updated_at, digest, format)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        " ON CONFLICT (partner, sender, control_id) DO NOTHING RETURNING id",
        m.partner, m.channel, m.sender, m.control_id, m.message_type, Blob{m.payload}, m.ack,
        m.ignored ? "ignored" : "received", at, at, m.digest, m.format);
    if (inserted.next()) {
      result.id = inserted.integer(0);
      result.ack = m.ack;
      result.state = m.ignored ? MessageState::kIgnored : MessageState::kReceived;
      return result;
    }
  }
  Rows original = s.run(
      "SELECT id, ack, state, reason, digest,"
      " (SELECT COUNT(*) FROM outbox WHERE outbox.message_id = messages.id) FROM messages"
      " WHERE partner = $1 AND sender = $2 AND control_id = $3",
      m.partner, m.sender, m.control_id);
  if (original.next()) {
    result.id = original.integer(0);
    result.ack = original.text(1);
    result.state = detail::stateFromText(original.text(2));
    result.reason = original.text(3);
    const std::string digest = original.text(4);
    result.same_content = digest.empty() || m.digest.empty() || digest == m.digest;
    result.documents = original.integer(5);
  }
  result.duplicate = true;
  return result;
}

}  // namespace rtw::store
