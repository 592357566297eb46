#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <thread>
#include <vector>

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

InboundMessage message(const std::string& control_id, const std::string& ack = "ACK") {
  return {"clinic01", "mllp", "EMR|CLINIC01", control_id, "REF^I12", "MSH|...", ack};
}

}  // namespace

TEST_CASE("a recorded message survives reopening the journal") {
  TempJournalFile temp;
  std::int64_t id = 0;
  {
    Journal journal(temp.file);
    const RecordResult result = journal.record(message("M1"));
    CHECK_FALSE(result.duplicate);
    CHECK(result.ack == "ACK");
    id = result.id;
  }
  Journal reopened(temp.file);
  const auto entry = reopened.message(id);
  REQUIRE(entry);
  CHECK(entry->control_id == "M1");
  CHECK(entry->payload == "MSH|...");
  CHECK(entry->state == MessageState::kReceived);
}

TEST_CASE("the same partner, sender and control id is a duplicate answered with the first ACK") {
  TempJournalFile temp;
  Journal journal(temp.file);
  const RecordResult first = journal.record(message("M1", "FIRST-ACK"));
  const RecordResult again = journal.record(message("M1", "SECOND-ACK"));
  CHECK(again.duplicate);
  CHECK(again.id == first.id);
  CHECK(again.ack == "FIRST-ACK");
  CHECK(journal.counts().received == 1);

  InboundMessage other_partner = message("M1");
  other_partner.partner = "clinic02";
  CHECK_FALSE(journal.record(other_partner).duplicate);
}

TEST_CASE("a message moves received → translated → delivered through its outbox") {
  TempJournalFile temp;
  Journal journal(temp.file);
  const auto id = journal.record(message("M1")).id;
  const auto next = journal.nextReceived();
  REQUIRE(next);
  CHECK(next->id == id);

  journal.markTranslated(id, {{"doc-1", "referral", "<Referral/>"}, {"doc-2", "referral", "<R/>"}},
                         1000);
  CHECK_FALSE(journal.nextReceived());
  CHECK(journal.message(id)->state == MessageState::kTranslated);

  CHECK_FALSE(journal.nextDue(999));  // not due yet
  auto first = journal.nextDue(1000);
  REQUIRE(first);
  CHECK(first->document.document_id == "doc-1");
  CHECK(first->document.body == "<Referral/>");
  journal.markDelivered(first->id, "RCPT-1");
  CHECK(journal.message(id)->state == MessageState::kTranslated);  // doc-2 still pending

  auto second = journal.nextDue(1000);
  REQUIRE(second);
  CHECK(second->document.document_id == "doc-2");
  journal.markDelivered(second->id, "RCPT-2");
  CHECK(journal.message(id)->state == MessageState::kDelivered);
  CHECK(journal.counts().delivered == 1);
  CHECK(journal.counts().outbox_pending == 0);
}

TEST_CASE(
    "retries wait for their time and a dead document makes its message dead with the reason") {
  TempJournalFile temp;
  Journal journal(temp.file);
  const auto id = journal.record(message("M1")).id;
  journal.markTranslated(id, {{"doc-1", "referral", "<Referral/>"}}, 0);
  auto item = journal.nextDue(0);
  REQUIRE(item);
  journal.scheduleRetry(item->id, 5000, "HTTP 503");
  CHECK_FALSE(journal.nextDue(4999));
  item = journal.nextDue(5000);
  REQUIRE(item);
  CHECK(item->attempts == 1);
  journal.markDead(item->id, "board answered 422: worker/family missing");
  const auto entry = journal.message(id);
  CHECK(entry->state == MessageState::kDead);
  CHECK(entry->reason == "board answered 422: worker/family missing");
}

TEST_CASE("a rejected message keeps its reason and is not translated again") {
  TempJournalFile temp;
  Journal journal(temp.file);
  const auto id = journal.record(message("M1")).id;
  journal.markRejected(id, "PID-3 has no WCN");
  CHECK_FALSE(journal.nextReceived());
  CHECK(journal.message(id)->reason == "PID-3 has no WCN");
  CHECK(journal.counts().rejected == 1);
}

TEST_CASE("concurrent records share commits and each gets its own result") {
  TempJournalFile temp;
  Journal journal(temp.file);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::int64_t>> ids(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const auto result =
            journal.record(message("T" + std::to_string(t) + "-" + std::to_string(i)));
        ids[t].push_back(result.id);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  std::set<std::int64_t> unique;
  for (const auto& list : ids) {
    unique.insert(list.begin(), list.end());
  }
  CHECK(unique.size() == kThreads * kPerThread);
  CHECK(journal.counts().received == kThreads * kPerThread);
  CHECK(journal.recordedMessages() == kThreads * kPerThread);
  // Several messages rode on each commit (8 writers, one commit in flight).
  CHECK(journal.recordCommits() < journal.recordedMessages());
}

TEST_CASE("without group commit each message has its own commit") {
  TempJournalFile temp;
  JournalOptions options;
  options.group_commit = false;
  Journal journal(temp.file, options);
  for (int i = 0; i < 10; ++i) {
    journal.record(message("M" + std::to_string(i)));
  }
  CHECK(journal.recordCommits() == 10);
}

TEST_CASE("a full store refuses records until space returns and recovers without a restart") {
  TempJournalFile temp;
  JournalOptions options;
  options.probe_interval_ms = 0;
  Journal journal(temp.file, options);
  journal.record(message("before"));
  const auto pages_now = [&] {
    return static_cast<int>(std::filesystem::file_size(temp.file) / 4096) + 2;
  };
  journal.setMaxPages(pages_now());
  const std::string big(64 * 1024, 'x');
  int refused = 0;
  int i = 0;
  for (; i < 50 && refused == 0; ++i) {
    InboundMessage m = message("fill" + std::to_string(i));
    m.payload = big;
    try {
      journal.record(m);
    } catch (const StoreUnavailable&) {
      ++refused;
    }
  }
  REQUIRE(refused == 1);
  CHECK_FALSE(journal.healthy());
  const int committed_before_full = i - 1;
  // The refused message is not in the journal: nothing was acknowledged for it.
  CHECK(journal.counts().received == 1 + committed_before_full);

  journal.setMaxPages(0);  // space returns
  InboundMessage after = message("after");
  CHECK_FALSE(journal.record(after).duplicate);
  CHECK(journal.healthy());
}

TEST_CASE("a journal keeps its instance id across reopening and a new journal gets another") {
  TempJournalFile first;
  TempJournalFile second;
  std::string id;
  {
    Journal journal(first.file);
    id = journal.instanceId();
    CHECK(id.size() == 36);
  }
  CHECK(Journal(first.file).instanceId() == id);
  CHECK(Journal(second.file).instanceId() != id);
}

TEST_CASE("delivery workers never claim the same document and a released one comes back") {
  TempJournalFile temp;
  Journal journal(temp.file);
  const auto id = journal.record(message("M1")).id;
  journal.markTranslated(id, {{"doc-1", "referral", "<a/>"}, {"doc-2", "referral", "<b/>"}}, 0);
  const auto first = journal.nextDue(0);
  const auto second = journal.nextDue(0);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->id != second->id);
  CHECK_FALSE(journal.nextDue(0));  // both held
  journal.release(first->id);
  const auto again = journal.nextDue(0);
  REQUIRE(again);
  CHECK(again->id == first->id);
  journal.markDelivered(second->id, "R2");
  CHECK_FALSE(journal.nextDue(0));  // first is held again, second is done
}
