#include "rtw/store/journal.h"

#include <pthread.h>

#include <algorithm>

#include <libpq-fe.h>

#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/Process.h>
#include <Poco/UUIDGenerator.h>

#include "journal_files.h"
#include "sql_support.h"

namespace rtw::store {

using detail::Blob;
using detail::ClaimEnd;
using detail::nowText;
using detail::Rows;
using detail::Sql;
using detail::stateFromText;

namespace {
// The background checkpoint's finishing passes (passiveCheckpoint): at most
// this many, until fewer frames than kFinishedPages came during one of them.
constexpr int kMaxFinishingPasses = 4;
constexpr std::int64_t kFinishedPages = 128;
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
    case MessageState::kIgnored:
      return "ignored";
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
  } catch (const std::exception& e) {
    const auto* poco = dynamic_cast<const Poco::Exception*>(&e);  // its what() is only a name
    const std::string why = poco ? poco->displayText() : std::string(e.what());
    // SQLite: even reading needs the WAL index (<file>-shm) sized on disk, so
    // on a full file system the journal cannot be opened at all, and SQLite
    // only says "I/O error". Name the journal (not a connection string: it
    // may hold a password) and the likely cause.
    throw StoreUnavailable(postgres() ? "cannot open the PostgreSQL journal: " + why
                                      : "cannot open the journal " + target + ": " + why +
                                            " (is its file system full or read-only?)");
  }
  if (options_.max_pages > 0) {
    setMaxPages(options_.max_pages);
  }
  startCheckpoints();
  startCommitter();
}

Journal::~Journal() {
  stopCommitter();
  stopCheckpoints();
}

void Journal::startCheckpoints() {
  if (postgres() || options_.checkpoint_interval_ms <= 0) {
    return;
  }
  // SQLite's own checkpoints inside commits are off: Sql's WAL hook took
  // their place (and PRAGMA wal_autocheckpoint would remove that hook).
  checkpoint_thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "rtw-checkpoint");
    try {
      Sql checkpoints("SQLite", target_);
      checkpoints.run("PRAGMA busy_timeout=1000");
      std::unique_lock lock(checkpoint_mutex_);
      while (!checkpoint_cv_.wait_for(lock,
                                      std::chrono::milliseconds(options_.checkpoint_interval_ms),
                                      [this] { return checkpoint_stop_; })) {
        lock.unlock();
        try {
          if (passiveCheckpoint(checkpoints)) {
            wal_restart_wanted_ = true;
          }
        } catch (const std::exception&) {
          // A full disk, say: the WAL keeps the data; the next round tries again.
        }
        lock.lock();
      }
    } catch (const std::exception&) {
      // No second connection: the WAL grows until the next start checkpoints it.
    }
  });
}

bool Journal::passiveCheckpoint(Sql& checkpoints) const {
  // One pass, answering the WAL's size in pages. PASSIVE copies what no
  // reader still needs and never blocks a writer. A pass that does not reach
  // the WAL's end (commits came meanwhile) leaves the database file unsynced,
  // and the checkpoint that does reach it paid for every page copied before
  // (10 ms for 60 MB here: the committer's, holding ACKs back). So each pass
  // syncs what it copied.
  auto pass = [&checkpoints]() -> std::int64_t {
    Rows passive = checkpoints.run("PRAGMA wal_checkpoint(PASSIVE)");
    checkpoints.syncDatabaseFile();
    return passive.next() ? passive.integer(1) : 0;
  };
  std::int64_t wal_pages = pass();
  // Under load that never pauses the WAL never starts over by itself (frames
  // keep coming, readers keep older snapshots): past its limit, the committer
  // is asked to finish the checkpoint (limitWal), and commits wait while it
  // copies and syncs what the passes left (≈ 12 µs a page on this disk). So
  // passes follow each other first, each copying what came during the one
  // before, until that is only a few milliseconds of commits.
  if (options_.wal_limit_pages <= 0 || wal_pages < options_.wal_limit_pages) {
    return false;
  }
  for (int extra = 0; extra < kMaxFinishingPasses; ++extra) {
    const std::int64_t before = wal_pages;
    wal_pages = pass();
    if (wal_pages - before < kFinishedPages) {
      break;
    }
  }
  return true;
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
    sql_ = std::make_unique<Sql>("PostgreSQL", target);
    return;
  }
  const std::filesystem::path file(target);
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path());
  }
  detail::makeJournalPrivate(file);
  sql_ = std::make_unique<Sql>("SQLite", file.string());
  // SQLite autocommits each statement; WriteTransaction groups a state change.
  sql_->run("PRAGMA journal_mode=WAL");
  sql_->run("PRAGMA synchronous=FULL");
  sql_->run("PRAGMA foreign_keys=ON");
  sql_->run("PRAGMA busy_timeout=5000");
  // A WAL started over is cut back to twice its limit: it is past the limit
  // when it starts over (by what came since the last background pass), and
  // cutting it each time would cost the commit after the restart the freeing
  // of those blocks (3–9 ms here); a burst's larger WAL is given back.
  sql_->run("PRAGMA journal_size_limit=" +
            std::to_string(std::int64_t{std::max(options_.wal_limit_pages, 1000)} * 2 * 4096));
  read_sql_ = std::make_unique<Sql>("SQLite", file.string());
  read_sql_->run("PRAGMA busy_timeout=5000");
}

