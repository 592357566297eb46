// The journal's behaviour, the same on every backend: this file is compiled
// into test_store (SQLite) and test_store_postgres (PostgreSQL), each with its
// own TestStore (test_store.h).

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "test_store.h"

using namespace rtw::store;
using rtw::testing::message;
using rtw::testing::TestStore;

TEST_CASE("a recorded message survives reopening the journal") {
  TestStore store;
  std::int64_t id = 0;
  {
    auto journal_ptr = store.open();
    Journal& journal = *journal_ptr;
    const RecordResult result = journal.record(message("M1"));
    CHECK_FALSE(result.duplicate);
    CHECK(result.ack == "ACK");
    id = result.id;
  }
  const auto entry = store.open()->message(id);
  REQUIRE(entry);
  CHECK(entry->control_id == "M1");
  CHECK(entry->payload == "MSH|...");
  CHECK(entry->state == MessageState::kReceived);
}

TEST_CASE("a message keeps the channel and format it came in, for the reader that translates it") {
  TestStore store;
  InboundMessage fhir = message("SR-1");
  fhir.channel = "fhir";
  fhir.format = "fhir+json";
  fhir.payload = R"({"resourceType":"ServiceRequest"})";
  const std::int64_t id = store.open()->record(fhir).id;
  const std::int64_t hl7 = store.open()->record(message("M1")).id;
  auto journal = store.open();
  const auto claimed = journal->nextReceived(0, 4);
  REQUIRE(claimed.size() == 2);
  CHECK(claimed[0].id == id);
  CHECK(claimed[0].channel == "fhir");
  CHECK(claimed[0].format == "fhir+json");
  CHECK(claimed[0].payload == fhir.payload);
  CHECK(claimed[1].id == hl7);
  CHECK(claimed[1].format == "hl7v2");
  CHECK(journal->message(id)->format == "fhir+json");
}

TEST_CASE("the same partner, sender and control id is a duplicate answered with the first ACK") {
  TestStore store;
  auto journal_ptr = store.open();
  Journal& journal = *journal_ptr;
  const RecordResult first = journal.record(message("M1", "FIRST-ACK"));
  const RecordResult again = journal.record(message("M1", "SECOND-ACK"));
  CHECK(again.duplicate);
  CHECK(again.id == first.id);
  CHECK(again.ack == "FIRST-ACK");
  CHECK(journal.counts().received == 1);

  InboundMessage other_partner = message("M1");
  other_partner.partner = "clinic02";
  CHECK_FALSE(journal.record(other_partner).duplicate);

  // The first answer can be read by the key alone (a FHIR transaction sent
  // again is answered so, before it is processed).
  CHECK(journal.answerByKey("clinic01", "EMR|CLINIC01", "M1") == "FIRST-ACK");
  CHECK(journal.answerByKey("clinic02", "EMR|CLINIC01", "M1") == "ACK");
  CHECK_FALSE(journal.answerByKey("clinic01", "EMR|CLINIC01", "M2"));
}

TEST_CASE("a message moves received → translated → delivered through its outbox") {
  TestStore store;
  auto journal_ptr = store.open();
  Journal& journal = *journal_ptr;
  const auto id = journal.record(message("M1")).id;
  const auto next = journal.nextReceived(0);
  REQUIRE(next);
  CHECK(next->id == id);

  journal.markTranslated(id, {{"doc-1", "referral", "<Referral/>"}, {"doc-2", "referral", "<R/>"}},
                         1000);
  CHECK_FALSE(journal.nextReceived(0));
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
  TestStore store;
  auto journal_ptr = store.open();
  Journal& journal = *journal_ptr;
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
  TestStore store;
  auto journal_ptr = store.open();
  Journal& journal = *journal_ptr;
  const auto id = journal.record(message("M1")).id;
  journal.markRejected(id, "PID-3 has no WCN");
  CHECK_FALSE(journal.nextReceived(0));
  CHECK(journal.message(id)->reason == "PID-3 has no WCN");
  CHECK(journal.counts().rejected == 1);
}

TEST_CASE("concurrent records share commits and each gets its own result") {
  TestStore store;
  auto journal_ptr = store.open();
  Journal& journal = *journal_ptr;
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
  TestStore store;
  JournalOptions options;
  options.group_commit = false;
  auto journal_ptr = store.open(options);
  Journal& journal = *journal_ptr;
  for (int i = 0; i < 10; ++i) {
    journal.record(message("M" + std::to_string(i)));
  }
  CHECK(journal.recordCommits() == 10);
}

TEST_CASE("a journal keeps its instance id across reopening and a new journal gets another") {
  TestStore first;
  TestStore second;
  const std::string id = first.open()->instanceId();
  CHECK(id.size() == 36);
  CHECK(first.open()->instanceId() == id);
  CHECK(second.open()->instanceId() != id);
}

