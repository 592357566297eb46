#pragma once
// A database of its own on the throw-away PostgreSQL server that the ctest
// fixture "postgres" starts (tests/support/pg-cluster), dropped when done.

#include <string>

namespace rtw::testing {

class PostgresDatabase {
 public:
  PostgresDatabase();   // CREATE DATABASE with a name unique to this process
  ~PostgresDatabase();  // DROP DATABASE ... WITH (FORCE)
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  /// The libpq connection string of the database.
  const std::string& conninfo() const { return conninfo_; }

 private:
  std::string name_;
  std::string conninfo_;
};

}  // namespace rtw::testing
