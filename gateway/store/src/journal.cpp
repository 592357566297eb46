#include "rtw/store/journal.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/UUIDGenerator.h>

#include "sqlite_support.h"

namespace rtw::store {

using detail::nowText;
using detail::stateFromText;
using detail::WriteTransaction;

using namespace Poco::Data::Keywords;

namespace {

constexpr int kSchemaVersion = 1;

}  // namespace

std::string_view toString(MessageState state) {
  switch (state) {
    case MessageState::kReceived:
      return "received";
    case MessageState::kTranslated:
      return "translated";
    case MessageState::kDelivered:
      return "delivered";
    case MessageState::kRejected:
      return "rejected";
    case MessageState::kDead:
      return "dead";
  }
  return "received";
}

Journal::Journal(const std::filesystem::path& file, JournalOptions options) : options_(options) {
  Poco::Data::SQLite::Connector::registerConnector();
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path());
  }
  try {
    session_ = std::make_unique<Poco::Data::Session>("SQLite", file.string());
    // SQLite autocommits each statement; WriteTransaction groups a state change.
    *session_ << "PRAGMA journal_mode=WAL", now;
    *session_ << "PRAGMA synchronous=FULL", now;
    *session_ << "PRAGMA foreign_keys=ON", now;
    *session_ << "PRAGMA busy_timeout=5000", now;
    migrate();
  } catch (const Poco::Exception& e) {
    // Even reading needs the WAL index (<file>-shm) sized on disk: on a full
    // file system the journal cannot be opened at all, and SQLite only says
    // "I/O error". Name the file and the likely cause.
    throw StoreUnavailable("cannot open the journal " + file.string() + ": " + e.displayText() +
                           " (is its file system full or read-only?)");
  }
  if (options_.max_pages > 0) {
    setMaxPages(options_.max_pages);
  }
}

Journal::~Journal() = default;

void Journal::migrate() {
  auto& s = *session_;
  // instance: a random id made with the journal, so that document ids derived
  // from message ids differ between two journals (a reinstall must not reuse
  // Idempotency-Keys the board already holds).
  s << "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, instance TEXT NOT "
       "NULL)",
      now;
  int version = 0;
  Poco::Data::Statement read(s);
  read << "SELECT version, instance FROM schema_version", into(version), into(instance_id_);
  if (read.execute() == 0) {
    WriteTransaction tx(s);
    s << "CREATE TABLE messages ("
         " id INTEGER PRIMARY KEY,"
         " partner TEXT NOT NULL, channel TEXT NOT NULL, sender TEXT NOT NULL,"
         " control_id TEXT NOT NULL, message_type TEXT NOT NULL,"
         " payload BLOB NOT NULL, ack TEXT NOT NULL,"
         " state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',"
         " received_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
         " UNIQUE (partner, sender, control_id))",
        now;
    s << "CREATE INDEX messages_state ON messages (state, id)", now;
    s << "CREATE TABLE outbox ("
         " id INTEGER PRIMARY KEY,"
         " message_id INTEGER NOT NULL REFERENCES messages (id),"
         " document_id TEXT NOT NULL UNIQUE, document_type TEXT NOT NULL, body BLOB NOT NULL,"
         " claim_number TEXT NOT NULL DEFAULT '',"
         " state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
         " next_attempt_ms INTEGER NOT NULL, receipt TEXT NOT NULL DEFAULT '',"
         " last_error TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL)",
        now;
    s << "CREATE INDEX outbox_due ON outbox (state, next_attempt_ms)", now;
    instance_id_ = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    s << "INSERT INTO schema_version (version, instance) VALUES (?, ?)", bind(kSchemaVersion),
        useRef(instance_id_), now;
    tx.commit();
  } else if (version != kSchemaVersion) {
    throw std::runtime_error("journal schema version " + std::to_string(version) +
                             " is not the supported version " + std::to_string(kSchemaVersion));
  }
}

std::optional<JournalEntry> Journal::nextReceived() {
  std::lock_guard lock(mutex_);
  Poco::Data::Statement find(*session_);
  std::int64_t id = 0;
  find << "SELECT id FROM messages WHERE state = 'received' ORDER BY id LIMIT 1", into(id);
  if (find.execute() == 0) {
    return std::nullopt;
  }
  return readEntry(id);
}

void Journal::markTranslated(std::int64_t message_id,
                             const std::vector<OutboundDocument>& documents, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto& s = *session_;
  WriteTransaction tx(s);
  const std::string at = nowText();
  for (const auto& doc : documents) {
    Poco::Data::BLOB body(reinterpret_cast<const unsigned char*>(doc.body.data()), doc.body.size());
    s << "INSERT INTO outbox (message_id, document_id, document_type, body, claim_number, state,"
         " next_attempt_ms, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
        bind(message_id), useRef(doc.document_id), useRef(doc.document_type), use(body),
        useRef(doc.claim_number), bind(now_ms), useRef(at), now;
  }
  s << "UPDATE messages SET state = 'translated', updated_at = ? WHERE id = ? AND state = "
       "'received'",
      useRef(at), bind(message_id), now;
  tx.commit();
}

void Journal::markRejected(std::int64_t message_id, const std::string& reason) {
  std::lock_guard lock(mutex_);
  const std::string at = nowText();
  *session_ << "UPDATE messages SET state = 'rejected', reason = ?, updated_at = ? WHERE id = ?",
      useRef(reason), useRef(at), bind(message_id), now;
}

