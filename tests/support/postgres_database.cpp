#include "postgres_database.h"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <libpq-fe.h>

#include <memory>

#include <Poco/Process.h>

namespace rtw::testing {
namespace {

// The fixture writes the server's connection string to RTW_TEST_POSTGRES_FILE.
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

void administer(const std::string& statement) {
  const std::unique_ptr<PGconn, void (*)(PGconn*)> admin(
      PQconnectdb((serverConnection() + " dbname=postgres").c_str()), PQfinish);
  if (PQstatus(admin.get()) != CONNECTION_OK) {
    throw std::runtime_error(std::string("cannot reach the test server: ") +
                             PQerrorMessage(admin.get()));
  }
  const std::unique_ptr<PGresult, void (*)(PGresult*)> result(
      PQexec(admin.get(), statement.c_str()), PQclear);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    throw std::runtime_error(statement + ": " + PQerrorMessage(admin.get()));
  }
}

}  // namespace

PostgresDatabase::PostgresDatabase() {
  static std::atomic<int> next{0};
  name_ = "rtw_test_" + std::to_string(Poco::Process::id()) + "_" + std::to_string(++next);
  administer("CREATE DATABASE " + name_);
  conninfo_ = serverConnection() + " dbname=" + name_;
}

PostgresDatabase::~PostgresDatabase() {
  try {
    administer("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
    // The server and its files go away with the fixture anyway.
  }
}

}  // namespace rtw::testing
