#pragma once
// The journal's statements, through each database's own client API: SQLite
// on a connection POCO opened (POCO 1.11's connector prepares a statement
// again on every execute, a fifth of the gateway's time under load; here
// statements are prepared once per connection and kept), PostgreSQL on a
// libpq connection of our own with parameters (POCO 1.11's PostgreSQL
// session never closed the libpq connection of a server that went away:
// each outage leaked one).
//
// SQL is written once for both backends: parameters `$1`, `$2`, ... (SQLite
// reads them as named parameters) and RETURNING.

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;
struct pg_result;
struct pg_conn;

namespace Poco::Data {
class Session;
}

namespace rtw::store::detail {

/// Bytes bound as a BLOB (SQLite) or BYTEA (PostgreSQL), not as text.
struct Blob {
  std::string_view bytes;
};

/// A statement failed; `what()` is the database's message (no values).
class SqlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using SqlValue = std::variant<std::int64_t, std::string, Blob>;

struct CachedStatement;

/// The rows of one statement that has run. Columns count from 0; a NULL
/// reads as 0 or empty.
class Rows {
 public:
  Rows(Rows&& other) noexcept;
  Rows& operator=(Rows&&) = delete;
  Rows(const Rows&) = delete;
  ~Rows();

  /// Moves to the next row (the first on the first call); false at the end.
  bool next();
  std::int64_t integer(int column) const;
  std::string text(int column) const;
  /// A BLOB/BYTEA column's bytes.
  std::string bytes(int column) const;
  /// Rows an INSERT, UPDATE or DELETE without RETURNING changed.
  std::int64_t affected() const { return affected_; }

 private:
  friend class Sql;
  Rows() = default;

  // SQLite: the statement after its first step.
  CachedStatement* statement_ = nullptr;
  bool has_row_ = false;
  bool first_ = true;
  // PostgreSQL: the whole result.
  pg_result* result_ = nullptr;
  int row_ = -1;
  std::int64_t affected_ = 0;
};

/// One connection to the journal's database and its prepared statements.
/// Not thread-safe: the journal holds a lock per connection.
class Sql {
 public:
  /// `connector`: "SQLite" or "PostgreSQL"; `target`: file or conninfo.
  Sql(const std::string& connector, const std::string& target);
  ~Sql();
  Sql(const Sql&) = delete;
  Sql& operator=(const Sql&) = delete;

  bool postgres() const { return postgres_; }
  /// False once the server connection broke (PostgreSQL).
  bool good() const;
  /// SQLite: the pages in the WAL after this connection's last commit.
  int walPages() const { return wal_pages_; }
  /// SQLite: flushes the database file's written pages to the disk
  /// (fdatasync). A checkpoint that does not reach the WAL's end leaves them
  /// to the one that does; this spreads that work. Throws SqlError.
  void syncDatabaseFile();

  template <class... Args>
  Rows run(std::string_view sql, const Args&... args) {
    std::vector<SqlValue> values;
    values.reserve(sizeof...(args));
    (values.emplace_back(value(args)), ...);
    return execute(sql, values);
  }
  Rows execute(std::string_view sql, const std::vector<SqlValue>& values);

 private:
  static SqlValue value(std::int64_t v) { return v; }
  static SqlValue value(int v) { return std::int64_t{v}; }
  static SqlValue value(const std::string& v) { return v; }
  static SqlValue value(const char* v) { return std::string(v); }
  static SqlValue value(Blob v) { return v; }

  Rows executeSqlite(std::string_view sql, const std::vector<SqlValue>& values);
  Rows executePostgres(std::string_view sql, const std::vector<SqlValue>& values);

  struct PgFinish {
    void operator()(pg_conn* connection) const noexcept;
  };
  std::unique_ptr<Poco::Data::Session> session_;  // SQLite
  std::unique_ptr<pg_conn, PgFinish> pg_;         // PostgreSQL
  bool postgres_;
  sqlite3* db_ = nullptr;
  int wal_pages_ = 0;
  // Looked up by the SQL text as given (a string_view): no string is built
  // per statement run.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>, TextHash, std::equal_to<>>
      statements_;
};

}  // namespace rtw::store::detail
