// What operators do with the journal: find messages, look at one, send a
// dead or rejected one through again, and purge old payloads.

#include <chrono>

#include <Poco/Data/Statement.h>

#include "rtw/store/journal.h"
#include "sql_support.h"

namespace rtw::store {

using namespace Poco::Data::Keywords;
using detail::nowText;
using detail::stateFromText;
using detail::WriteTransaction;

std::vector<JournalEntry> Journal::list(const MessageFilter& filter) {
  std::string sql =
      "SELECT m.id, m.partner, m.channel, m.control_id, m.message_type, m.state, m.reason,"
      " m.received_at, m.updated_at FROM messages m WHERE 1 = 1";
  std::vector<std::string> values;
  auto where = [&](const std::string& condition, const std::string& value,
                   const std::string& close = "") {
    if (!value.empty()) {
      values.push_back(value);
      sql += " AND " + condition + " $" + std::to_string(values.size()) + close;
    }
  };
  where("m.partner =", filter.partner);
  where("m.state =", filter.state);
  where("m.received_at >=", filter.received_from);
  where("m.received_at <", filter.received_until);
  where("m.id IN (SELECT o.message_id FROM outbox o WHERE o.claim_number =", filter.claim_number,
        ")");
  sql += " ORDER BY m.id DESC LIMIT " + std::to_string(filter.limit > 0 ? filter.limit : 100);

  std::lock_guard lock(mutex_);
  std::vector<std::int64_t> ids;
  std::vector<std::string> partners, channels, control_ids, types, states, reasons, received,
      updated;
  Poco::Data::Statement select(*session_);
  select << sql;
  for (const auto& value : values) {
    select, useRef(value);
  }
  select, into(ids), into(partners), into(channels), into(control_ids), into(types), into(states),
      into(reasons), into(received), into(updated);
  select.execute();
  std::vector<JournalEntry> entries(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    entries[i] = {ids[i],
                  partners[i],
                  channels[i],
                  control_ids[i],
                  types[i],
                  {},
                  stateFromText(states[i]),
                  reasons[i],
                  received[i],
                  updated[i]};
  }
  return entries;
}

std::vector<OutboxRow> Journal::outbox(std::int64_t message_id) {
  std::lock_guard lock(mutex_);
  std::vector<std::int64_t> ids;
  std::vector<int> attempts;
  std::vector<std::string> document_ids, types, claims, states, receipts, errors, updated;
  *session_ << "SELECT id, document_id, document_type, claim_number, state, attempts, receipt,"
               " last_error, updated_at FROM outbox WHERE message_id = $1 ORDER BY id",
      bind(message_id), into(ids), into(document_ids), into(types), into(claims), into(states),
      into(attempts), into(receipts), into(errors), into(updated), now;
  std::vector<OutboxRow> rows(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    rows[i] = {ids[i],      document_ids[i], types[i],  claims[i], states[i],
               attempts[i], receipts[i],     errors[i], updated[i]};
  }
  return rows;
}

std::string Journal::ack(std::int64_t message_id) {
  std::lock_guard lock(mutex_);
  std::string ack;
  *session_ << "SELECT ack FROM messages WHERE id = $1", bind(message_id), into(ack), now;
  return ack;
}

bool Journal::reprocess(std::int64_t message_id) {
  std::lock_guard lock(mutex_);
  auto& s = *session_;
  WriteTransaction tx(s, postgres());
  const std::optional<JournalEntry> entry = readEntry(*session_, message_id);
  if (!entry || (entry->state != MessageState::kDead && entry->state != MessageState::kRejected)) {
    return false;
  }
  const std::string at = nowText();
  if (entry->state == MessageState::kDead) {
    const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
    s << "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = 0,"
         " lease_until_ms = 0, queued_ms = $1, updated_at = $2"
         " WHERE message_id = $3 AND state = 'dead'",
        bind(now_ms), useRef(at), bind(message_id), now;
    s << "UPDATE messages SET state = 'translated', reason = '', updated_at = $1 WHERE id = $2",
        useRef(at), bind(message_id), now;
  } else {
    s << "UPDATE messages SET state = 'received', reason = '', lease_until_ms = 0,"
         " updated_at = $1 WHERE id = $2",
        useRef(at), bind(message_id), now;
  }
  tx.commit();
  return true;
}

std::int64_t Journal::purgePayloads(const std::string& before) {
  std::lock_guard lock(mutex_);
  auto& s = *session_;
  WriteTransaction tx(s, postgres());
  const std::string empty = postgres() ? "''::bytea" : "x''";
  s << "UPDATE outbox SET body = " + empty +
           " WHERE message_id IN (SELECT id FROM messages"
           " WHERE state = 'delivered' AND updated_at < $1 AND length(payload) > 0)",
      useRef(before), now;
  Poco::Data::Statement messages(s);
  messages << "UPDATE messages SET payload = " + empty +
                  " WHERE state = 'delivered' AND updated_at < $1 AND length(payload) > 0",
      useRef(before);
  const std::int64_t purged = static_cast<std::int64_t>(messages.execute());
  tx.commit();
  return purged;
}

}  // namespace rtw::store