std::optional<OutboxItem> Journal::nextDue(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  // Several delivery workers share the outbox: skip the rows another worker
  // holds. The claim lives in memory: after a crash nothing is claimed.
  std::vector<std::int64_t> candidates;
  *session_ << "SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_ms <= ?"
               " ORDER BY next_attempt_ms, id LIMIT ?",
      bind(now_ms), bind(static_cast<int>(in_flight_.size()) + 1), into(candidates), now;
  for (const std::int64_t id : candidates) {
    if (in_flight_.count(id) != 0) {
      continue;
    }
    Poco::Data::Statement read(*session_);
    OutboxItem item;
    Poco::Data::BLOB body;
    read << "SELECT id, message_id, document_id, document_type, body, attempts FROM outbox"
            " WHERE id = ?",
        bind(id), into(item.id), into(item.message_id), into(item.document.document_id),
        into(item.document.document_type), into(body), into(item.attempts);
    read.execute();
    item.document.body.assign(body.rawContent(), body.rawContent() + body.size());
    in_flight_.insert(id);
    return item;
  }
  return std::nullopt;
}

void Journal::release(std::int64_t outbox_id) {
  std::lock_guard lock(mutex_);
  in_flight_.erase(outbox_id);
}

void Journal::markDelivered(std::int64_t outbox_id, const std::string& receipt) {
  std::lock_guard lock(mutex_);
  in_flight_.erase(outbox_id);
  auto& s = *session_;
  WriteTransaction tx(s);
  const std::string at = nowText();
  s << "UPDATE outbox SET state = 'delivered', receipt = ?, attempts = attempts + 1,"
       " updated_at = ? WHERE id = ?",
      useRef(receipt), useRef(at), bind(outbox_id), now;
  std::int64_t message_id = 0;
  s << "SELECT message_id FROM outbox WHERE id = ?", bind(outbox_id), into(message_id), now;
  refreshMessageState(message_id);
  tx.commit();
}

void Journal::scheduleRetry(std::int64_t outbox_id, std::int64_t next_attempt_ms,
                            const std::string& error) {
  std::lock_guard lock(mutex_);
  in_flight_.erase(outbox_id);
  const std::string at = nowText();
  *session_ << "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = ?, last_error = ?,"
               " updated_at = ? WHERE id = ?",
      bind(next_attempt_ms), useRef(error), useRef(at), bind(outbox_id), now;
}

void Journal::markDead(std::int64_t outbox_id, const std::string& reason) {
  std::lock_guard lock(mutex_);
  in_flight_.erase(outbox_id);
  auto& s = *session_;
  WriteTransaction tx(s);
  const std::string at = nowText();
  s << "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ?, updated_at = ?"
       " WHERE id = ?",
      useRef(reason), useRef(at), bind(outbox_id), now;
  std::int64_t message_id = 0;
  s << "SELECT message_id FROM outbox WHERE id = ?", bind(outbox_id), into(message_id), now;
  s << "UPDATE messages SET state = 'dead', reason = ?, updated_at = ? WHERE id = ?",
      useRef(reason), useRef(at), bind(message_id), now;
  tx.commit();
}

void Journal::refreshMessageState(std::int64_t message_id) {
  // A message is delivered when none of its documents is still pending or dead.
  int open = 0;
  *session_ << "SELECT COUNT(*) FROM outbox WHERE message_id = ? AND state != 'delivered'",
      bind(message_id), into(open), now;
  if (open == 0) {
    const std::string at = nowText();
    *session_ << "UPDATE messages SET state = 'delivered', updated_at = ? WHERE id = ?", useRef(at),
        bind(message_id), now;
  }
}

std::optional<JournalEntry> Journal::message(std::int64_t id) {
  std::lock_guard lock(mutex_);
  return readEntry(id);
}

std::optional<JournalEntry> Journal::readEntry(std::int64_t id) {
  Poco::Data::Statement read(*session_);
  JournalEntry entry;
  Poco::Data::BLOB payload;
  std::string state;
  read << "SELECT id, partner, channel, control_id, message_type, payload, state, reason,"
          " received_at, updated_at FROM messages WHERE id = ?",
      bind(id), into(entry.id), into(entry.partner), into(entry.channel), into(entry.control_id),
      into(entry.message_type), into(payload), into(state), into(entry.reason),
      into(entry.received_at), into(entry.updated_at);
  if (read.execute() == 0) {
    return std::nullopt;
  }
  entry.payload.assign(payload.rawContent(), payload.rawContent() + payload.size());
  entry.state = stateFromText(state);
  return entry;
}

StateCounts Journal::counts() {
  std::lock_guard lock(mutex_);
  StateCounts counts;
  std::vector<std::string> states;
  std::vector<std::int64_t> numbers;
  *session_ << "SELECT state, COUNT(*) FROM messages GROUP BY state", into(states), into(numbers),
      now;
  for (std::size_t i = 0; i < states.size(); ++i) {
    switch (stateFromText(states[i])) {
      case MessageState::kReceived:
        counts.received = numbers[i];
        break;
      case MessageState::kTranslated:
        counts.translated = numbers[i];
        break;
      case MessageState::kDelivered:
        counts.delivered = numbers[i];
        break;
      case MessageState::kRejected:
        counts.rejected = numbers[i];
        break;
      case MessageState::kDead:
        counts.dead = numbers[i];
        break;
    }
  }
  *session_ << "SELECT COUNT(*) FROM outbox WHERE state = 'pending'", into(counts.outbox_pending),
      now;
  return counts;
}

}  // namespace rtw::store
