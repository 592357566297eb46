// Each TestStore is a database of its own on the tests' PostgreSQL server.

#include "postgres_database.h"
#include "test_store.h"

namespace rtw::testing {

TestStore::TestStore() {
  auto database = std::make_shared<PostgresDatabase>();
  target = database->conninfo();
  location_ = std::move(database);
}

TestStore::~TestStore() = default;

const char* TestStore::connector() { return "PostgreSQL"; }

std::unique_ptr<store::Journal> TestStore::open(store::JournalOptions options) const {
  options.backend = store::Backend::kPostgresql;
  return std::make_unique<store::Journal>(target, options);
}

}  // namespace rtw::testing
