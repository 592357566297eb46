#include "sql.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdlib>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>

namespace rtw::store::detail {

/// A prepared SQLite statement kept for the connection's life, with where
/// each `$n` binds. A statement still being read when the same SQL runs
/// again is not reused: that run prepares its own (`owned_by_rows`).
struct CachedStatement {
  sqlite3_stmt* statement = nullptr;
  std::vector<int> indexes;  // $1.. -> SQLite's parameter index (0: not used)
  bool in_use = false;
  bool owned_by_rows = false;

  ~CachedStatement() { sqlite3_finalize(statement); }
};

namespace {

// libpq's message ends in a line feed: dropped, for a one-line error.
SqlError postgresError(const std::string& what, const char* message) {
  std::string text = message != nullptr ? message : "out of memory";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return SqlError(what + ": " + text);
}

[[noreturn]] void sqliteFailed(sqlite3* db, const char* what) {
  throw SqlError(std::string(what) + ": " + sqlite3_errmsg(db));
}

std::unique_ptr<CachedStatement> prepare(sqlite3* db, std::string_view sql) {
  auto cached = std::make_unique<CachedStatement>();
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &cached->statement, nullptr) != SQLITE_OK) {
    sqliteFailed(db, "SQL statement not prepared");
  }
  for (int n = 1;; ++n) {
    const std::string name = "$" + std::to_string(n);
    const int index = sqlite3_bind_parameter_index(cached->statement, name.c_str());
    if (index == 0 && n > sqlite3_bind_parameter_count(cached->statement)) {
      break;
    }
    cached->indexes.push_back(index);
  }
  return cached;
}

void bindAll(sqlite3* db, CachedStatement& cached, const std::vector<SqlValue>& values) {
  if (values.size() != cached.indexes.size()) {
    throw SqlError("SQL statement takes " + std::to_string(cached.indexes.size()) +
                   " parameter(s), given " + std::to_string(values.size()));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    const int index = cached.indexes[i];
    if (index == 0) {
      continue;
    }
    int rc = SQLITE_OK;
    if (const auto* number = std::get_if<std::int64_t>(&values[i])) {
      rc = sqlite3_bind_int64(cached.statement, index, *number);
    } else if (const auto* text = std::get_if<std::string>(&values[i])) {
      rc = sqlite3_bind_text64(cached.statement, index, text->data(), text->size(),
                               SQLITE_TRANSIENT, SQLITE_UTF8);
    } else {
      const auto& blob = std::get<Blob>(values[i]);
      // A zero-length blob still binds a value, not NULL.
      rc = sqlite3_bind_blob64(cached.statement, index, blob.bytes.empty() ? "" : blob.bytes.data(),
                               blob.bytes.size(), SQLITE_TRANSIENT);
    }
    if (rc != SQLITE_OK) {
      sqliteFailed(db, "SQL parameter not bound");
    }
  }
}

}  // namespace

void Sql::PgFinish::operator()(pg_conn* connection) const noexcept { PQfinish(connection); }

Sql::Sql(const std::string& connector, const std::string& target)
    : postgres_(connector == "PostgreSQL") {
  if (postgres_) {
    pg_.reset(PQconnectdb(target.c_str()));
    if (!pg_ || PQstatus(pg_.get()) != CONNECTION_OK) {
      throw postgresError("cannot connect to PostgreSQL",
                          pg_ ? PQerrorMessage(pg_.get()) : nullptr);
    }
    return;
  }
  Poco::Data::SQLite::Connector::registerConnector();
  session_ = std::make_unique<Poco::Data::Session>(connector, target);
  db_ = Poco::Data::SQLite::Utility::dbHandle(*session_);
  // Told the WAL's size after each commit. (This replaces SQLite's own
  // automatic checkpoint hook: the journal checkpoints by itself.)
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int pages) {
        static_cast<Sql*>(self)->wal_pages_ = pages;
        return SQLITE_OK;
      },
      this);
}

Sql::~Sql() {
  statements_.clear();  // finalized before POCO closes the connection
}

bool Sql::good() const {
  return postgres_ ? PQstatus(pg_.get()) == CONNECTION_OK : session_->isGood();
}