TEST_CASE("delivery workers never claim the same document and a released one comes back") {
  TestStore store;
  auto journal_ptr = store.open();
  Journal& journal = *journal_ptr;
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

namespace {

// A message translated into one document with this order key.
std::int64_t addOrdered(Journal& journal, const std::string& control_id,
                        const std::string& order_key) {
  const auto id = journal.record(message(control_id)).id;
  journal.nextReceived(0);
  journal.markTranslated(id, {{"doc-" + control_id, "report", "<R/>", "", order_key}}, 0);
  return id;
}

}  // namespace

TEST_CASE("documents with one order key go one at a time, in the order of their messages") {
  TestStore store;
  auto journal = store.open();
  addOrdered(*journal, "A", "clinic01");
  addOrdered(*journal, "B", "clinic01");
  auto first = journal->nextDue(0);
  REQUIRE(first);
  CHECK(first->document.document_id == "doc-A");
  CHECK_FALSE(journal->nextDue(0));  // B waits while A is in flight
  journal->scheduleRetry(first->id, 5000, "HTTP 503");
  CHECK_FALSE(journal->nextDue(1000));  // ... and while A waits for its retry
  first = journal->nextDue(5000);
  REQUIRE(first);
  CHECK(first->document.document_id == "doc-A");
  journal->markDelivered(first->id, "R-A");
  const auto second = journal->nextDue(5000);
  REQUIRE(second);
  CHECK(second->document.document_id == "doc-B");
}

TEST_CASE("an order key holds up only its own documents, and a dead one holds up nothing") {
  TestStore store;
  auto journal = store.open();
  addOrdered(*journal, "A", "clinic01/111");
  addOrdered(*journal, "B", "clinic01/222");
  addOrdered(*journal, "C", "clinic01/111");
  addOrdered(*journal, "D", "");
  std::set<std::string> claimed;
  while (auto item = journal->nextDue(0)) {
    claimed.insert(item->document.document_id);
  }
  CHECK(claimed == std::set<std::string>{"doc-A", "doc-B", "doc-D"});  // C waits for A
  journal->markDead(1, "board answered 422");                          // A (outbox id 1) gives up
  const auto c = journal->nextDue(0);
  REQUIRE(c);
  CHECK(c->document.document_id == "doc-C");
}

TEST_CASE("an ordered document waits for an earlier message of its partner not yet translated") {
  TestStore store;
  auto journal = store.open();
  const auto earlier = journal->record(message("EARLY")).id;  // still received
  const auto later = journal->record(message("LATE")).id;
  journal->markTranslated(later, {{"doc-LATE", "report", "<R/>", "", "clinic01"}}, 0);
  CHECK_FALSE(journal->nextDue(0));
  journal->markTranslated(earlier, {{"doc-EARLY", "report", "<R/>", "", "clinic01"}}, 0);
  const auto first = journal->nextDue(0);
  REQUIRE(first);
  CHECK(first->document.document_id == "doc-EARLY");
}

TEST_CASE("translating a message twice (a second instance after a lease ran out) changes nothing") {
  TestStore store;
  auto journal = store.open();
  const auto id = journal->record(message("M1")).id;
  journal->markTranslated(id, {{"doc-1", "referral", "<a/>"}}, 0);
  journal->markTranslated(id, {{"doc-1", "referral", "<a/>"}}, 0);  // no unique-key error
  CHECK(journal->outbox(id).size() == 1);
  journal->markRejected(id, "late rejection");  // not from translated
  CHECK(journal->message(id)->state == MessageState::kTranslated);
}

TEST_CASE("workers claim received messages in batches, oldest first, never the same one twice") {
  TestStore store;
  auto journal = store.open();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(journal->record(message("M" + std::to_string(i))).id);
  }
  const auto first = journal->nextReceived(0, 3);
  const auto second = journal->nextReceived(0, 3);
  REQUIRE(first.size() == 3);
  REQUIRE(second.size() == 2);  // only two left unclaimed
  CHECK(first[0].id == ids[0]);
  CHECK(first[2].id == ids[2]);
  CHECK(second[0].id == ids[3]);
  CHECK(second[1].id == ids[4]);
  CHECK(second[1].control_id == "M4");
  CHECK(journal->nextReceived(0, 3).empty());
  // Given back after an attempt that failed: claimed again alone, once the
  // others in translation are done (journal_attempts.cpp).
  journal->releaseReceived(ids[1]);
  CHECK(journal->nextReceived(0, 3).empty());
  for (const auto id : {ids[0], ids[2], ids[3], ids[4]}) {
    journal->markTranslated(id, {}, 0);
  }
  const auto again = journal->nextReceived(0, 3);
  REQUIRE(again.size() == 1);
  CHECK(again[0].id == ids[1]);
  CHECK(again[0].attempts == 2);
}

