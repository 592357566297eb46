// Who works on what: the translate worker's claim on a received message,
// the delivery workers' claims on outbox rows, and the ends of a delivery.
//
// SQLite serves one process: the translate worker takes the oldest received
// message and delivery claims live in memory (after a crash nothing is
// claimed). PostgreSQL serves several instances: a claim is a lease written
// in the row, taken with FOR UPDATE SKIP LOCKED so two instances never take
// the same row, and a lease that runs out (its instance died) is taken again.

#include <Poco/Data/Statement.h>

#include "rtw/store/journal.h"
#include "sql_support.h"

namespace rtw::store {

using detail::ClaimEnd;
using detail::nowText;
using namespace Poco::Data::Keywords;

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

}  // namespace

std::optional<std::int64_t> Journal::claimReceived(std::int64_t now_ms) {
  if (postgres()) {
    std::int64_t id = 0;
    Poco::Data::Statement claim(reader());
    const std::int64_t until = now_ms + options_.lease_ms;
    claim << "UPDATE messages SET lease_owner = $1, lease_until_ms = $2 WHERE id = ("
             " SELECT id FROM messages WHERE state = 'received' AND lease_until_ms <= $3"
             " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id",
        useRef(options_.owner), bind(until), bind(now_ms), into(id);
    if (claim.execute() == 0) {
      return std::nullopt;
    }
    return id;
  }
  // Enough candidates to get past the messages this process's workers hold.
  std::vector<std::int64_t> candidates;
  reader() << "SELECT id FROM messages WHERE state = 'received' ORDER BY id LIMIT $1",
      bind(static_cast<std::int64_t>(translating_.size()) + 1), into(candidates), now;
  for (const std::int64_t id : candidates) {
    if (translating_.insert(id).second) {
      return id;
    }
  }
  return std::nullopt;
}

void Journal::releaseReceived(std::int64_t message_id) {
  std::lock_guard lock(readerMutex());
  translating_.erase(message_id);
  if (postgres()) {
    reader() << "UPDATE messages SET lease_until_ms = 0 WHERE id = $1 AND lease_owner = $2",
        bind(message_id), useRef(options_.owner), now;
  }
}

std::optional<std::int64_t> Journal::claimDue(std::int64_t now_ms) {
  auto& s = reader();
  if (postgres()) {
    std::int64_t id = 0;
    const std::int64_t until = now_ms + options_.lease_ms;
    Poco::Data::Statement claim(s);
    claim << std::string(
                 "UPDATE outbox SET lease_owner = $1, lease_until_ms = $2 WHERE id = ("
                 " SELECT o.id FROM outbox o WHERE o.state = 'pending'"
                 " AND o.next_attempt_ms <= $3 AND o.lease_until_ms <= $3") +
                 kInOrder +
                 " ORDER BY o.next_attempt_ms, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED)"
                 " RETURNING id",
        useRef(options_.owner), bind(until), bind(now_ms), into(id);
    if (claim.execute() == 0) {
      return std::nullopt;
    }
    return id;
  }
  // Enough candidates to get past the rows this process's workers hold.
  std::vector<std::int64_t> candidates;
  s << std::string(
           "SELECT o.id FROM outbox o WHERE o.state = 'pending'"
           " AND o.next_attempt_ms <= $1") +
           kInOrder + " ORDER BY o.next_attempt_ms, o.id LIMIT $2",
      bind(now_ms), bind(static_cast<std::int64_t>(in_flight_.size()) + 1), into(candidates), now;
  for (const std::int64_t id : candidates) {
    if (in_flight_.insert(id).second) {
      return id;
    }
  }
  return std::nullopt;
}

std::optional<OutboxItem> Journal::nextDue(std::int64_t now_ms) {
  std::lock_guard lock(readerMutex());
  ensureConnected();
  const std::optional<std::int64_t> id = claimDue(now_ms);
  if (!id) {
    return std::nullopt;
  }
  OutboxItem item;
  Poco::Data::BLOB body;
  try {
    reader() << "SELECT id, message_id, document_id, document_type, body, attempts, queued_ms"
                " FROM outbox WHERE id = $1",
        bind(*id), into(item.id), into(item.message_id), into(item.document.document_id),
        into(item.document.document_type), into(body), into(item.attempts), into(item.queued_ms),
        now;
  } catch (...) {
    in_flight_.erase(*id);  // given back (SQLite); a PostgreSQL lease runs out
    throw;
  }
  item.document.body.assign(body.rawContent(), body.rawContent() + body.size());
  return item;
}

void Journal::release(std::int64_t outbox_id) {
  std::lock_guard lock(readerMutex());
  in_flight_.erase(outbox_id);
  if (postgres()) {
    reader() << "UPDATE outbox SET lease_until_ms = 0 WHERE id = $1 AND lease_owner = $2",
        bind(outbox_id), useRef(options_.owner), now;
  }
}

void Journal::markDelivered(std::int64_t outbox_id, const std::string& receipt) {
  const ClaimEnd end(readerMutex(), in_flight_, outbox_id);
  write([&] {
    const std::string at = nowText();
    std::int64_t message_id = 0;
    Poco::Data::Statement update(*session_);
    // Still pending: another instance may have delivered it after this one's
    // lease ran out (the board answered both with the same receipt).
    update << "UPDATE outbox SET state = 'delivered', receipt = $1, attempts = attempts + 1,"
              " lease_until_ms = 0, updated_at = $2 WHERE id = $3 AND state = 'pending'"
              " RETURNING message_id",
        useRef(receipt), useRef(at), bind(outbox_id), into(message_id);
    if (update.execute() > 0) {
      refreshMessageState(message_id);
    }
  });
}

void Journal::scheduleRetry(std::int64_t outbox_id, std::int64_t next_attempt_ms,
                            const std::string& error) {
  const ClaimEnd end(readerMutex(), in_flight_, outbox_id);
  write([&] {
    const std::string at = nowText();
    *session_ << "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = $1,"
                 " last_error = $2, lease_until_ms = 0, updated_at = $3"
                 " WHERE id = $4 AND state = 'pending'",
        bind(next_attempt_ms), useRef(error), useRef(at), bind(outbox_id), now;
  });
}

void Journal::markDead(std::int64_t outbox_id, const std::string& reason) {
  const ClaimEnd end(readerMutex(), in_flight_, outbox_id);
  write([&] {
    const std::string at = nowText();
    std::int64_t message_id = 0;
    Poco::Data::Statement update(*session_);
    update << "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = $1,"
              " lease_until_ms = 0, updated_at = $2 WHERE id = $3 AND state = 'pending'"
              " RETURNING message_id",
        useRef(reason), useRef(at), bind(outbox_id), into(message_id);
    if (update.execute() > 0) {
      *session_ << "UPDATE messages SET state = 'dead', reason = $1, updated_at = $2 WHERE id = $3",
          useRef(reason), useRef(at), bind(message_id), now;
    }
  });
}

void Journal::refreshMessageState(std::int64_t message_id) {
  // A message is delivered when none of its documents is still pending or dead.
  std::int64_t open = 0;
  *session_ << "SELECT COUNT(*) FROM outbox WHERE message_id = $1 AND state != 'delivered'",
      bind(message_id), into(open), now;
  if (open == 0) {
    const std::string at = nowText();
    *session_ << "UPDATE messages SET state = 'delivered', updated_at = $1 WHERE id = $2",
        useRef(at), bind(message_id), now;
  }
}

}  // namespace rtw::store
