// The journal's statement layer (gateway/store/src/sql.h) on both backends:
// parameters by number in any order, kept statements reused, a statement run
// again while its rows are still being read, and errors that name the cause.

#include <catch2/catch.hpp>

#include "sql.h"
#include "test_store.h"

using rtw::store::detail::Blob;
using rtw::store::detail::Rows;
using rtw::store::detail::Sql;
using rtw::store::detail::SqlError;
using rtw::testing::TestStore;

namespace {

// A table of the journal's column types, created through the layer itself.
void makeTable(Sql& sql) {
  sql.run(sql.postgres() ? "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, name TEXT, data BYTEA)"
                         : "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB)");
}

}  // namespace

TEST_CASE("statements bind $n by number, whatever order they appear in") {
  TestStore store;
  Sql sql(TestStore::connector(), store.target);
  makeTable(sql);
  Rows inserted = sql.run("INSERT INTO t (data, name) VALUES ($2, $1) RETURNING id", "first",
                          Blob{std::string_view("\0\x01\xff", 3)});
  REQUIRE(inserted.next());
  const std::int64_t id = inserted.integer(0);
  Rows read = sql.run("SELECT name, data, id FROM t WHERE id = $1", id);
  REQUIRE(read.next());
  CHECK(read.text(0) == "first");
  CHECK(read.bytes(1) == std::string("\0\x01\xff", 3));  // bytes, not text: the NUL survives
  CHECK(read.integer(2) == id);
  CHECK_FALSE(read.next());
}

TEST_CASE("the same statement runs again while its rows are still being read") {
  TestStore store;
  Sql sql(TestStore::connector(), store.target);
  makeTable(sql);
  for (const char* name : {"a", "b", "c"}) {
    sql.run("INSERT INTO t (name, data) VALUES ($1, $2)", name, Blob{""});
  }
  const char* select = "SELECT name FROM t WHERE name >= $1 ORDER BY name";
  std::string outer, inner;
  Rows rows = sql.run(select, "a");
  while (rows.next()) {
    outer += rows.text(0);
    Rows again = sql.run(select, "b");  // the kept statement is busy: a second one
    while (again.next()) {
      inner += again.text(0);
    }
  }
  CHECK(outer == "abc");
  CHECK(inner == "bcbcbc");
  // Both are done: the kept statement is used again, with new values.
  Rows last = sql.run(select, "c");
  REQUIRE(last.next());
  CHECK(last.text(0) == "c");
}

TEST_CASE("an UPDATE tells how many rows it changed") {
  TestStore store;
  Sql sql(TestStore::connector(), store.target);
  makeTable(sql);
  sql.run("INSERT INTO t (name, data) VALUES ($1, $2)", "x", Blob{"1"});
  sql.run("INSERT INTO t (name, data) VALUES ($1, $2)", "x", Blob{"2"});
  CHECK(sql.run("UPDATE t SET name = $1 WHERE name = $2", "y", "x").affected() == 2);
  CHECK(sql.run("UPDATE t SET name = $1 WHERE name = $2", "y", "x").affected() == 0);
}

TEST_CASE("a failing statement throws SqlError with the database's reason") {
  TestStore store;
  Sql sql(TestStore::connector(), store.target);
  makeTable(sql);
  CHECK_THROWS_AS(sql.run("SELECT nothing FROM nowhere"), SqlError);
  sql.run("INSERT INTO t (id, name, data) VALUES ($1, $2, $3)", 1, "a", Blob{""});
  // SQLite: "UNIQUE constraint failed: t.id"; PostgreSQL: "duplicate key
  // value violates unique constraint".
  CHECK_THROWS_WITH(sql.run("INSERT INTO t (id, name, data) VALUES ($1, $2, $3)", 1, "b", Blob{""}),
                    Catch::Contains("SQL statement failed") &&
                        Catch::Contains("unique", Catch::CaseSensitive::No));
  CHECK_THROWS_AS(sql.run("SELECT name FROM t WHERE id = $1"), SqlError);  // a value missing
  // The connection is still usable after the failures.
  Rows count = sql.run("SELECT COUNT(*) FROM t");
  REQUIRE(count.next());
  CHECK(count.integer(0) == 1);
}
