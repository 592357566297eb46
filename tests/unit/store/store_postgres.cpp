// Each TestStore is a database of its own on the throw-away server that the
// ctest fixture "postgres" starts (tests/support/pg-cluster); the fixture
// writes the server's connection string to the file RTW_TEST_POSTGRES_FILE.

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Process.h>

#include "test_store.h"

namespace rtw::testing {
namespace {

using namespace Poco::Data::Keywords;

std::string serverConnection() {
  const char* file = std::getenv("RTW_TEST_POSTGRES_FILE");
  if (file == nullptr) {
    throw std::runtime_error(
        "RTW_TEST_POSTGRES_FILE is not set: run through ctest, whose fixture starts the server");
  }
  std::ifstream in(file);
  std::string conninfo;
  std::getline(in, conninfo);
  if (conninfo.empty()) {
    throw std::runtime_error(std::string("no PostgreSQL connection string in ") + file);
  }
  return conninfo;
}

std::string databaseName() {
  static std::atomic<int> next{0};
  return "rtw_test_" + std::to_string(Poco::Process::id()) + "_" + std::to_string(++next);
}

void administer(const std::string& statement) {
  Poco::Data::PostgreSQL::Connector::registerConnector();
  Poco::Data::Session admin("PostgreSQL", serverConnection() + " dbname=postgres");
  admin << statement, now;
}

std::string database_of(const std::string& target) {
  return target.substr(target.rfind("dbname=") + 7);
}

}  // namespace

TestStore::TestStore() {
  const std::string name = databaseName();
  administer("CREATE DATABASE " + name);
  target = serverConnection() + " dbname=" + name;
}

TestStore::~TestStore() {
  try {
    administer("DROP DATABASE IF EXISTS " + database_of(target) + " WITH (FORCE)");
  } catch (...) {
    // The server goes away with the fixture anyway.
  }
}

std::unique_ptr<store::Journal> TestStore::open(store::JournalOptions options) const {
  options.backend = store::Backend::kPostgresql;
  return std::make_unique<store::Journal>(target, options);
}

}  // namespace rtw::testing
