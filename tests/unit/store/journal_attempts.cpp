// Translation attempts, on every backend: each is counted and on disk before
// the translation starts, a message whose attempt did not finish is claimed
// alone, and one that used all its attempts is set aside (dead) so that it
// stops holding up the messages behind it.

#include <catch2/catch.hpp>

#include "test_store.h"

using namespace rtw::store;
using rtw::testing::message;
using rtw::testing::TestStore;

namespace {

// After a lease could have run out (PostgreSQL): a "restart" claims again.
constexpr std::int64_t kLater = 10'000'000;

std::vector<std::int64_t> idsOf(const std::vector<JournalEntry>& entries) {
  std::vector<std::int64_t> ids;
  for (const auto& entry : entries) {
    ids.push_back(entry.id);
  }
  return ids;
}

}  // namespace

TEST_CASE("a claim counts an attempt that is on disk before the translation starts") {
  TestStore store;
  std::int64_t id = 0;
  {
    auto journal = store.open();
    id = journal->record(message("M1")).id;
    const auto claimed = journal->nextReceived(0, 4);
    REQUIRE(claimed.size() == 1);
    CHECK(claimed[0].attempts == 1);
    // The process dies here, during the translation: nothing else is written.
  }
  auto journal = store.open();
  CHECK(journal->message(id)->attempts == 1);
  CHECK(journal->message(id)->state == MessageState::kReceived);
}

TEST_CASE("a message whose last attempt did not finish is claimed alone") {
  TestStore store;
  std::vector<std::int64_t> ids;
  {
    auto journal = store.open();
    for (const char* control_id : {"POISON", "N1", "N2"}) {
      ids.push_back(journal->record(message(control_id)).id);
    }
    REQUIRE(journal->nextReceived(0, 8).size() == 3);  // all three in the batch that dies
  }
  auto journal = store.open();
  // Each of them is suspect now: one at a time, oldest first, and nothing
  // else is claimed while one is translated (if it kills the process again,
  // no other message loses an attempt with it).
  const auto first = journal->nextReceived(kLater, 8);
  CHECK(idsOf(first) == std::vector<std::int64_t>{ids[0]});
  CHECK(first[0].attempts == 2);
  CHECK(journal->nextReceived(kLater, 8).empty());
  journal->releaseReceived(ids[0]);  // it failed again, and stays suspect

  const auto second = journal->nextReceived(kLater, 8);
  CHECK(idsOf(second) == std::vector<std::int64_t>{ids[0]});
  CHECK(second[0].attempts == 3);
  journal->markTranslated(ids[0], {}, 0);

  // A fresh message behind the suspects waits for them.
  const auto fresh = journal->record(message("N3")).id;
  const auto third = journal->nextReceived(kLater, 8);
  CHECK(idsOf(third) == std::vector<std::int64_t>{ids[1]});
  CHECK(third[0].attempts == 2);
  journal->markTranslated(ids[1], {}, 0);
  const auto fourth = journal->nextReceived(kLater, 8);
  CHECK(idsOf(fourth) == std::vector<std::int64_t>{ids[2]});
  journal->markTranslated(ids[2], {}, 0);
  const auto fifth = journal->nextReceived(kLater, 8);
  CHECK(idsOf(fifth) == std::vector<std::int64_t>{fresh});
  CHECK(fifth[0].attempts == 1);
}

TEST_CASE("a suspect waits until the fresh messages in translation are done") {
  TestStore store;
  auto journal = store.open();
  const auto fresh = journal->record(message("F1")).id;
  REQUIRE(journal->nextReceived(0, 1).size() == 1);  // in translation
  const auto suspect = journal->record(message("S1")).id;
  REQUIRE(journal->nextReceived(0, 1).size() == 1);
  journal->releaseReceived(suspect);           // its attempt failed: suspect now
  CHECK(journal->nextReceived(0, 8).empty());  // F1 still in translation
  journal->markTranslated(fresh, {}, 0);
  const auto alone = journal->nextReceived(0, 8);
  REQUIRE(alone.size() == 1);
  CHECK(alone[0].id == suspect);
}

TEST_CASE("a message out of attempts is set aside with its reason and the others go on") {
  TestStore store;
  JournalOptions options;
  options.translation_attempts = 3;
  std::int64_t poison = 0;
  std::int64_t behind = 0;
  std::int64_t now = 0;
  {
    auto journal = store.open(options);
    poison = journal->record(message("POISON")).id;
    behind = journal->record(message("N1")).id;
  }
  for (int crash = 1; crash <= 3; ++crash) {  // three processes die translating it
    auto journal = store.open(options);
    now += kLater;
    const auto claimed = journal->nextReceived(now, 8);
    REQUIRE_FALSE(claimed.empty());
    CHECK(claimed[0].id == poison);
    CHECK(claimed[0].attempts == crash);
  }
  auto journal = store.open(options);
  now += kLater;
  const auto claimed = journal->nextReceived(now, 8);
  REQUIRE(claimed.size() == 2);
  CHECK(claimed[0].id == poison);
  CHECK(claimed[0].state == MessageState::kDead);
  CHECK_THAT(claimed[0].reason, Catch::Contains("did not finish in 3 attempts"));
  CHECK(claimed[0].payload.empty());  // reported, not translated
  CHECK(claimed[1].id == behind);
  CHECK(claimed[1].state == MessageState::kReceived);

  const auto stored = journal->message(poison);
  CHECK(stored->state == MessageState::kDead);
  CHECK_THAT(stored->reason, Catch::Contains("rtwctl messages reprocess"));
  CHECK(journal->counts().dead == 1);

  // After a fix the operator sends it through again, with its attempts back.
  REQUIRE(journal->reprocess(poison));
  CHECK(journal->message(poison)->state == MessageState::kReceived);
  CHECK(journal->message(poison)->attempts == 0);
  journal->markTranslated(behind, {}, 0);
  const auto again = journal->nextReceived(now + kLater, 8);
  REQUIRE(again.size() == 1);
  CHECK(again[0].id == poison);
  CHECK(again[0].attempts == 1);
}

TEST_CASE("a rejected message sent through again starts with no attempts") {
  TestStore store;
  auto journal = store.open();
  const auto id = journal->record(message("M1")).id;
  REQUIRE(journal->nextReceived(0, 1).size() == 1);
  journal->markRejected(id, "PID-3 has no WCN");
  REQUIRE(journal->reprocess(id));
  CHECK(journal->message(id)->attempts == 0);
}
