#pragma once
// Pieces the journal's source files share: timestamps, a transaction that
// rolls back unless committed, in-memory claims and state names.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>

#include "rtw/store/journal.h"
#include "sql.h"

namespace rtw::store::detail {

inline std::string nowText() {
  return Poco::DateTimeFormatter::format(Poco::DateTime(),
                                         Poco::DateTimeFormat::ISO8601_FRAC_FORMAT);
}

/// Begins a transaction that rolls back unless committed (exceptions included).
class WriteTransaction {
 public:
  /// SQLite takes the write lock at BEGIN IMMEDIATE, so two writers never
  /// deadlock upgrading; PostgreSQL locks rows as it goes.
  explicit WriteTransaction(Sql& sql) : sql_(sql) {
    sql_.run(sql_.postgres() ? "BEGIN" : "BEGIN IMMEDIATE");
  }
  ~WriteTransaction() {
    if (!committed_) {
      try {
        sql_.run("ROLLBACK");
      } catch (...) {
        // The connection is broken; the next statement reports it.
      }
    }
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit() {
    sql_.run("COMMIT");
    committed_ = true;
  }

 private:
  Sql& sql_;
  bool committed_ = false;
};

/// Ends claims held in memory (SQLite) when the transitions of the claimed
/// rows return, whether their write was committed or failed (then the rows
/// are claimed again later).
class ClaimEnd {
 public:
  ClaimEnd(std::mutex& mutex, std::unordered_set<std::int64_t>& claims,
           std::vector<std::int64_t> ids)
      : mutex_(mutex), claims_(claims), ids_(std::move(ids)) {}
  ~ClaimEnd() {
    std::lock_guard lock(mutex_);
    for (const std::int64_t id : ids_) {
      claims_.erase(id);
    }
  }
  ClaimEnd(const ClaimEnd&) = delete;
  ClaimEnd& operator=(const ClaimEnd&) = delete;

 private:
  std::mutex& mutex_;
  std::unordered_set<std::int64_t>& claims_;
  std::vector<std::int64_t> ids_;
};

/// The first of a batch of at most one (the single-item calls on the batch ones).
template <class T>
std::optional<T> firstOf(std::vector<T>&& batch) {
  if (batch.empty()) {
    return std::nullopt;
  }
  return std::move(batch.front());
}

inline MessageState stateFromText(const std::string& text);

/// A message row's columns but the payload, as entryFrom() reads them.
inline constexpr const char* kEntryColumns =
    "id, partner, channel, control_id, message_type, state, reason, received_at, updated_at,"
    " attempts, format";

/// A JournalEntry from a row that starts with kEntryColumns (no payload).
inline JournalEntry entryFrom(const Rows& row) {
  JournalEntry entry;
  entry.id = row.integer(0);
  entry.partner = row.text(1);
  entry.channel = row.text(2);
  entry.control_id = row.text(3);
  entry.message_type = row.text(4);
  entry.state = stateFromText(row.text(5));
  entry.reason = row.text(6);
  entry.received_at = row.text(7);
  entry.updated_at = row.text(8);
  entry.attempts = static_cast<int>(row.integer(9));
  entry.format = row.text(10);
  return entry;
}

inline MessageState stateFromText(const std::string& text) {
  if (text == "translated") {
    return MessageState::kTranslated;
  }
  if (text == "delivered") {
    return MessageState::kDelivered;
  }
  if (text == "rejected") {
    return MessageState::kRejected;
  }
  if (text == "dead") {
    return MessageState::kDead;
  }
  if (text == "ignored") {
    return MessageState::kIgnored;
  }
  return MessageState::kReceived;
}

}  // namespace rtw::store::detail