void Journal::ensureConnected() {
  if (postgres() && !sql_->good()) {
    // Asked first without a connection: this runs on every journal call
    // while the server is away, and a ping is cheaper than a failed login.
    if (PQping(target_.c_str()) != PQPING_OK) {
      throw StoreUnavailable("the PostgreSQL journal's server does not answer");
    }
    open(target_);  // throws if it went away again, keeping the broken session
  }
}

bool Journal::postgres() const { return options_.backend == Backend::kPostgresql; }

std::optional<JournalEntry> Journal::nextReceived(std::int64_t now_ms) {
  return detail::firstOf(nextReceived(now_ms, 1));
}

std::vector<JournalEntry> Journal::nextReceived(std::int64_t now_ms, std::size_t max) {
  ReceivedClaim claim;
  {
    std::lock_guard lock(readerMutex());
    ensureConnected();
    claim = postgres() ? claimReceivedShared(now_ms, max) : claimReceived(now_ms, max);
  }
  // SQLite: the attempts are counted in a commit of their own (PostgreSQL
  // counted them in the claim's UPDATE). Until it is on disk nothing is
  // translated, so a crash during the translation is counted.
  try {
    countAttempts(claim);
  } catch (...) {
    const ClaimEnd end(readerMutex(), translating_, claim.ids);
    throw;
  }
  std::lock_guard lock(readerMutex());
  std::vector<JournalEntry> entries;
  entries.reserve(claim.ids.size() + claim.set_aside.size());
  try {
    for (const std::int64_t id : claim.set_aside) {
      if (std::optional<JournalEntry> entry = readEntry(reader(), id)) {
        entry->payload.clear();  // not to be translated: only reported
        entries.push_back(std::move(*entry));
      }
    }
    for (const std::int64_t id : claim.ids) {
      if (std::optional<JournalEntry> entry = readEntry(reader(), id)) {
        entries.push_back(std::move(*entry));
      }
    }
  } catch (...) {
    for (const std::int64_t id : claim.ids) {
      translating_.erase(id);  // given back (SQLite); a PostgreSQL lease runs out
    }
    throw;
  }
  return entries;
}

void Journal::markTranslated(std::int64_t message_id,
                             const std::vector<OutboundDocument>& documents, std::int64_t now_ms) {
  finishTranslations({{message_id, documents}}, now_ms);
}

void Journal::markRejected(std::int64_t message_id, const std::string& reason) {
  finishTranslations({{message_id, {}, TranslationResult::Kind::kRejected, reason}}, 0);
}

void Journal::finishTranslations(const std::vector<TranslationResult>& results,
                                 std::int64_t now_ms) {
  std::vector<std::int64_t> ids;
  for (const auto& result : results) {
    ids.push_back(result.message_id);
  }
  const ClaimEnd end(readerMutex(), translating_, ids);
  try {
    write([&] {
      const std::string at = nowText();
      for (const auto& result : results) {
        finishTranslation(result, now_ms, at);
      }
    });
  } catch (...) {
    // The translations finished; the journal failed. Those attempts are
    // not the messages' fault: not counted against them (a full disk would
    // otherwise set aside whatever was in translation when it filled).
    std::lock_guard lock(readerMutex());
    uncounted_.insert(ids.begin(), ids.end());
    throw;
  }
}

