// The board simulator's store: one append-only file and an index rebuilt on
// open. A key holds one document (same body again: the first receipt;
// another body: a conflict), concurrent stores share their syncs, and a torn
// record at the end is cut off without losing the ones before it.

#include <sys/resource.h>
#include <sys/stat.h>
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include <Poco/TemporaryFile.h>

#include "rtw/boardsim/accepted_documents.h"

using rtw::boardsim::AcceptedDocuments;
using rtw::boardsim::readAcceptedDocuments;
using Outcome = AcceptedDocuments::Outcome;

namespace {

struct TempStore {
  std::filesystem::path dir = Poco::TemporaryFile::tempName();
  ~TempStore() { std::filesystem::remove_all(dir); }
};

/// While alive, this process may not grow any file past `bytes` (a full disk
/// for the store's next append): writes beyond fail with EFBIG.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*previous_handler_)(int) = nullptr;
};

}  // namespace

TEST_CASE("a key holds one document: the same body again gets its receipt, another a conflict") {
  TempStore temp;
  AcceptedDocuments store(temp.dir);
  CHECK_FALSE(store.existing("referral", "k1", "<a/>"));
  const auto first = store.store("referral", "k1", "<a/>");
  CHECK(first.outcome == Outcome::kCreated);
  // A random UUID (version 4, RFC 4122 variant) after the prefix.
  CHECK(std::regex_match(first.receipt, std::regex("RCPT-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                                                   "[89ab][0-9a-f]{3}-[0-9a-f]{12}")));

  const auto again = store.existing("referral", "k1", "<a/>");
  REQUIRE(again);
  CHECK(again->outcome == Outcome::kSameAgain);
  CHECK(again->receipt == first.receipt);
  CHECK(store.store("referral", "k1", "<a/>").outcome == Outcome::kSameAgain);
  CHECK(store.existing("referral", "k1", "<b/>")->outcome == Outcome::kConflict);
  CHECK(store.store("referral", "k1", "<b/>").outcome == Outcome::kConflict);
  CHECK(store.find("referral", "k1")->body == "<a/>");

  // The same key under another type is another document.
  const auto invoice = store.store("invoice", "k1", "<b/>");
  CHECK(invoice.outcome == Outcome::kCreated);
  CHECK(invoice.receipt != first.receipt);
  CHECK(store.keys("referral") == std::vector<std::string>{"k1"});
  CHECK(store.keys("invoice") == std::vector<std::string>{"k1"});
}

TEST_CASE("reopening the store rebuilds the index: receipts and conflicts survive a restart") {
  TempStore temp;
  std::string receipt;
  {
    AcceptedDocuments store(temp.dir);
    receipt = store.store("referral", "k1", "<a>one</a>").receipt;
    store.store("report", "k2", "<b>two\nlines</b>");
  }
  AcceptedDocuments reopened(temp.dir);
  CHECK(reopened.existing("referral", "k1", "<a>one</a>")->receipt == receipt);
  CHECK(reopened.existing("referral", "k1", "<a>other</a>")->outcome == Outcome::kConflict);
  CHECK(reopened.find("report", "k2")->body == "<b>two\nlines</b>");
  CHECK(reopened.store("referral", "k3", "<c/>").outcome == Outcome::kCreated);

  const auto documents = readAcceptedDocuments(temp.dir);
  REQUIRE(documents.size() == 3);
  CHECK(documents[0].key == "k1");
  CHECK(documents[0].receipt == receipt);
  CHECK(documents[1].body == "<b>two\nlines</b>");
  CHECK(documents[2].type == "referral");
}

TEST_CASE("a torn record at the end is cut off and the documents before it stay") {
  TempStore temp;
  {
    AcceptedDocuments store(temp.dir);
    store.store("referral", "k1", "<a/>");
    store.store("referral", "k2", "<b/>");
  }
  const auto file = temp.dir / "documents.log";
  const auto whole = std::filesystem::file_size(file);
  SECTION("cut in the middle of the last record") { std::filesystem::resize_file(file, whole - 3); }
  SECTION("garbage after the last record") {
    std::ofstream(file, std::ios::app) << "RTWDOC1 referral k9 RCPT-x 100 0\n<partial";
  }
  SECTION("a body whose checksum does not match") {
    std::fstream edit(file, std::ios::in | std::ios::out | std::ios::binary);
    edit.seekp(static_cast<std::streamoff>(whole - 3));
    edit << "X";
  }
  const auto damaged_size = std::filesystem::file_size(file);
  AcceptedDocuments reopened(temp.dir);
  CHECK(reopened.find("referral", "k1"));
  const auto kept = std::filesystem::file_size(file);
  CHECK(std::filesystem::file_size(temp.dir / ("documents.log.cut-at-" + std::to_string(kept))) ==
        damaged_size - kept);  // what was cut is kept beside the log
  const bool k2_intact = std::filesystem::file_size(file) == whole;
  CHECK(static_cast<bool>(reopened.find("referral", "k2")) == k2_intact);
  // New documents follow the last good record and are read back.
  reopened.store("referral", "k3", "<c/>");
  const auto documents = readAcceptedDocuments(temp.dir);
  REQUIRE_FALSE(documents.empty());
  CHECK(documents.back().key == "k3");
}

TEST_CASE(
    "the zeros an open log runs ahead with are not records: after a crash they are cut without a "
    "trace, and a record torn among them is kept aside") {
  TempStore running;
  AcceptedDocuments store(running.dir);
  store.store("referral", "k1", "<a/>");
  store.store("referral", "k2", "<b/>");
  const auto file = running.dir / "documents.log";
  REQUIRE(std::filesystem::file_size(file) > 4u << 20);  // grown ahead of its two records

  // The log as a kill -9 leaves it, copied while the simulator still runs.
  TempStore crashed;
  std::filesystem::create_directories(crashed.dir);
  std::filesystem::copy_file(file, crashed.dir / "documents.log");
  SECTION("only zeros after the last record") {
    AcceptedDocuments reopened(crashed.dir);
    CHECK(reopened.find("referral", "k2"));
    reopened.store("referral", "k3", "<c/>");
    CHECK(readAcceptedDocuments(crashed.dir).size() == 3);
    for (const auto& entry : std::filesystem::directory_iterator(crashed.dir)) {
      CHECK(entry.path().filename() == "documents.log");  // nothing was cut aside
    }
  }
  SECTION("a torn record among the zeros") {
    const auto size = std::filesystem::file_size(crashed.dir / "documents.log");
    const std::string torn = "RTWDOC1 referral k9 RCPT-x 100 0\n<partial";
    std::uint64_t last_end = 0;
    {
      // Where the second record ends: its body "<b/>" and the newline after it.
      std::ifstream in(crashed.dir / "documents.log", std::ios::binary);
      std::string bytes(4096, '\0');
      in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      last_end = bytes.find("<b/>\n") + 5;
    }
    {
      std::fstream edit(crashed.dir / "documents.log",
                        std::ios::in | std::ios::out | std::ios::binary);
      edit.seekp(static_cast<std::streamoff>(last_end));
      edit << torn;
    }
    CHECK(std::filesystem::file_size(crashed.dir / "documents.log") == size);
    AcceptedDocuments reopened(crashed.dir);
    CHECK(reopened.find("referral", "k2"));
    CHECK_FALSE(reopened.find("referral", "k9"));
    const auto cut = crashed.dir / ("documents.log.cut-at-" + std::to_string(last_end));
    REQUIRE(std::filesystem::exists(cut));
    CHECK(std::filesystem::file_size(cut) == torn.size());
  }
}

TEST_CASE("concurrent stores each get their own receipt and all are on disk") {
  TempStore temp;
  AcceptedDocuments store(temp.dir);
  constexpr int kThreads = 8;
  constexpr int kEach = 50;
  std::vector<std::thread> threads;
  std::vector<std::set<std::string>> receipts(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string key = "k" + std::to_string(t) + "-" + std::to_string(i);
        receipts[t].insert(store.store("referral", key, "<d>" + key + "</d>").receipt);
        // The same key from another thread at once: one document, one receipt.
        store.store("referral", "shared-" + std::to_string(i), "<s/>");
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  std::set<std::string> all;
  for (const auto& some : receipts) {
    all.insert(some.begin(), some.end());
  }
  CHECK(all.size() == kThreads * kEach);
  CHECK(readAcceptedDocuments(temp.dir).size() == kThreads * kEach + kEach);
  CHECK(store.keys("referral").size() == kThreads * kEach + kEach);
}

TEST_CASE(
    "a document the disk cannot take is refused, leaves nothing behind, and the store takes "
    "documents again when space returns") {
  TempStore temp;
  AcceptedDocuments store(temp.dir);
  store.store("referral", "k1", "<a/>");
  const auto file = temp.dir / "documents.log";
  // The open log runs up to 4 MiB of zeros ahead of its records: a document
  // larger than that needs the file to grow.
  const auto size = std::filesystem::file_size(file);
  const std::string large(5 << 20, 'x');
  {
    const FileSizeLimit full(size + 100);
    CHECK_THROWS_AS(store.store("referral", "k2", large), rtw::boardsim::StoreFailure);
  }
  CHECK(std::filesystem::file_size(file) == size);  // the space taken was given back
  CHECK_FALSE(store.existing("referral", "k2", large));
  CHECK(store.store("referral", "k2", large).outcome == Outcome::kCreated);
  const auto documents = readAcceptedDocuments(temp.dir);
  REQUIRE(documents.size() == 2);
  CHECK(documents[1].key == "k2");
}

TEST_CASE("the file-per-document store of earlier simulators is taken over with its receipts") {
  TempStore temp;
  std::filesystem::create_directories(temp.dir / "referral");
  std::ofstream(temp.dir / "referral" / "old-1.xml") << "<old/>";
  std::ofstream(temp.dir / "referral" / "old-1.receipt") << "RCPT-old-1";
  std::ofstream(temp.dir / "referral" / "torn.xml") << "<no receipt: never accepted/>";
  {
    AcceptedDocuments store(temp.dir);
    CHECK(store.existing("referral", "old-1", "<old/>")->receipt == "RCPT-old-1");
    CHECK(store.existing("referral", "old-1", "<new/>")->outcome == Outcome::kConflict);
    CHECK_FALSE(store.existing("referral", "torn", "<no receipt: never accepted/>"));
  }
  AcceptedDocuments reopened(temp.dir);  // taken over once, not twice
  CHECK(readAcceptedDocuments(temp.dir).size() == 1);
  CHECK(reopened.keys("referral") == std::vector<std::string>{"old-1"});
}

TEST_CASE("the store's log and what is cut from it are readable by the simulator's user alone") {
  const mode_t saved = ::umask(022);
  TempStore temp;
  const auto file = temp.dir / "documents.log";
  const auto mode = [](const std::filesystem::path& path) {
    struct stat status {};
    REQUIRE(::stat(path.c_str(), &status) == 0);
    return status.st_mode & 0777;
  };
  {
    AcceptedDocuments store(temp.dir);
    store.store("referral", "k1", "<a/>");
  }
  CHECK(mode(file) == 0600);
  // A log an older simulator left 0644, with a torn record at its end.
  std::filesystem::permissions(
      file, std::filesystem::perms::group_read | std::filesystem::perms::others_read,
      std::filesystem::perm_options::add);
  const auto kept = std::filesystem::file_size(file);
  std::ofstream(file, std::ios::app) << "RTWDOC1 referral k9 RCPT-x 100 0\n<partial";
  AcceptedDocuments reopened(temp.dir);
  CHECK(mode(file) == 0600);
  CHECK(mode(temp.dir / ("documents.log.cut-at-" + std::to_string(kept))) == 0600);
  ::umask(saved);
}
