// Who works on what: the translate worker's claim on a received message,
// the delivery workers' claims on outbox rows, and the ends of a delivery.
//
// SQLite serves one process: the translate worker takes the oldest received
// message and delivery claims live in memory (after a crash nothing is
// claimed). PostgreSQL serves several instances: a claim is a lease written
// in the row, taken with FOR UPDATE SKIP LOCKED so two instances never take
// the same row, and a lease that runs out (its instance died) is taken again.

#include <algorithm>

#include "rtw/store/journal.h"
#include "sql_support.h"

namespace rtw::store {

using detail::ClaimEnd;
using detail::nowText;
using detail::Rows;

namespace {

// An outbox row with an order key waits while an earlier document with the
// same key is pending, or while an earlier message of its partner is not
// translated yet (its documents and their keys are not known).
constexpr const char* kInOrder =
    " AND (o.order_key = '' OR (NOT EXISTS (SELECT 1 FROM outbox e WHERE e.order_key = o.order_key"
    "   AND e.state = 'pending'"
    "   AND (e.message_id < o.message_id OR (e.message_id = o.message_id AND e.id < o.id)))"
    " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.partner = o.partner"
    "   AND m.id < o.message_id AND m.state = 'received')))";

// Messages out of attempts set aside per claim (the rest, next time).
constexpr std::size_t kSetAsidePerClaim = 16;

}  // namespace

namespace {

std::string outOfAttemptsReason(int attempts) {
  return "set aside: translation did not finish in " + std::to_string(attempts) +
         " attempts (the gateway stopped or failed while translating it); fix the cause, then "
         "rtwctl messages reprocess";
}

}  // namespace

bool Journal::suspectInFlight() const {
  return suspect_in_flight_ != 0 && translating_.count(suspect_in_flight_) != 0;
}

// SQLite: one process, claims in memory. Oldest first. A message whose last
// attempt did not finish is suspect: it runs alone, with nothing else of
// this process in translation, so that if it takes the process down again
// no other message loses an attempt with it.
Journal::ReceivedClaim Journal::claimReceived(std::int64_t /*now_ms*/, std::size_t max) {
  ReceivedClaim claim;
  if (suspectInFlight()) {
    return claim;
  }
  // Enough candidates to get past the messages this process's workers hold,
  // and a few out of attempts.
  Rows candidates = reader().run(
      "SELECT id, attempts FROM messages WHERE state = 'received' ORDER BY id LIMIT $1",
      static_cast<std::int64_t>(translating_.size() + max + kSetAsidePerClaim));
  while (claim.ids.size() < max && candidates.next()) {
    const std::int64_t id = candidates.integer(0);
    const std::int64_t attempts = candidates.integer(1);
    if (translating_.count(id) != 0) {
      continue;
    }
    if (attempts >= options_.translation_attempts) {
      if (claim.set_aside.size() < kSetAsidePerClaim) {
        claim.set_aside.push_back(id);
      }
      continue;
    }
    if (attempts > 0) {
      if (claim.ids.empty() && translating_.empty()) {
        translating_.insert(id);
        claim.ids.push_back(id);
        suspect_in_flight_ = id;
      }
      break;  // alone, once the others are done
    }
    translating_.insert(id);
    claim.ids.push_back(id);
  }
  return claim;
}

void Journal::countAttempts(ReceivedClaim& claim) {
  if (claim.ids.empty() && claim.set_aside.empty()) {
    return;
  }
  // An attempt that ended in a journal failure (see finishTranslations) is
  // given back: SQLite does not count this one, PostgreSQL (which counted
  // it in the lease) takes one off.
  std::vector<std::int64_t> refunded;
  {
    std::lock_guard lock(readerMutex());
    for (const std::int64_t id : claim.ids) {
      if (uncounted_.count(id) != 0) {
        refunded.push_back(id);
      }
    }
  }
  if (postgres() && refunded.empty()) {
    return;  // counted and set aside in the claim itself
  }
  auto isRefunded = [&](std::int64_t id) {
    return std::find(refunded.begin(), refunded.end(), id) != refunded.end();
  };
  std::vector<std::int64_t> set_aside;
  write([&] {
    set_aside.clear();
    const std::string at = nowText();
    for (const std::int64_t id : claim.ids) {
      if (postgres() && isRefunded(id)) {
        sql_->run("UPDATE messages SET attempts = attempts - 1 WHERE id = $1 AND attempts > 0", id);
      } else if (!postgres() && !isRefunded(id)) {
        sql_->run("UPDATE messages SET attempts = attempts + 1 WHERE id = $1", id);
      }
    }
    if (postgres()) {
      return;  // set aside in the claim
    }
    for (const std::int64_t id : claim.set_aside) {
      Rows changed = sql_->run(
          "UPDATE messages SET state = 'dead', reason = $1, updated_at = $2"
          " WHERE id = $3 AND state = 'received' RETURNING id",
          outOfAttemptsReason(options_.translation_attempts), at, id);
      if (changed.next()) {
        set_aside.push_back(id);  // not set aside already by another worker's claim
      }
    }
  });
  if (!postgres()) {
    claim.set_aside = std::move(set_aside);
  }
  std::lock_guard lock(readerMutex());
  for (const std::int64_t id : refunded) {
    uncounted_.erase(id);
  }
}

// PostgreSQL: instances share the table; each claim is a lease taken with
// SKIP LOCKED, and the attempt is counted in the same UPDATE (committed by
// itself). Out of attempts first; then a suspect (see claimReceived), alone
// and with nothing else of this instance in translation; else fresh ones,
// unless a suspect waits for this instance's translations to end.
Journal::ReceivedClaim Journal::claimReceivedShared(std::int64_t now_ms, std::size_t max) {
  auto& s = reader();
  ReceivedClaim claim;
  if (suspectInFlight()) {
    return claim;
  }
  auto ids = [](Rows rows) {
    std::vector<std::int64_t> found;
    while (rows.next()) {
      found.push_back(rows.integer(0));
    }
    std::sort(found.begin(), found.end());  // RETURNING keeps no order
    return found;
  };
  claim.set_aside = ids(s.run(
      "UPDATE messages SET state = 'dead', reason = $1, lease_until_ms = 0, updated_at = $2"
      " WHERE id IN (SELECT id FROM messages WHERE state = 'received' AND lease_until_ms <= $3"
      " AND attempts >= $4 ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED) RETURNING id",
      outOfAttemptsReason(options_.translation_attempts), nowText(), now_ms,
      static_cast<std::int64_t>(options_.translation_attempts),
      static_cast<std::int64_t>(kSetAsidePerClaim)));
  static const std::string lease =
      "UPDATE messages SET lease_owner = $1, lease_until_ms = $2, attempts = attempts + 1"
      " WHERE id IN (SELECT id FROM messages WHERE state = 'received' AND lease_until_ms <= $3"
      " AND attempts ";
  if (translating_.empty()) {
    claim.ids = ids(s.run(lease + "> 0 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id",
                          options_.owner, now_ms + options_.lease_ms, now_ms));
    if (!claim.ids.empty()) {
      suspect_in_flight_ = claim.ids.front();
    }
  } else {
    Rows waiting = s.run(
        "SELECT 1 FROM messages WHERE state = 'received' AND lease_until_ms <= $1"
        " AND attempts > 0 LIMIT 1",
        now_ms);
    if (waiting.next()) {
      return claim;
    }
  }
  if (claim.ids.empty()) {
    claim.ids = ids(s.run(lease + "= 0 ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING id",
                          options_.owner, now_ms + options_.lease_ms, now_ms,
                          static_cast<std::int64_t>(max)));
  }
  translating_.insert(claim.ids.begin(), claim.ids.end());
  return claim;
}

void Journal::releaseReceived(std::int64_t message_id) {
  std::lock_guard lock(readerMutex());
  translating_.erase(message_id);
  if (postgres()) {
    reader().run("UPDATE messages SET lease_until_ms = 0 WHERE id = $1 AND lease_owner = $2",
                 message_id, options_.owner);
  }
}

std::vector<std::int64_t> Journal::claimDue(std::int64_t now_ms, std::size_t max) {
  auto& s = reader();
  std::vector<std::int64_t> claimed;
  if (postgres()) {
    // Two due rows with one order key are both "first" to this query (the
    // other is still pending): only the earlier is taken.
    static const std::string claim =
        std::string(
            "UPDATE outbox SET lease_owner = $1, lease_until_ms = $2 WHERE id IN ("
            " SELECT o.id FROM outbox o WHERE o.state = 'pending'"
            " AND o.next_attempt_ms <= $3 AND o.lease_until_ms <= $3") +
        kInOrder +
        " ORDER BY o.next_attempt_ms, o.id LIMIT $4 FOR UPDATE OF o SKIP LOCKED)"
        " RETURNING id";
    Rows rows = s.run(claim, options_.owner, now_ms + options_.lease_ms, now_ms,
                      static_cast<std::int64_t>(max));
    while (rows.next()) {
      claimed.push_back(rows.integer(0));
    }
    std::sort(claimed.begin(), claimed.end());
    return claimed;
  }
  // Enough candidates to get past the rows this process's workers hold.
  static const std::string due = std::string(
                                     "SELECT o.id FROM outbox o WHERE o.state = 'pending'"
                                     " AND o.next_attempt_ms <= $1") +
                                 kInOrder + " ORDER BY o.next_attempt_ms, o.id LIMIT $2";
  Rows candidates = s.run(due, now_ms, static_cast<std::int64_t>(in_flight_.size() + max));
  while (claimed.size() < max && candidates.next()) {
    if (const std::int64_t id = candidates.integer(0); in_flight_.insert(id).second) {
      claimed.push_back(id);
    }
  }
  return claimed;
}

std::optional<OutboxItem> Journal::nextDue(std::int64_t now_ms) {
  return detail::firstOf(nextDue(now_ms, 1));
}

std::vector<OutboxItem> Journal::nextDue(std::int64_t now_ms, std::size_t max) {
  std::lock_guard lock(readerMutex());
  ensureConnected();
  const std::vector<std::int64_t> ids = claimDue(now_ms, max);
  std::vector<OutboxItem> items;
  items.reserve(ids.size());
  try {
    for (const std::int64_t id : ids) {
      Rows read = reader().run(
          "SELECT id, message_id, document_id, document_type, body, attempts, queued_ms"
          " FROM outbox WHERE id = $1",
          id);
      if (!read.next()) {
        throw std::runtime_error("outbox row " + std::to_string(id) + " vanished");
      }
      OutboxItem& item = items.emplace_back();
      item.id = read.integer(0);
      item.message_id = read.integer(1);
      item.document.document_id = read.text(2);
      item.document.document_type = read.text(3);
      item.document.body = read.bytes(4);
      item.attempts = static_cast<int>(read.integer(5));
      item.queued_ms = read.integer(6);
    }
  } catch (...) {
    for (const std::int64_t id : ids) {
      in_flight_.erase(id);  // given back (SQLite); a PostgreSQL lease runs out
    }
    throw;
  }
  return items;
}

void Journal::release(std::int64_t outbox_id) {
  std::lock_guard lock(readerMutex());
  in_flight_.erase(outbox_id);
  if (postgres()) {
    reader().run("UPDATE outbox SET lease_until_ms = 0 WHERE id = $1 AND lease_owner = $2",
                 outbox_id, options_.owner);
  }
}

void Journal::markDelivered(std::int64_t outbox_id, const std::string& receipt) {
  finishDeliveries({{outbox_id, DeliveryResultRecord::Kind::kDelivered, receipt}});
}

void Journal::scheduleRetry(std::int64_t outbox_id, std::int64_t next_attempt_ms,
                            const std::string& error) {
  finishDeliveries({{outbox_id, DeliveryResultRecord::Kind::kRetry, error, next_attempt_ms}});
}

void Journal::markDead(std::int64_t outbox_id, const std::string& reason) {
  finishDeliveries({{outbox_id, DeliveryResultRecord::Kind::kDead, reason}});
}

void Journal::finishDeliveries(const std::vector<DeliveryResultRecord>& results) {
  std::vector<std::int64_t> ids;
  for (const auto& result : results) {
    ids.push_back(result.outbox_id);
  }
  const ClaimEnd end(readerMutex(), in_flight_, std::move(ids));
  write([&] {
    const std::string at = nowText();
    for (const auto& result : results) {
      finishDelivery(result, at);
    }
  });
}

void Journal::finishDelivery(const DeliveryResultRecord& result, const std::string& at) {
  auto& s = *sql_;
  using Kind = DeliveryResultRecord::Kind;
  if (result.kind == Kind::kRetry) {
    s.run(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = $1,"
        " last_error = $2, lease_until_ms = 0, updated_at = $3"
        " WHERE id = $4 AND state = 'pending'",
        result.next_attempt_ms, result.text, at, result.outbox_id);
    return;
  }
  // Still pending: another instance may have delivered it after this one's
  // lease ran out (the board answered both with the same receipt).
  std::int64_t message_id = 0;
  {
    Rows updated =
        result.kind == Kind::kDelivered
            ? s.run(
                  "UPDATE outbox SET state = 'delivered', receipt = $1, attempts = attempts + 1,"
                  " lease_until_ms = 0, updated_at = $2 WHERE id = $3 AND state = 'pending'"
                  " RETURNING message_id",
                  result.text, at, result.outbox_id)
            : s.run(
                  "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = $1,"
                  " lease_until_ms = 0, updated_at = $2 WHERE id = $3 AND state = 'pending'"
                  " RETURNING message_id",
                  result.text, at, result.outbox_id);
    if (!updated.next()) {
      return;
    }
    message_id = updated.integer(0);
  }
  if (result.kind == Kind::kDead) {
    s.run("UPDATE messages SET state = 'dead', reason = $1, updated_at = $2 WHERE id = $3",
          result.text, at, message_id);
  } else {
    refreshMessageState(message_id, at);
  }
}

void Journal::refreshMessageState(std::int64_t message_id, const std::string& at) {
  // A message is delivered when none of its documents is still pending or dead.
  std::int64_t open = 0;
  {
    Rows count = sql_->run(
        "SELECT COUNT(*) FROM outbox WHERE message_id = $1 AND state != 'delivered'", message_id);
    open = count.next() ? count.integer(0) : 0;
  }
  if (open == 0) {
    sql_->run("UPDATE messages SET state = 'delivered', updated_at = $1 WHERE id = $2", at,
              message_id);
  }
}

}  // namespace rtw::store