void Journal::finishTranslation(const TranslationResult& result, std::int64_t now_ms,
                                const std::string& at) {
  auto& s = *sql_;
  if (result.kind != TranslationResult::Kind::kTranslated) {
    s.run(
        "UPDATE messages SET state = $1, reason = $2, lease_until_ms = 0,"
        " updated_at = $3 WHERE id = $4 AND state = 'received'",
        result.kind == TranslationResult::Kind::kRejected ? "rejected" : "dead", result.reason, at,
        result.message_id);
    return;
  }
  // Only from received: another instance may have translated it after this
  // one's lease ran out (its documents have the same ids).
  std::string partner;
  {
    Rows find = s.run(postgres() ? "SELECT state, partner FROM messages WHERE id = $1 FOR UPDATE"
                                 : "SELECT state, partner FROM messages WHERE id = $1",
                      result.message_id);
    if (!find.next() || find.text(0) != "received") {
      return;
    }
    partner = find.text(1);
  }
  for (const auto& doc : result.documents) {
    s.run(
        "INSERT INTO outbox (message_id, document_id, document_type, body, claim_number,"
        " partner, order_key, state, next_attempt_ms, queued_ms, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10)",
        result.message_id, doc.document_id, doc.document_type, Blob{doc.body}, doc.claim_number,
        partner, doc.order_key, now_ms, now_ms, at);
  }
  s.run(
      "UPDATE messages SET state = 'translated', lease_until_ms = 0, updated_at = $1"
      " WHERE id = $2",
      at, result.message_id);
}

std::optional<JournalEntry> Journal::message(std::int64_t id) {
  std::lock_guard lock(readerMutex());
  return readEntry(reader(), id);
}

std::optional<JournalEntry> Journal::messageByKey(const std::string& partner,
                                                  const std::string& sender,
                                                  const std::string& control_id) {
  std::lock_guard lock(readerMutex());
  std::int64_t id = 0;
  {
    Rows found = reader().run(
        "SELECT id FROM messages WHERE partner = $1 AND sender = $2 AND control_id = $3", partner,
        sender, control_id);
    if (!found.next()) {
      return std::nullopt;
    }
    id = found.integer(0);
  }
  return readEntry(reader(), id);
}

std::optional<std::string> Journal::answerByKey(const std::string& partner,
                                                const std::string& sender,
                                                const std::string& control_id) {
  std::lock_guard lock(readerMutex());
  Rows found = reader().run(
      "SELECT ack FROM messages WHERE partner = $1 AND sender = $2 AND control_id = $3", partner,
      sender, control_id);
  if (!found.next()) {
    return std::nullopt;
  }
  return found.text(0);
}

std::optional<JournalEntry> Journal::readEntry(Sql& sql, std::int64_t id) {
  static const std::string select =
      std::string("SELECT ") + detail::kEntryColumns + ", payload FROM messages WHERE id = $1";
  Rows read = sql.run(select, id);
  if (!read.next()) {
    return std::nullopt;
  }
  JournalEntry entry = detail::entryFrom(read);
  entry.payload = read.bytes(11);
  return entry;
}

StateCounts Journal::counts() {
  std::lock_guard lock(mutex_);
  StateCounts counts;
  Rows states = sql_->run("SELECT state, COUNT(*) FROM messages GROUP BY state");
  while (states.next()) {
    const std::int64_t number = states.integer(1);
    switch (stateFromText(states.text(0))) {
      case MessageState::kReceived:
        counts.received = number;
        break;
      case MessageState::kTranslated:
        counts.translated = number;
        break;
      case MessageState::kDelivered:
        counts.delivered = number;
        break;
      case MessageState::kRejected:
        counts.rejected = number;
        break;
      case MessageState::kDead:
        counts.dead = number;
        break;
      case MessageState::kIgnored:
        counts.ignored = number;
        break;
    }
  }
  Rows pending = sql_->run("SELECT COUNT(*) FROM outbox WHERE state = 'pending'");
  counts.outbox_pending = pending.next() ? pending.integer(0) : 0;
  return counts;
}

}  // namespace rtw::store
