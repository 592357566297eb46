// What operators do with the journal: find messages, look at one, send a
// dead or rejected one through again, and purge old payloads.

#include <chrono>

#include "rtw/store/journal.h"
#include "sql_support.h"

namespace rtw::store {

using detail::nowText;
using detail::Rows;
using detail::SqlValue;
using detail::WriteTransaction;

std::vector<JournalEntry> Journal::list(const MessageFilter& filter) {
  std::string sql = std::string("SELECT ") + detail::kEntryColumns + " FROM messages m WHERE 1 = 1";
  std::vector<SqlValue> values;
  auto where = [&](const std::string& condition, const std::string& value,
                   const std::string& close = "") {
    if (!value.empty()) {
      values.emplace_back(value);
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
  std::vector<JournalEntry> entries;
  Rows rows = sql_->execute(sql, values);
  while (rows.next()) {
    entries.push_back(detail::entryFrom(rows));
  }
  return entries;
}

std::vector<OutboxRow> Journal::outbox(std::int64_t message_id) {
  std::lock_guard lock(mutex_);
  std::vector<OutboxRow> result;
  Rows rows = sql_->run(
      "SELECT id, document_id, document_type, claim_number, state, attempts, receipt,"
      " last_error, updated_at FROM outbox WHERE message_id = $1 ORDER BY id",
      message_id);
  while (rows.next()) {
    result.push_back({rows.integer(0), rows.text(1), rows.text(2), rows.text(3), rows.text(4),
                      static_cast<int>(rows.integer(5)), rows.text(6), rows.text(7), rows.text(8)});
  }
  return result;
}

std::string Journal::ack(std::int64_t message_id) {
  std::lock_guard lock(mutex_);
  Rows rows = sql_->run("SELECT ack FROM messages WHERE id = $1", message_id);
  return rows.next() ? rows.text(0) : std::string();
}

bool Journal::reprocess(std::int64_t message_id) {
  std::lock_guard lock(mutex_);
  auto& s = *sql_;
  WriteTransaction tx(s);
  const std::optional<JournalEntry> entry = readEntry(s, message_id);
  if (!entry || (entry->state != MessageState::kDead && entry->state != MessageState::kRejected)) {
    return false;
  }
  const std::string at = nowText();
  std::int64_t documents = 0;
  {
    Rows outbox = s.run("SELECT COUNT(*) FROM outbox WHERE message_id = $1", message_id);
    documents = outbox.next() ? outbox.integer(0) : 0;
  }
  if (entry->state == MessageState::kDead && documents > 0) {
    const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
    s.run(
        "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_ms = 0,"
        " lease_until_ms = 0, queued_ms = $1, updated_at = $2"
        " WHERE message_id = $3 AND state = 'dead'",
        now_ms, at, message_id);
    s.run("UPDATE messages SET state = 'translated', reason = '', updated_at = $1 WHERE id = $2",
          at, message_id);
  } else {
    s.run(
        "UPDATE messages SET state = 'received', reason = '', lease_until_ms = 0,"
        " attempts = 0, updated_at = $1 WHERE id = $2",
        at, message_id);
  }
  tx.commit();
  return true;
}

std::int64_t Journal::purgePayloads(const std::string& before) {
  std::lock_guard lock(mutex_);
  auto& s = *sql_;
  WriteTransaction tx(s);
  const std::string empty = postgres() ? "''::bytea" : "x''";
  s.run("UPDATE outbox SET body = " + empty +
            " WHERE message_id IN (SELECT id FROM messages"
            " WHERE state = 'delivered' AND updated_at < $1 AND length(payload) > 0)",
        before);
  const std::int64_t purged =
      s.run("UPDATE messages SET payload = " + empty +
                " WHERE state = 'delivered' AND updated_at < $1 AND length(payload) > 0",
            before)
          .affected();
  tx.commit();
  return purged;
}

}  // namespace rtw::store
