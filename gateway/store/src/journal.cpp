#include "rtw/store/journal.h"

#include <libpq-fe.h>

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/Process.h>
#include <Poco/UUIDGenerator.h>

#include "sql_support.h"

namespace rtw::store {

using detail::ClaimEnd;
using detail::nowText;
using detail::stateFromText;

using namespace Poco::Data::Keywords;

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

Journal::Journal(const std::string& target, JournalOptions options)
    : options_(options), target_(target) {
  if (options_.owner.empty()) {
    options_.owner = Poco::Environment::nodeName() + ":" + std::to_string(Poco::Process::id());
  }
  try {
    open(target);
    migrate();
  } catch (const Poco::Exception& e) {
    // SQLite: even reading needs the WAL index (<file>-shm) sized on disk, so
    // on a full file system the journal cannot be opened at all, and SQLite
    // only says "I/O error". Name the journal (not a connection string: it
    // may hold a password) and the likely cause.
    throw StoreUnavailable(postgres()
                               ? "cannot open the PostgreSQL journal: " + e.displayText()
                               : "cannot open the journal " + target + ": " + e.displayText() +
                                     " (is its file system full or read-only?)");
  }
  if (options_.max_pages > 0) {
    setMaxPages(options_.max_pages);
  }
  startCheckpoints();
}

Journal::~Journal() { stopCheckpoints(); }

void Journal::startCheckpoints() {
  if (postgres() || options_.checkpoint_interval_ms <= 0) {
    return;
  }
  *session_ << "PRAGMA wal_autocheckpoint=0", now;
  checkpoint_thread_ = std::thread([this] {
    try {
      Poco::Data::Session checkpoints("SQLite", target_);
      checkpoints << "PRAGMA busy_timeout=1000", now;
      std::unique_lock lock(checkpoint_mutex_);
      while (!checkpoint_cv_.wait_for(lock,
                                      std::chrono::milliseconds(options_.checkpoint_interval_ms),
                                      [this] { return checkpoint_stop_; })) {
        lock.unlock();
        try {
          // PASSIVE: copies what no reader still needs, never blocks a writer.
          checkpoints << "PRAGMA wal_checkpoint(PASSIVE)", now;
        } catch (const Poco::Exception&) {
          // A full disk, say: the WAL keeps the data; the next round tries again.
        }
        lock.lock();
      }
    } catch (const Poco::Exception&) {
      // No second connection: the WAL grows until the next start checkpoints it.
    }
  });
}

void Journal::stopCheckpoints() {
  if (!checkpoint_thread_.joinable()) {
    return;
  }
  {
    std::lock_guard lock(checkpoint_mutex_);
    checkpoint_stop_ = true;
  }
  checkpoint_cv_.notify_all();
  checkpoint_thread_.join();
}

void Journal::open(const std::string& target) {
  if (options_.backend == Backend::kPostgresql) {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    session_ = std::make_unique<Poco::Data::Session>("PostgreSQL", target);
    return;
  }
  Poco::Data::SQLite::Connector::registerConnector();
  const std::filesystem::path file(target);
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path());
  }
  session_ = std::make_unique<Poco::Data::Session>("SQLite", file.string());
  // SQLite autocommits each statement; WriteTransaction groups a state change.
  *session_ << "PRAGMA journal_mode=WAL", now;
  *session_ << "PRAGMA synchronous=FULL", now;
  *session_ << "PRAGMA foreign_keys=ON", now;
  *session_ << "PRAGMA busy_timeout=5000", now;
  read_session_ = std::make_unique<Poco::Data::Session>("SQLite", file.string());
  *read_session_ << "PRAGMA busy_timeout=5000", now;
}

void Journal::ensureConnected() {
  if (postgres() && !session_->isGood()) {
    // Asked first without a session: POCO 1.11 leaks libpq's connection
    // object each time a connect fails, and this runs while the server is away.
    if (PQping(target_.c_str()) != PQPING_OK) {
      throw StoreUnavailable("the PostgreSQL journal's server does not answer");
    }
    open(target_);  // throws if it went away again, keeping the broken session
  }
}

bool Journal::postgres() const { return options_.backend == Backend::kPostgresql; }

std::optional<JournalEntry> Journal::nextReceived(std::int64_t now_ms) {
  std::lock_guard lock(readerMutex());
  ensureConnected();
  const std::optional<std::int64_t> id = claimReceived(now_ms);
  if (!id) {
    return std::nullopt;
  }
  try {
    return readEntry(reader(), *id);
  } catch (...) {
    translating_.erase(*id);  // given back (SQLite); a PostgreSQL lease runs out
    throw;
  }
}

void Journal::markTranslated(std::int64_t message_id,
                             const std::vector<OutboundDocument>& documents, std::int64_t now_ms) {
  const ClaimEnd end(readerMutex(), translating_, message_id);
  write([&] {
    auto& s = *session_;
    // Only from received: another instance may have translated it after this
    // one's lease ran out (its documents have the same ids).
    std::string state, partner;
    Poco::Data::Statement find(s);
    find << std::string("SELECT state, partner FROM messages WHERE id = $1") +
                (postgres() ? " FOR UPDATE" : ""),
        bind(message_id), into(state), into(partner);
    if (find.execute() == 0 || state != "received") {
      return;
    }
    const std::string at = nowText();
    for (const auto& doc : documents) {
      Poco::Data::BLOB body(reinterpret_cast<const unsigned char*>(doc.body.data()),
                            doc.body.size());
      s << "INSERT INTO outbox (message_id, document_id, document_type, body, claim_number,"
           " partner, order_key, state, next_attempt_ms, queued_ms, updated_at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10)",
          bind(message_id), useRef(doc.document_id), useRef(doc.document_type), use(body),
          useRef(doc.claim_number), useRef(partner), useRef(doc.order_key), bind(now_ms),
          bind(now_ms), useRef(at), now;
    }
    s << "UPDATE messages SET state = 'translated', lease_until_ms = 0, updated_at = $1"
         " WHERE id = $2",
        useRef(at), bind(message_id), now;
  });
}

void Journal::markRejected(std::int64_t message_id, const std::string& reason) {
  const ClaimEnd end(readerMutex(), translating_, message_id);
  write([&] {
    const std::string at = nowText();
    *session_ << "UPDATE messages SET state = 'rejected', reason = $1, lease_until_ms = 0,"
                 " updated_at = $2 WHERE id = $3 AND state = 'received'",
        useRef(reason), useRef(at), bind(message_id), now;
  });
}

std::optional<JournalEntry> Journal::message(std::int64_t id) {
  std::lock_guard lock(readerMutex());
  return readEntry(reader(), id);
}

std::optional<JournalEntry> Journal::readEntry(Poco::Data::Session& session, std::int64_t id) {
  Poco::Data::Statement read(session);
  JournalEntry entry;
  Poco::Data::BLOB payload;
  std::string state;
  read << "SELECT id, partner, channel, control_id, message_type, payload, state, reason,"
          " received_at, updated_at FROM messages WHERE id = $1",
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
