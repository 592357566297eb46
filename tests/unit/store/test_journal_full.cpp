// The journal's writes after a message was recorded (translation, delivery)
// on a full store: a refused write changes nothing, loses nothing, and the
// same step succeeds once space returns. A page limit stands in for the
// full disk (the real one is tests/integration/test_disk_full.cpp).

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <Poco/TemporaryFile.h>

#include "rtw/store/journal.h"

using namespace rtw::store;

namespace {

struct TempJournalFile {
  std::filesystem::path dir = Poco::TemporaryFile::tempName();
  std::filesystem::path file = dir / "journal.sqlite";
  TempJournalFile() { std::filesystem::create_directories(dir); }
  ~TempJournalFile() { std::filesystem::remove_all(dir); }
};

InboundMessage message(const std::string& control_id) {
  return {"clinic01", "mllp", "EMR|CLINIC01", control_id, "REF^I12", "MSH|...", "ACK"};
}

/// Limits the journal to its current size plus a page or two: any write
/// that needs new pages fails as on a full disk.
void fillUp(Journal& journal, const std::filesystem::path& file) {
  journal.setMaxPages(static_cast<int>(std::filesystem::file_size(file) / 4096) + 2);
}

const std::string kBig(256 * 1024, 'x');

}  // namespace

TEST_CASE("a translation the full journal refuses leaves the message received, nothing queued") {
  TempJournalFile temp;
  Journal journal(temp.file);
  const auto id = journal.record(message("M1")).id;
  fillUp(journal, temp.file);

  CHECK_THROWS(journal.markTranslated(id, {{"doc-1", "referral", kBig}}, 0));
  CHECK(journal.message(id)->state == MessageState::kReceived);
  CHECK_FALSE(journal.nextDue(0));
  const auto again = journal.nextReceived(0);
  REQUIRE(again);
  CHECK(again->id == id);

  journal.setMaxPages(0);  // space returns
  journal.markTranslated(id, {{"doc-1", "referral", kBig}}, 0);
  CHECK(journal.message(id)->state == MessageState::kTranslated);
  const auto item = journal.nextDue(0);
  REQUIRE(item);
  CHECK(item->document.body == kBig);
}

TEST_CASE("a delivery the full journal cannot record stays pending and is claimed again") {
  TempJournalFile temp;
  Journal journal(temp.file);
  const auto id = journal.record(message("M1")).id;
  journal.markTranslated(id, {{"doc-1", "referral", "<a/>"}}, 0);
  const auto item = journal.nextDue(0);
  REQUIRE(item);
  fillUp(journal, temp.file);

  // A receipt too big for the pages left: the update cannot be written.
  CHECK_THROWS(journal.markDelivered(item->id, kBig));
  journal.release(item->id);
  CHECK(journal.message(id)->state == MessageState::kTranslated);
  CHECK(journal.counts().outbox_pending == 1);
  const auto again = journal.nextDue(0);
  REQUIRE(again);
  CHECK(again->id == item->id);
  CHECK(again->attempts == 0);

  journal.setMaxPages(0);
  journal.markDelivered(again->id, "RCPT-1");
  CHECK(journal.message(id)->state == MessageState::kDelivered);
}

TEST_CASE("a journal that cannot be opened says which file and why") {
  TempJournalFile temp;
  std::ofstream(temp.file) << std::string(4096, '?');  // not an SQLite file
  CHECK_THROWS_WITH(Journal(temp.file),
                    Catch::Contains(temp.file.string()) && Catch::Contains("cannot open"));
}

TEST_CASE(
    "translations the full journal refuses do not use up the message's attempts: it is "
    "translated once space returns, not set aside") {
  TempJournalFile temp;
  JournalOptions options;
  options.translation_attempts = 3;
  Journal journal(temp.file, options);
  const auto id = journal.record(message("M1")).id;
  fillUp(journal, temp.file);
  // More failed commits than the message has attempts: each claim counts
  // one (on disk, the counter's page exists), each commit of the finished
  // translation is refused.
  for (int i = 0; i < 5; ++i) {
    const auto claimed = journal.nextReceived(0, 8);
    REQUIRE(claimed.size() == 1);
    CHECK(claimed[0].state == MessageState::kReceived);
    CHECK(claimed[0].attempts == 1);
    CHECK_THROWS(journal.finishTranslations({{id, {{"doc-1", "referral", kBig}}}}, 0));
  }
  CHECK(journal.message(id)->state == MessageState::kReceived);

  journal.setMaxPages(0);
  const auto claimed = journal.nextReceived(0, 8);
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].attempts == 1);
  journal.finishTranslations({{id, {{"doc-1", "referral", kBig}}}}, 0);
  CHECK(journal.message(id)->state == MessageState::kTranslated);
  // A crash during a translation still counts: the next claim after a
  // translation that did not end is attempt 2.
  const auto second = journal.record(message("M2")).id;
  REQUIRE(journal.nextReceived(0, 8).size() == 1);
  journal.releaseReceived(second);
  const auto again = journal.nextReceived(0, 8);
  REQUIRE(again.size() == 1);
  CHECK(again[0].attempts == 2);
}
