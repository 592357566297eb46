// Who works on what: the translate worker's claim on a received message,
// the delivery workers' claims on outbox rows, and the ends of a delivery.
//
// SQLite serves one process: the translate worker takes the oldest received
// message and delivery claims live in memory (after a crash nothing is
// claimed). PostgreSQL serves several instances: a claim is a lease written
// in the row, taken with FOR UPDATE SKIP LOCKED so two instances never take
// the same row, and a lease that runs out (its instance died) is taken again.

#include <Poco/Data/Statement.h>

#include "prepared.h"
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
  auto& claim = read_->claim_received;
  if (postgres()) {
    auto& v = claim.on(reader(), [](Poco::Data::Statement& s, detail::ClaimValues& bound) {
      s << "UPDATE messages SET lease_owner = $1, lease_until_ms = $2 WHERE id = ("
           " SELECT id FROM messages WHERE state = 'received' AND lease_until_ms <= $3"
           " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id",
          use(bound.owner), use(bound.until), use(bound.now), into(bound.id);
    });
    v.owner = options_.owner;
    v.until = now_ms + options_.lease_ms;
    v.now = now_ms;
    if (claim.execute() == 0) {
      return std::nullopt;
    }
    return v.id;
  }
  // Enough candidates to get past the messages this process's workers hold.
  auto& v = claim.on(reader(), [](Poco::Data::Statement& s, detail::ClaimValues& bound) {
    s << "SELECT id FROM messages WHERE state = 'received' ORDER BY id LIMIT $1", use(bound.limit),
        into(bound.ids);
  });
  v.limit = static_cast<std::int64_t>(translating_.size()) + 1;
  v.ids.clear();
  claim.execute();
  for (const std::int64_t id : v.ids) {
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
  auto& claim = read_->claim_due;
  if (postgres()) {
    auto& v = claim.on(reader(), [](Poco::Data::Statement& s, detail::ClaimValues& bound) {
      s << std::string(
               "UPDATE outbox SET lease_owner = $1, lease_until_ms = $2 WHERE id = ("
               " SELECT o.id FROM outbox o WHERE o.state = 'pending'"
               " AND o.next_attempt_ms <= $3 AND o.lease_until_ms <= $3") +
               kInOrder +
               " ORDER BY o.next_attempt_ms, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED)"
               " RETURNING id",
          use(bound.owner), use(bound.until), use(bound.now), into(bound.id);
    });
    v.owner = options_.owner;
    v.until = now_ms + options_.lease_ms;
    v.now = now_ms;
    if (claim.execute() == 0) {
      return std::nullopt;
    }
    return v.id;
  }
  // Enough candidates to get past the rows this process's workers hold.
  auto& v = claim.on(reader(), [](Poco::Data::Statement& s, detail::ClaimValues& bound) {
    s << std::string(
             "SELECT o.id FROM outbox o WHERE o.state = 'pending'"
             " AND o.next_attempt_ms <= $1") +
             kInOrder + " ORDER BY o.next_attempt_ms, o.id LIMIT $2",
        use(bound.now), use(bound.limit), into(bound.ids);
  });
  v.now = now_ms;
  v.limit = static_cast<std::int64_t>(in_flight_.size()) + 1;
  v.ids.clear();
  claim.execute();
  for (const std::int64_t id : v.ids) {
    if (in_flight_.insert(id).second) {
      return id;
    }
  }
  return std::nullopt;
}

std::optional<OutboxItem> Journal::nextDue(std::int64_t now_ms) {
  std::lock_guard lock(readerMutex());
  ensureConnected();
  return readAfterFailure([&]() -> std::optional<OutboxItem> {
    const std::optional<std::int64_t> id = claimDue(now_ms);
    if (!id) {
      return std::nullopt;
    }
    try {
      return readItem(*id);
    } catch (...) {
      in_flight_.erase(*id);  // SQLite; a PostgreSQL lease runs out
      throw;
    }
  });
}

OutboxItem Journal::readItem(std::int64_t id) {
  auto& read = read_->item;
  auto& v = read.on(reader(), [](Poco::Data::Statement& s, detail::ItemValues& bound) {
    s << "SELECT id, message_id, document_id, document_type, body, attempts, queued_ms"
         " FROM outbox WHERE id = $1",
        use(bound.key), into(bound.id), into(bound.message_id), into(bound.document_id),
        into(bound.document_type), into(bound.body), into(bound.attempts), into(bound.queued_ms);
  });
  v.key = id;
  read.execute();
  OutboxItem item;
  item.id = v.id;
  item.message_id = v.message_id;
  item.document.document_id = v.document_id;
  item.document.document_type = v.document_type;
  item.document.body.assign(v.body.rawContent(), v.body.rawContent() + v.body.size());
  item.attempts = v.attempts;
  item.queued_ms = v.queued_ms;
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
    // Still pending: another instance may have delivered it after this one's
    // lease ran out (the board answered both with the same receipt).
    auto& update = written_->delivered;
    auto& v = update.on(*session_, [](Poco::Data::Statement& s, detail::DeliveredValues& bound) {
      s << "UPDATE outbox SET state = 'delivered', receipt = $1, attempts = attempts + 1,"
           " lease_until_ms = 0, updated_at = $2 WHERE id = $3 AND state = 'pending'"
           " RETURNING message_id",
          use(bound.receipt), use(bound.at), use(bound.outbox_id), into(bound.message_id);
    });
    v.receipt = receipt;
    v.at = nowText();
    v.outbox_id = outbox_id;
    if (update.execute() > 0) {
      refreshMessageState(v.message_id);
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
  auto& count = written_->open_documents;
  auto& c = count.on(*session_, [](Poco::Data::Statement& s, detail::DeliveredValues& bound) {
    s << "SELECT COUNT(*) FROM outbox WHERE message_id = $1 AND state != 'delivered'",
        use(bound.message_id), into(bound.open);
  });
  c.message_id = message_id;
  count.execute();
  if (c.open == 0) {
    auto& update = written_->message_delivered;
    auto& u = update.on(*session_, [](Poco::Data::Statement& s, detail::DeliveredValues& bound) {
      s << "UPDATE messages SET state = 'delivered', updated_at = $1 WHERE id = $2", use(bound.at),
          use(bound.message_id);
    });
    u.at = nowText();
    u.message_id = message_id;
    update.execute();
  }
}

}  // namespace rtw::store