TEST_CASE("a batch of translation outcomes is one commit: documents queued, rejections kept") {
  TestStore store;
  auto journal = store.open();
  const auto a = journal->record(message("A")).id;
  const auto b = journal->record(message("B")).id;
  const auto c = journal->record(message("C")).id;
  REQUIRE(journal->nextReceived(0, 3).size() == 3);
  const std::uint64_t commits = journal->commits();
  journal->finishTranslations(
      {{a, {{"doc-A", "referral", "<a/>"}}},
       {b, {}, TranslationResult::Kind::kRejected, "no mapping for REF^I12"},
       {c, {{"doc-C1", "report", "<c/>"}, {"doc-C2", "invoice", "<i/>"}}}},
      0);
  CHECK(journal->commits() == commits + 1);
  CHECK(journal->message(a)->state == MessageState::kTranslated);
  CHECK(journal->message(b)->state == MessageState::kRejected);
  CHECK(journal->message(b)->reason == "no mapping for REF^I12");
  CHECK(journal->outbox(c).size() == 2);
  CHECK(journal->counts().outbox_pending == 3);
  CHECK(journal->nextReceived(0, 3).empty());  // the claims ended with the outcomes
}

TEST_CASE("a batch of due documents takes one per order key, and its outcomes are one commit") {
  TestStore store;
  auto journal = store.open();
  const auto a = addOrdered(*journal, "A", "clinic01/111");
  addOrdered(*journal, "B", "clinic01/111");  // waits for A
  const auto c = addOrdered(*journal, "C", "clinic01/222");
  const auto d = addOrdered(*journal, "D", "");
  const auto items = journal->nextDue(0, 8);
  std::set<std::string> claimed;
  for (const auto& item : items) {
    claimed.insert(item.document.document_id);
  }
  CHECK(claimed == std::set<std::string>{"doc-A", "doc-C", "doc-D"});
  CHECK(journal->nextDue(0, 8).empty());

  using Kind = DeliveryResultRecord::Kind;
  std::vector<DeliveryResultRecord> outcomes;
  for (const auto& item : items) {
    if (item.message_id == a) {
      outcomes.push_back({item.id, Kind::kDelivered, "R-A"});
    } else if (item.message_id == c) {
      outcomes.push_back({item.id, Kind::kRetry, "HTTP 503", 5000});
    } else {
      outcomes.push_back({item.id, Kind::kDead, "board answered 422: bad claim"});
    }
  }
  const std::uint64_t commits = journal->commits();
  journal->finishDeliveries(outcomes);
  CHECK(journal->commits() == commits + 1);
  CHECK(journal->message(a)->state == MessageState::kDelivered);
  CHECK(journal->message(c)->state == MessageState::kTranslated);
  CHECK(journal->message(d)->state == MessageState::kDead);
  CHECK(journal->message(d)->reason == "board answered 422: bad claim");
  const auto next = journal->nextDue(0, 8);  // B now; C not before 5000
  REQUIRE(next.size() == 1);
  CHECK(next[0].document.document_id == "doc-B");
  CHECK(journal->nextDue(5000, 8).size() == 1);
}

TEST_CASE("the journal tells whether messages are arriving (workers size their batches by it)") {
  TestStore store;
  auto journal = store.open();
  CHECK_FALSE(journal->recordedWithin(1000));
  journal->record(message("M1"));
  CHECK(journal->recordedWithin(1000));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  CHECK_FALSE(journal->recordedWithin(10));
}

TEST_CASE("a message recorded without waiting is answered once its commit is on disk") {
  TestStore store;
  for (const bool group_commit : {true, false}) {
    JournalOptions options;
    options.group_commit = group_commit;
    auto journal = store.open(options);
    const std::string prefix = group_commit ? "G" : "S";
    std::mutex mutex;
    std::condition_variable answered;
    std::vector<RecordResult> results;
    int errors = 0;
    for (int i = 0; i < 20; ++i) {
      // Every second one repeats the one before: the duplicate gets its ACK.
      const std::string id = prefix + std::to_string(i - i % 2);
      journal->recordAsync(
          std::make_shared<InboundMessage>(message(id, "ACK-" + std::to_string(i))),
          [&](const RecordResult& result, std::exception_ptr error) {
            std::lock_guard lock(mutex);
            results.push_back(result);
            errors += error ? 1 : 0;
            answered.notify_all();
          });
    }
    std::unique_lock lock(mutex);
    REQUIRE(
        answered.wait_for(lock, std::chrono::seconds(10), [&] { return results.size() == 20; }));
    CHECK(errors == 0);
    // Each answer names a message that is in the journal, as recorded.
    for (const RecordResult& result : results) {
      const auto entry = journal->message(result.id);
      REQUIRE(entry);
      CHECK(entry->state == MessageState::kReceived);
      CHECK(result.ack.rfind("ACK-", 0) == 0);
    }
    const auto duplicates =
        std::count_if(results.begin(), results.end(), [](const auto& r) { return r.duplicate; });
    CHECK(duplicates == 10);
    journal.reset();
  }
}
