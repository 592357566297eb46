// The SQLite journal holds whole messages: its file, -wal and -shm are the
// gateway user's alone (0600), whatever the umask lets SQLite create, and a
// journal left readable by others is tightened when it is opened.

#include <sys/stat.h>
#include <catch2/catch.hpp>

#include <filesystem>

#include "test_store.h"

using namespace rtw::store;
using rtw::testing::message;
using rtw::testing::TestStore;

namespace {

unsigned modeOf(const std::string& file) {
  struct stat status {};
  REQUIRE(::stat(file.c_str(), &status) == 0);
  return status.st_mode & 0777;
}

// The usual umask for the test's length: SQLite alone would make 0644.
class Umask {
 public:
  explicit Umask(mode_t mask) : saved_(::umask(mask)) {}
  ~Umask() { ::umask(saved_); }
  Umask(const Umask&) = delete;
  Umask& operator=(const Umask&) = delete;

 private:
  mode_t saved_;
};

}  // namespace

TEST_CASE("a new journal, its WAL and its shared-memory file are 0600") {
  const Umask umask(022);
  TestStore store;
  auto journal = store.open();
  journal->record(message("M1"));  // a write: the WAL has content
  for (const char* suffix : {"", "-wal", "-shm"}) {
    INFO(store.target + suffix);
    CHECK(modeOf(store.target + suffix) == 0600);
  }
}

TEST_CASE("an existing journal readable by others is made 0600 when opened") {
  const Umask umask(022);
  TestStore store;
  auto gateway = store.open();
  gateway->record(message("M1"));
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::permissions(store.target + suffix, std::filesystem::perms::owner_read |
                                                            std::filesystem::perms::owner_write |
                                                            std::filesystem::perms::group_read |
                                                            std::filesystem::perms::others_read);
  }
  auto operator_tool = store.open();  // as rtwctl messages or a restarted gateway opens it
  for (const char* suffix : {"", "-wal", "-shm"}) {
    INFO(store.target + suffix);
    CHECK(modeOf(store.target + suffix) == 0600);
  }
  CHECK(operator_tool->counts().received == 1);  // and it is the same journal
}
