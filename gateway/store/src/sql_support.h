#pragma once
// Pieces the journal's source files share: timestamps and a transaction
// that rolls back unless committed. SQL is written once for both backends:
// parameters written `$n` (SQLite reads them too) and RETURNING.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_set>

#include <Poco/Data/Session.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>

#include "rtw/store/journal.h"

namespace rtw::store::detail {

using namespace Poco::Data::Keywords;

inline std::string nowText() {
  return Poco::DateTimeFormatter::format(Poco::DateTime(),
                                         Poco::DateTimeFormat::ISO8601_FRAC_FORMAT);
}

/// Begins a transaction that rolls back unless committed (exceptions included).
class WriteTransaction {
 public:
  /// SQLite takes the write lock at BEGIN IMMEDIATE, so two writers never
  /// deadlock upgrading; PostgreSQL locks rows as it goes.
  WriteTransaction(Poco::Data::Session& session, bool postgres) : session_(session) {
    session_ << (postgres ? "BEGIN" : "BEGIN IMMEDIATE"), now;
  }
  ~WriteTransaction() {
    if (!committed_) {
      try {
        session_ << "ROLLBACK", now;
      } catch (...) {
        // The connection is broken; the next statement reports it.
      }
    }
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit() {
    session_ << "COMMIT", now;
    committed_ = true;
  }

 private:
  Poco::Data::Session& session_;
  bool committed_ = false;
};

/// Ends a claim held in memory (SQLite) when a transition of the claimed row
/// returns, whether its write was committed or failed (then the row is
/// claimed again later).
class ClaimEnd {
 public:
  ClaimEnd(std::mutex& mutex, std::unordered_set<std::int64_t>& claims, std::int64_t id)
      : mutex_(mutex), claims_(claims), id_(id) {}
  ~ClaimEnd() {
    std::lock_guard lock(mutex_);
    claims_.erase(id_);
  }
  ClaimEnd(const ClaimEnd&) = delete;
  ClaimEnd& operator=(const ClaimEnd&) = delete;

 private:
  std::mutex& mutex_;
  std::unordered_set<std::int64_t>& claims_;
  std::int64_t id_;
};

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
  return MessageState::kReceived;
}

}  // namespace rtw::store::detail
