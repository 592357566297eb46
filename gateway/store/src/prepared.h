#pragma once
// Statements the journal runs for every message, compiled once per
// connection instead of on every call (compiling the SQL text was the
// largest single cost of a journal write in the profiles). Poco::Data binds
// by reference, so each statement's values live beside it: set them, then
// execute().

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <Poco/Data/LOB.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

namespace rtw::store::detail {

template <typename Values>
class Prepared {
 public:
  using Compile = std::function<void(Poco::Data::Statement&, Values&)>;

  /// The values to set before execute(); compiles on first use.
  Values& on(Poco::Data::Session& session, const Compile& compile) {
    if (!statement_) {
      statement_ = std::make_unique<Poco::Data::Statement>(session);
      compile(*statement_, values_);
    }
    return values_;
  }
  /// Rows extracted, or rows changed by a statement without results.
  std::size_t execute() { return statement_->execute(); }

 private:
  Values values_;
  std::unique_ptr<Poco::Data::Statement> statement_;
};

struct RecordValues {
  std::string partner, channel, sender, control_id, message_type, ack, at;
  Poco::Data::BLOB payload;
  std::int64_t id = 0;
};

struct ClaimValues {
  std::string owner;
  std::int64_t until = 0, now = 0, limit = 0;
  std::int64_t id = 0;            // PostgreSQL: the row claimed
  std::vector<std::int64_t> ids;  // SQLite: candidates
};

struct ItemValues {
  std::int64_t key = 0;
  std::int64_t id = 0, message_id = 0, queued_ms = 0;
  std::string document_id, document_type;
  Poco::Data::BLOB body;
  int attempts = 0;
};

struct EntryValues {
  std::int64_t key = 0;
  std::int64_t id = 0;
  std::string partner, channel, control_id, message_type, state, reason, received_at, updated_at;
  Poco::Data::BLOB payload;
};

struct OutboxInsertValues {
  std::int64_t message_id = 0, now = 0;
  std::string document_id, document_type, claim_number, partner, order_key, at;
  Poco::Data::BLOB body;
};

struct DeliveredValues {
  std::string receipt, at;
  std::int64_t outbox_id = 0, message_id = 0, open = 0;
};

/// The prepared statements of one journal; made again with its connections.
struct Statements {
  Prepared<RecordValues> record;
  Prepared<ClaimValues> claim_due, claim_received;
  Prepared<ItemValues> item;
  Prepared<EntryValues> entry;
  Prepared<OutboxInsertValues> outbox_insert;
  Prepared<DeliveredValues> delivered, open_documents, message_delivered;
};

}  // namespace rtw::store::detail
