#include <filesystem>

#include <Poco/TemporaryFile.h>

#include "test_store.h"

namespace rtw::testing {

TestStore::TestStore() {
  const std::filesystem::path dir = Poco::TemporaryFile::tempName();
  std::filesystem::create_directories(dir);
  target = (dir / "journal.sqlite").string();
}

TestStore::~TestStore() {
  std::filesystem::remove_all(std::filesystem::path(target).parent_path());
}

const char* TestStore::connector() { return "SQLite"; }

std::unique_ptr<store::Journal> TestStore::open(store::JournalOptions options) const {
  return std::make_unique<store::Journal>(target, options);
}

}  // namespace rtw::testing
