#pragma once
// The journal: every inbound message, its state, the ACK it was given, and
// the outbox of documents to deliver. Each state change is one committed
// transaction, so a restart resumes where the last run stopped.
//
//   received → translated → delivered | rejected | dead
//   received → dead        (translation did not finish within its attempts)
//   ignored                (a type the partner sends but the board does not want)

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace rtw::store {

namespace detail {
class Sql;
}

enum class MessageState { kReceived, kTranslated, kDelivered, kRejected, kDead, kIgnored };
std::string_view toString(MessageState state);

/// What the transport hands the journal for one inbound message.
struct InboundMessage {
  std::string partner;       // partner id (from the certificate)
  std::string channel;       // "mllp", "fhir", "files": the listener it came on
  std::string sender;        // MSH-3|MSH-4: with partner and control id, the duplicate key
  std::string control_id;    // MSH-10
  std::string message_type;  // "REF^I12"
  std::string payload;       // the message bytes
  std::string ack;           // the answer to send once committed
  /// What the duplicate check compares when the key is seen again: a digest
  /// of the content (intake decides what counts, e.g. MSH-7 left out). ""
  /// compares as the same content.
  std::string digest = {};
  /// Journaled as ignored (accepted, answered, never translated).
  bool ignored = false;
  /// How the payload is written, for the reader that translates it:
  /// "hl7v2", "fhir+json", "fhir+xml", "xml", "csv" (pipeline/payload.h).
  std::string format = "hl7v2";
};

struct RecordResult {
  std::int64_t id = 0;
  bool duplicate = false;  // already journaled: `ack` is the original answer
  std::string ack;
  // A duplicate's original message, read in the same statement (so that
  // nobody reads the journal again to answer it):
  MessageState state = MessageState::kReceived;
  std::string reason = {};
  /// False when the key came back with another digest: the control id was
  /// reused for other content, which is not a retry.
  bool same_content = true;
  /// Documents the original was translated into (0 for one set aside by
  /// translation, whose state is dead too).
  std::int64_t documents = 0;
};

struct JournalEntry {
  std::int64_t id = 0;
  std::string partner;
  std::string channel;
  std::string control_id;
  std::string message_type;
  std::string payload;
  MessageState state = MessageState::kReceived;
  std::string reason;
  std::string received_at;  // ISO 8601, UTC
  std::string updated_at;
  /// Translation attempts begun (counted, and committed, before each starts).
  int attempts = 0;
  std::string format = "hl7v2";  // InboundMessage::format
};

/// Which messages an operator asks for (rtwctl messages list). Empty = any.
struct MessageFilter {
  std::string partner;
  std::string state;           // received, translated, delivered, rejected, dead
  std::string received_from;   // ISO date or date-time, inclusive
  std::string received_until;  // exclusive
  std::string claim_number;    // of any of its documents
  int limit = 100;
};

/// One outbox row as an operator sees it (no body).
struct OutboxRow {
  std::int64_t id = 0;
  std::string document_id;
  std::string document_type;
  std::string claim_number;
  std::string state;
  int attempts = 0;
  std::string receipt;
  std::string last_error;
  std::string updated_at;
};

/// A document ready to go to the board.
struct OutboundDocument {
  std::string document_id;        // UUID, the Idempotency-Key
  std::string document_type;      // "referral", ...
  std::string body;               // the XML
  std::string claim_number = {};  // from the header, for operators' searches
  /// Documents with the same non-empty key are delivered in the order of
  /// their messages (e.g. "clinic01" or "clinic01/claim"); "" for any order.
  std::string order_key = {};
};

struct OutboxItem {
  std::int64_t id = 0;
  std::int64_t message_id = 0;
  OutboundDocument document;
  int attempts = 0;
  std::int64_t queued_ms = 0;  // when it was queued (or sent through again); 0 = unknown
};

/// How a translation ended: its documents queued, the message rejected (its
/// content), or set aside (dead: the translation itself failed, for good).
struct TranslationResult {
  enum class Kind { kTranslated, kRejected, kSetAside };
  std::int64_t message_id = 0;
  std::vector<OutboundDocument> documents;
  Kind kind = Kind::kTranslated;
  std::string reason = {};  // why rejected or set aside (no PHI)
};

/// How one delivery attempt ended.
struct DeliveryResultRecord {
  enum class Kind { kDelivered, kRetry, kDead };
  std::int64_t outbox_id = 0;
  Kind kind = Kind::kDelivered;
  std::string text = {};             // the board's receipt, the retryable error, or why dead
  std::int64_t next_attempt_ms = 0;  // kRetry
};

struct StateCounts {
  std::int64_t received = 0, translated = 0, delivered = 0, rejected = 0, dead = 0, ignored = 0;
  std::int64_t outbox_pending = 0;
};

/// The journal cannot take writes (I/O error, disk full): nothing may be
/// acknowledged until it is healthy again.
class StoreUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Backend {
  kSqlite,      // one file, one gateway process (the default)
  kPostgresql,  // one database shared by several gateway instances
};

struct JournalOptions {
  Backend backend = Backend::kSqlite;
  /// Writes (messages recorded, translated, delivered...) arriving while a
  /// commit is in flight share the next one; each returns after its commit.
  bool group_commit = true;
  /// SQLite's max_page_count, 0 for no limit: a quota (and, in tests, a full disk).
  int max_pages = 0;
  /// While unhealthy, how often a write may try whether the store is back.
  int probe_interval_ms = 1000;
  /// PostgreSQL: how long a claim on a message or document holds. An
  /// instance that dies holding work loses it to another after this long.
  int lease_ms = 30000;
  /// PostgreSQL: who holds a lease (shown to operators); "" = host:pid.
  std::string owner;
  /// SQLite: how often a background thread copies the WAL into the database
  /// (a passive checkpoint, beside the writers), so that no commit, and no
  /// ACK waiting for it, pays for a checkpoint; 0 leaves it to SQLite's
  /// automatic checkpoint inside a commit.
  int checkpoint_interval_ms = 1000;
  /// SQLite: a WAL written without pause is never started over by passive
  /// checkpoints, and grows (≈ 25 KB per message). Once it holds this many
  /// pages, the background checkpoint runs passes back to back until one
  /// finds only a few milliseconds of new frames, then the committer copies
  /// those between two commits (a PASSIVE checkpoint, ≈ 1 ms, not waiting for
  /// readers), and the next commit with no reader of an older snapshot left
  /// starts the WAL over. The file is cut back to twice this
  /// size. With checkpoint_interval_ms = 0 the committer runs RESTART every
  /// 1,000 pages (SQLite's own default).
  int wal_limit_pages = 16384;
  /// Translation attempts a message gets (translate.maxAttempts). Each is
  /// counted and committed before it starts, so one the process died in is
  /// counted too; a message that used them all without finishing is set
  /// aside (dead) instead of being claimed again, and stops holding up the
  /// others. A message whose last attempt did not finish is claimed alone.
  int translation_attempts = 3;
};

class Journal {
 public:
  /// Opens (creating or migrating the schema if needed) the journal at
  /// `target`: for SQLite a file (WAL, synchronous=FULL), for PostgreSQL a
  /// libpq connection string ("host=127.0.0.1 port=5432 dbname=rtw").
  explicit Journal(const std::string& target, JournalOptions options = {});
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Commits a new message in state received, or finds the earlier one with
  /// the same partner + sender + control id. Returns only after the commit
  /// that holds it; throws StoreUnavailable when that commit failed or the
  /// store is known to be unhealthy.
  RecordResult record(const InboundMessage& message);
  /// As record(), without waiting: `done` gets the result, or the error that
  /// kept the commit holding it from disk, once that commit ended. It runs on
  /// the journal's committer thread (with group commit off, on the caller's
  /// before this returns) and must only hand its work on. The message is
  /// shared, not copied, until then. Throws StoreUnavailable at once while
  /// the store is known to be unhealthy.
  using RecordDone = std::function<void(const RecordResult&, std::exception_ptr)>;
  void recordAsync(std::shared_ptr<const InboundMessage> message, RecordDone done);

  /// Transactions that recorded messages, and messages recorded (for group
  /// commit figures and metrics), and all write transactions.
  std::uint64_t recordCommits() const { return record_commits_; }
  std::uint64_t recordedMessages() const { return recorded_messages_; }
  std::uint64_t commits() const { return commits_; }
  bool healthy() const { return healthy_; }
  /// Whether a message was recorded (or tried to be) in the last `ms`
  /// milliseconds: intake is active, and ACKs may be waiting on commits.
  bool recordedWithin(std::int64_t ms) const;

  /// JournalOptions::translation_attempts.
  int translationAttempts() const { return options_.translation_attempts; }

  /// A random id made when the journal was created (stable for its life).
  const std::string& instanceId() const { return instance_id_; }

  /// Changes SQLite's page limit (a quota; tests use it as a full disk).
  void setMaxPages(int max_pages);

  /// Claims the oldest message still in state received that no one holds
  /// (SQLite: in memory, until markTranslated/markRejected/release; with
  /// PostgreSQL, for lease_ms: another instance takes it after that), and
  /// counts a translation attempt for it; returns after that is committed.
  std::optional<JournalEntry> nextReceived(std::int64_t now_ms);
  /// Claims up to `max` of them at once, oldest first, each attempt counted
  /// in one commit. A message whose earlier attempt did not finish (the
  /// process died in it, or it threw) is claimed alone, so that it cannot
  /// take others down with it again. One that has used every attempt
  /// (JournalOptions::translation_attempts) is set aside in that commit:
  /// it comes back with state kDead and its reason, for the caller to
  /// report, and is not claimed.
  std::vector<JournalEntry> nextReceived(std::int64_t now_ms, std::size_t max);
  /// Gives a claimed received message back untouched.
  void releaseReceived(std::int64_t message_id);

  /// received → translated, with its documents queued, in one transaction.
  void markTranslated(std::int64_t message_id, const std::vector<OutboundDocument>& documents,
                      std::int64_t now_ms);
  /// received → rejected with the reason (no PHI).
  void markRejected(std::int64_t message_id, const std::string& reason);
  /// Both, for several claimed messages, in one transaction (a worker that
  /// translated a batch pays for one commit, not one per message).
  void finishTranslations(const std::vector<TranslationResult>& results, std::int64_t now_ms);

  /// Claims the next outbox item whose attempt is due, that no other
  /// delivery worker holds, and that no earlier document with its order key
  /// is waiting for; markDelivered/scheduleRetry/markDead or release() end
  /// the claim. SQLite keeps claims in memory; PostgreSQL takes a lease with
  /// FOR UPDATE SKIP LOCKED, so several instances share the outbox.
  std::optional<OutboxItem> nextDue(std::int64_t now_ms);
  /// Claims up to `max` due items at once (at most one per order key).
  std::vector<OutboxItem> nextDue(std::int64_t now_ms, std::size_t max);
  /// Gives a claimed item back untouched (its delivery could not be tried).
  void release(std::int64_t outbox_id);
  /// The board accepted it; the message is delivered when all its documents are.
  void markDelivered(std::int64_t outbox_id, const std::string& receipt);
  /// A retryable failure: try again at `next_attempt_ms`.
  void scheduleRetry(std::int64_t outbox_id, std::int64_t next_attempt_ms,
                     const std::string& error);
  /// Delivery gave up: the document and its message are dead with the reason.
  void markDead(std::int64_t outbox_id, const std::string& reason);
  /// The three, for several claimed items, in one transaction.
  void finishDeliveries(const std::vector<DeliveryResultRecord>& results);

  std::optional<JournalEntry> message(std::int64_t id);
  /// The message recorded under a duplicate key (partner, sender, control
  /// id), with its payload: e.g. a FHIR resource read back by its id.
  std::optional<JournalEntry> messageByKey(const std::string& partner, const std::string& sender,
                                           const std::string& control_id);
  /// The answer recorded with the message under that key (InboundMessage::ack),
  /// as a duplicate gets it: e.g. a FHIR transaction's transaction-response.
  std::optional<std::string> answerByKey(const std::string& partner, const std::string& sender,
                                         const std::string& control_id);
  StateCounts counts();

  // Operators (journal_admin.cpp).

  /// Messages matching a filter, newest first, without payloads.
  std::vector<JournalEntry> list(const MessageFilter& filter);
  /// The outbox rows of a message.
  std::vector<OutboxRow> outbox(std::int64_t message_id);
  /// The ACK first sent for a message.
  std::string ack(std::int64_t message_id);
  /// Sends a dead or rejected message through again: dead documents go back
  /// to pending with no attempts; a rejected message, or a dead one that
  /// never got documents (set aside by translation), back to received with
  /// no attempts.
  /// False when the message is in another state (nothing changes).
  bool reprocess(std::int64_t message_id);
  /// Retention: empties the payloads and document bodies of delivered
  /// messages last updated before `before` (ISO 8601); the rows, states,
  /// ids and ACKs stay as the audit trail. Returns how many were purged.
  std::int64_t purgePayloads(const std::string& before);

 private:
  struct PendingWrite;
  using Batch = std::vector<std::shared_ptr<PendingWrite>>;

  /// Runs `work` (SQL on sql_, no transaction of its own) in a committed
  /// transaction, with group commit shared by every writer; returns after
  /// the commit; throws StoreUnavailable when it failed (nothing of it is
  /// stored).
  void write(std::function<void()> work, bool is_record = false);
  /// Queues a write for the committer; false when it was committed at once
  /// (group commit off).
  bool submit(const std::shared_ptr<PendingWrite>& request);
  void startCommitter();
  void stopCommitter();
  /// SQLite: finishes a checkpoint so that the WAL starts over, when the
  /// background checkpoint asked for it or (without one) every 1,000 pages.
  void limitWal();
  void checkpointQuietly(const char* pragma);

  void open(const std::string& target);
  /// PostgreSQL: a connection lost (server restarted, network) is opened
  /// again before the next use; mutex_ held.
  void ensureConnected();
  void migrate();
  bool postgres() const;
  /// Messages claimed for translation, and those found out of attempts.
  struct ReceivedClaim {
    std::vector<std::int64_t> ids;
    std::vector<std::int64_t> set_aside;
  };
  ReceivedClaim claimReceived(std::int64_t now_ms, std::size_t max);
  ReceivedClaim claimReceivedShared(std::int64_t now_ms, std::size_t max);
  void countAttempts(ReceivedClaim& claim);
  /// Whether the suspect claimed last is still being translated.
  bool suspectInFlight() const;
  std::vector<std::int64_t> claimDue(std::int64_t now_ms, std::size_t max);
  void finishTranslation(const TranslationResult& result, std::int64_t now_ms,
                         const std::string& at);
  void finishDelivery(const DeliveryResultRecord& result, const std::string& at);
  void refreshMessageState(std::int64_t message_id, const std::string& at);
  std::optional<JournalEntry> readEntry(detail::Sql& sql, std::int64_t id);
  /// Where workers read and claim: SQLite, a second connection, so that a
  /// worker looking for work never waits behind a commit's fsync (WAL lets
  /// it read beside the writer); PostgreSQL, the one connection.
  detail::Sql& reader() { return read_sql_ ? *read_sql_ : *sql_; }
  std::mutex& readerMutex() { return read_sql_ ? read_mutex_ : mutex_; }
  RecordResult recordOne(const InboundMessage& message);
  void commitBatch(const Batch& batch);
  void checkHealth();

  void startCheckpoints();
  /// One background checkpoint; true when the committer should finish it.
  bool passiveCheckpoint(detail::Sql& checkpoints) const;
  void stopCheckpoints();

  JournalOptions options_;
  std::string target_;
  std::string instance_id_;
  std::mutex mutex_;
  std::unordered_set<std::int64_t> in_flight_;  // SQLite: outbox ids claimed by delivery workers
  // Message ids claimed by this process's translate workers (SQLite: the
  // claims themselves; PostgreSQL: beside the leases, to run a suspect alone).
  std::unordered_set<std::int64_t> translating_;
  std::int64_t suspect_in_flight_ = 0;  // with translating_: a suspect runs alone
  // Messages whose last attempt ended in a journal failure, not in their
  // translation: that attempt is given back at their next claim.
  std::unordered_set<std::int64_t> uncounted_;
  std::unique_ptr<detail::Sql> sql_;
  // SQLite: reads and in-memory claims (in_flight_, translating_).
  std::unique_ptr<detail::Sql> read_sql_;
  std::mutex read_mutex_;

  // Group commit: the committer thread commits what queued while the
  // previous commit was in flight: recorded messages, and workers' writes.
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  Batch records_;
  std::deque<std::shared_ptr<PendingWrite>> others_;
  bool committer_stop_ = false;
  std::thread committer_;

  std::atomic<bool> healthy_{true};
  std::atomic<std::int64_t> last_probe_ms_{0};
  std::atomic<std::int64_t> last_record_ms_{0};  // steady clock
  std::atomic<bool> wal_restart_wanted_{false};  // set by the checkpoint thread
  std::atomic<std::uint64_t> record_commits_{0};
  std::atomic<std::uint64_t> recorded_messages_{0};
  std::atomic<std::uint64_t> commits_{0};
  // SQLite: the background checkpoint (its own connection).
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_stop_ = false;
  std::thread checkpoint_thread_;
};

}  // namespace rtw::store