void Sql::syncDatabaseFile() {
  sqlite3_file* file = nullptr;
  if (postgres_ ||
      sqlite3_file_control(db_, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr) {
    throw SqlError("the database file is not open");
  }
  if (file->pMethods->xSync(file, SQLITE_SYNC_NORMAL | SQLITE_SYNC_DATAONLY) != SQLITE_OK) {
    throw SqlError("syncing the database file failed");
  }
}

Rows Sql::execute(std::string_view sql, const std::vector<SqlValue>& values) {
  return postgres_ ? executePostgres(sql, values) : executeSqlite(sql, values);
}

Rows Sql::executeSqlite(std::string_view sql, const std::vector<SqlValue>& values) {
  auto found = statements_.find(sql);
  CachedStatement* cached = nullptr;
  std::unique_ptr<CachedStatement> own;
  if (found == statements_.end()) {
    cached = statements_.emplace(std::string(sql), prepare(db_, sql)).first->second.get();
  } else if (found->second->in_use) {
    own = prepare(db_, sql);
    cached = own.get();
  } else {
    cached = found->second.get();
  }
  Rows rows;
  bindAll(db_, *cached, values);
  cached->in_use = true;
  if (own) {
    cached->owned_by_rows = true;
    own.release();
  }
  rows.statement_ = cached;  // from here the rows reset (or finalize) it
  const int rc = sqlite3_step(cached->statement);
  if (rc == SQLITE_ROW) {
    rows.has_row_ = true;
  } else if (rc == SQLITE_DONE) {
    rows.affected_ = sqlite3_changes64(db_);
  } else {
    sqliteFailed(db_, "SQL statement failed");
  }
  return rows;
}

Rows Sql::executePostgres(std::string_view sql, const std::vector<SqlValue>& values) {
  PGconn* connection = pg_.get();
  std::vector<std::string> texts(values.size());
  std::vector<const char*> pointers(values.size());
  std::vector<int> lengths(values.size(), 0);
  std::vector<int> formats(values.size(), 0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (const auto* number = std::get_if<std::int64_t>(&values[i])) {
      texts[i] = std::to_string(*number);
    } else if (const auto* text = std::get_if<std::string>(&values[i])) {
      texts[i] = *text;
    } else {
      const auto& blob = std::get<Blob>(values[i]);
      texts[i].assign(blob.bytes);
      formats[i] = 1;  // binary: the bytes as they are
    }
    pointers[i] = texts[i].c_str();
    lengths[i] = static_cast<int>(texts[i].size());
  }
  const std::string statement(sql);
  PGresult* result = PQexecParams(connection, statement.c_str(), static_cast<int>(values.size()),
                                  nullptr, pointers.data(), lengths.data(), formats.data(), 0);
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    const SqlError error = postgresError(
        "SQL statement failed", result ? PQresultErrorMessage(result) : PQerrorMessage(connection));
    PQclear(result);
    throw error;
  }
  Rows rows;
  rows.result_ = result;
  const char* tuples = PQcmdTuples(result);
  rows.affected_ = tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0;
  return rows;
}

Rows::Rows(Rows&& other) noexcept
    : statement_(other.statement_),
      has_row_(other.has_row_),
      first_(other.first_),
      result_(other.result_),
      row_(other.row_),
      affected_(other.affected_) {
  other.statement_ = nullptr;
  other.result_ = nullptr;
}

Rows::~Rows() {
  if (statement_) {
    sqlite3_reset(statement_->statement);
    sqlite3_clear_bindings(statement_->statement);
    statement_->in_use = false;
    if (statement_->owned_by_rows) {
      delete statement_;
    }
  }
  PQclear(result_);
}

bool Rows::next() {
  if (result_) {
    return ++row_ < PQntuples(result_);
  }
  if (!statement_) {
    return false;
  }
  if (first_) {
    first_ = false;
    return has_row_;
  }
  if (!has_row_) {
    return false;
  }
  const int rc = sqlite3_step(statement_->statement);
  has_row_ = rc == SQLITE_ROW;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    sqliteFailed(sqlite3_db_handle(statement_->statement), "SQL statement failed");
  }
  return has_row_;
}

std::int64_t Rows::integer(int column) const {
  if (result_) {
    return PQgetisnull(result_, row_, column) != 0
               ? 0
               : std::strtoll(PQgetvalue(result_, row_, column), nullptr, 10);
  }
  return sqlite3_column_int64(statement_->statement, column);
}

std::string Rows::text(int column) const {
  if (result_) {
    return std::string(PQgetvalue(result_, row_, column),
                       static_cast<std::size_t>(PQgetlength(result_, row_, column)));
  }
  const auto* text = sqlite3_column_text(statement_->statement, column);
  const int size = sqlite3_column_bytes(statement_->statement, column);
  return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size))
              : std::string();
}

std::string Rows::bytes(int column) const {
  if (result_) {
    // Text results carry BYTEA escaped (`\x` and hex digits).
    std::size_t size = 0;
    unsigned char* raw = PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row_, column)), &size);
    if (!raw) {
      throw SqlError("a BYTEA column could not be decoded");
    }
    std::string bytes(reinterpret_cast<const char*>(raw), size);
    PQfreemem(raw);
    return bytes;
  }
  const void* blob = sqlite3_column_blob(statement_->statement, column);
  const int size = sqlite3_column_bytes(statement_->statement, column);
  return blob ? std::string(static_cast<const char*>(blob), static_cast<std::size_t>(size))
              : std::string();
}

}  // namespace rtw::store::detail
