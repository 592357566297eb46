#pragma once
// A fresh, empty journal location for one test case, on the backend of the
// test binary: a temporary SQLite file (store_sqlite.cpp) or a new database
// on the throw-away PostgreSQL server ctest starts (store_postgres.cpp).

#include <memory>
#include <string>

#include "rtw/store/journal.h"

namespace rtw::testing {

class TestStore {
 public:
  TestStore();
  ~TestStore();
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  /// A journal on this location; several may be open at once (with
  /// PostgreSQL they act as several gateway instances).
  std::unique_ptr<store::Journal> open(store::JournalOptions options = {}) const;

  std::string target;  // the SQLite file or the libpq connection string
  /// POCO's connector name for the backend: "SQLite" or "PostgreSQL".
  static const char* connector();

 private:
  std::shared_ptr<void> location_;  // what keeps the location alive (the database)
};

inline store::InboundMessage message(const std::string& control_id,
                                     const std::string& ack = "ACK") {
  return {"clinic01", "mllp", "EMR|CLINIC01", control_id, "REF^I12", "MSH|...", ack};
}

}  // namespace rtw::testing
