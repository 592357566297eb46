// The journal's tables, the same on SQLite and PostgreSQL but for the id and
// byte types, and the migration from earlier versions.
//
// Version 2 added leases (PostgreSQL: which instance holds a message or a
// document, until when), the outbox's partner and order key, and when a
// document was queued (0 for documents queued by version 1: age unknown).
// Version 3 added the translation attempts of a message (counted before each
// starts: a message that crashed the process is set aside after a few) and
// the digest of its content (a control id reused for other content is not a
// retry; '' for messages of earlier versions, which compare as the same).
// Version 4 added the format of the payload ('hl7v2', 'fhir+json', 'csv', ...):
// the translate worker reads it with that format's reader; every message of
// an earlier version came over MLLP and is 'hl7v2'.

#include <Poco/UUIDGenerator.h>

#include "rtw/store/journal.h"
#include "sql_support.h"

namespace rtw::store {

using detail::Rows;
using detail::WriteTransaction;

namespace {

constexpr int kSchemaVersion = 4;
// Any constant: serialises the schema check of instances starting together.
constexpr std::int64_t kMigrationLock = 0x52545747;

std::string forBackend(std::string ddl, bool postgres) {
  auto replace = [&ddl](const std::string& from, const std::string& to) {
    for (std::size_t at = ddl.find(from); at != std::string::npos; at = ddl.find(from, at)) {
      ddl.replace(at, from.size(), to);
      at += to.size();
    }
  };
  replace("{pk}", postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY");
  replace("{bytes}", postgres ? "BYTEA" : "BLOB");
  return ddl;
}

const char* const kTables[] = {
    "CREATE TABLE messages ("
    " id {pk},"
    " partner TEXT NOT NULL, channel TEXT NOT NULL, sender TEXT NOT NULL,"
    " control_id TEXT NOT NULL, message_type TEXT NOT NULL,"
    " payload {bytes} NOT NULL, ack TEXT NOT NULL,"
    " state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',"
    " received_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " lease_owner TEXT NOT NULL DEFAULT '', lease_until_ms BIGINT NOT NULL DEFAULT 0,"
    " attempts INTEGER NOT NULL DEFAULT 0, digest TEXT NOT NULL DEFAULT '',"
    " format TEXT NOT NULL DEFAULT 'hl7v2',"
    " UNIQUE (partner, sender, control_id))",
    "CREATE INDEX messages_state ON messages (state, id)",
    "CREATE TABLE outbox ("
    " id {pk},"
    " message_id BIGINT NOT NULL REFERENCES messages (id),"
    " document_id TEXT NOT NULL UNIQUE, document_type TEXT NOT NULL, body {bytes} NOT NULL,"
    " claim_number TEXT NOT NULL DEFAULT '',"
    " state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt_ms BIGINT NOT NULL, receipt TEXT NOT NULL DEFAULT '',"
    " last_error TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL,"
    " partner TEXT NOT NULL DEFAULT '', order_key TEXT NOT NULL DEFAULT '',"
    " lease_owner TEXT NOT NULL DEFAULT '', lease_until_ms BIGINT NOT NULL DEFAULT 0,"
    " queued_ms BIGINT NOT NULL DEFAULT 0)",
    "CREATE INDEX outbox_due ON outbox (state, next_attempt_ms)",
    "CREATE INDEX outbox_message ON outbox (message_id)",
    "CREATE INDEX outbox_order ON outbox (order_key, state, message_id)",
};

const char* const kFromVersion1[] = {
    "ALTER TABLE messages ADD COLUMN lease_owner TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE messages ADD COLUMN lease_until_ms BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE outbox ADD COLUMN partner TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE outbox ADD COLUMN order_key TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE outbox ADD COLUMN lease_owner TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE outbox ADD COLUMN lease_until_ms BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE outbox ADD COLUMN queued_ms BIGINT NOT NULL DEFAULT 0",
    "UPDATE outbox SET partner = (SELECT partner FROM messages WHERE messages.id = "
    "outbox.message_id)",
    "CREATE INDEX outbox_message ON outbox (message_id)",
    "CREATE INDEX outbox_order ON outbox (order_key, state, message_id)",
};

const char* const kFromVersion2[] = {
    "ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN digest TEXT NOT NULL DEFAULT ''",
};

const char* const kFromVersion3[] = {
    "ALTER TABLE messages ADD COLUMN format TEXT NOT NULL DEFAULT 'hl7v2'",
};

}  // namespace

void Journal::migrate() {
  auto& s = *sql_;
  if (postgres()) {
    s.run("SELECT pg_advisory_lock($1)", kMigrationLock);
  }
  try {
    // instance: a random id made with the journal, so that document ids
    // derived from message ids differ between two journals (a reinstall must
    // not reuse Idempotency-Keys the board already holds). Instances sharing
    // one PostgreSQL journal share it, and so derive the same ids.
    s.run(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL,"
        " instance TEXT NOT NULL)");
    std::int64_t version = 0;
    {
      Rows read = s.run("SELECT version, instance FROM schema_version");
      if (read.next()) {
        version = read.integer(0);
        instance_id_ = read.text(1);
      }
    }
    if (version == 0) {
      WriteTransaction tx(s);
      for (const char* ddl : kTables) {
        s.run(forBackend(ddl, postgres()));
      }
      instance_id_ = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
      s.run("INSERT INTO schema_version (version, instance) VALUES ($1, $2)", kSchemaVersion,
            instance_id_);
      tx.commit();
    } else if (version >= 1 && version < kSchemaVersion) {
      WriteTransaction tx(s);
      if (version <= 1) {
        for (const char* ddl : kFromVersion1) {
          s.run(ddl);
        }
      }
      if (version <= 2) {
        for (const char* ddl : kFromVersion2) {
          s.run(ddl);
        }
      }
      for (const char* ddl : kFromVersion3) {
        s.run(ddl);
      }
      s.run("UPDATE schema_version SET version = $1", kSchemaVersion);
      tx.commit();
    } else if (version != kSchemaVersion) {
      throw std::runtime_error("journal schema version " + std::to_string(version) +
                               " is not a version this gateway reads (1 to " +
                               std::to_string(kSchemaVersion) + ")");
    }
  } catch (...) {
    if (postgres()) {
      s.run("SELECT pg_advisory_unlock($1)", kMigrationLock);
    }
    throw;
  }
  if (postgres()) {
    s.run("SELECT pg_advisory_unlock($1)", kMigrationLock);
  }
}

}  // namespace rtw::store
