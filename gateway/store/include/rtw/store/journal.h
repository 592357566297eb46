#pragma once
// The journal: every inbound message, its state, the ACK it was given, and
// the outbox of documents to deliver. Each state change is one committed
// transaction, so a restart resumes where the last run stopped.
//
//   received → translated → delivered | rejected | dead

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace Poco::Data {
class Session;
}

namespace rtw::store {

enum class MessageState { kReceived, kTranslated, kDelivered, kRejected, kDead };
std::string_view toString(MessageState state);

/// What the transport hands the journal for one inbound message.
struct InboundMessage {
  std::string partner;       // partner id (from the certificate)
  std::string channel;       // "mllp"
  std::string sender;        // MSH-3|MSH-4: with partner and control id, the duplicate key
  std::string control_id;    // MSH-10
  std::string message_type;  // "REF^I12"
  std::string payload;       // the message bytes
  std::string ack;           // the answer to send once committed
};

struct RecordResult {
  std::int64_t id = 0;
  bool duplicate = false;  // already journaled: `ack` is the original answer
  std::string ack;
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
};

/// A document ready to go to the board.
struct OutboundDocument {
  std::string document_id;    // UUID, the Idempotency-Key
  std::string document_type;  // "referral", ...
  std::string body;           // the XML
};

struct OutboxItem {
  std::int64_t id = 0;
  std::int64_t message_id = 0;
  OutboundDocument document;
  int attempts = 0;
};

struct StateCounts {
  std::int64_t received = 0, translated = 0, delivered = 0, rejected = 0, dead = 0;
  std::int64_t outbox_pending = 0;
};

class Journal {
 public:
  /// Opens (creating if needed) the SQLite journal: WAL, synchronous=FULL.
  explicit Journal(const std::filesystem::path& file);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Commits a new message in state received, or finds the earlier one with
  /// the same partner + sender + control id. Returns only after the commit.
  RecordResult record(const InboundMessage& message);

  /// The oldest message still in state received, if any.
  std::optional<JournalEntry> nextReceived();

  /// received → translated, with its documents queued, in one transaction.
  void markTranslated(std::int64_t message_id, const std::vector<OutboundDocument>& documents,
                      std::int64_t now_ms);
  /// received → rejected with the reason (no PHI).
  void markRejected(std::int64_t message_id, const std::string& reason);

  /// The next outbox item whose next attempt is due.
  std::optional<OutboxItem> nextDue(std::int64_t now_ms);
  /// The board accepted it; the message is delivered when all its documents are.
  void markDelivered(std::int64_t outbox_id, const std::string& receipt);
  /// A retryable failure: try again at `next_attempt_ms`.
  void scheduleRetry(std::int64_t outbox_id, std::int64_t next_attempt_ms,
                     const std::string& error);
  /// Delivery gave up: the document and its message are dead with the reason.
  void markDead(std::int64_t outbox_id, const std::string& reason);

  std::optional<JournalEntry> message(std::int64_t id);
  StateCounts counts();

 private:
  void migrate();
  void refreshMessageState(std::int64_t message_id);

  std::mutex mutex_;
  std::unique_ptr<Poco::Data::Session> session_;
};

}  // namespace rtw::store
