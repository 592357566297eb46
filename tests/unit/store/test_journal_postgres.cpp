// What only a shared PostgreSQL journal does: several instances (here,
// several Journal objects on one database) claim work without taking the
// same row twice, and the work of an instance that died comes back when its
// leases run out.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "test_store.h"

using namespace rtw::store;
using rtw::testing::message;
using rtw::testing::TestStore;

namespace {

JournalOptions instance(const std::string& owner, int lease_ms = 30000) {
  JournalOptions options;
  options.owner = owner;
  options.lease_ms = lease_ms;
  return options;
}

}  // namespace

TEST_CASE("two instances with two workers each never claim the same document") {
  TestStore store;
  auto a = store.open(instance("a"));
  auto b = store.open(instance("b"));
  constexpr int kDocuments = 200;
  for (int i = 0; i < kDocuments; ++i) {
    const auto id = a->record(message("M" + std::to_string(i))).id;
    a->markTranslated(id, {{"doc-" + std::to_string(i), "referral", "<a/>"}}, 0);
  }
  std::mutex mutex;
  std::multiset<std::string> claimed;
  std::vector<std::thread> workers;
  for (Journal* journal : {a.get(), a.get(), b.get(), b.get()}) {
    workers.emplace_back([&, journal] {
      while (auto item = journal->nextDue(0)) {
        journal->markDelivered(item->id, "R");
        std::lock_guard lock(mutex);
        claimed.insert(item->document.document_id);
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  CHECK(claimed.size() == kDocuments);
  CHECK(std::set<std::string>(claimed.begin(), claimed.end()).size() == kDocuments);
  CHECK(b->counts().delivered == kDocuments);
}

TEST_CASE("a document claimed by an instance that died is delivered by another after its lease") {
  TestStore store;
  auto dead = store.open(instance("dead", 1000));
  auto alive = store.open(instance("alive", 1000));
  const auto id = dead->record(message("M1")).id;
  dead->markTranslated(id, {{"doc-1", "referral", "<a/>"}}, 0);
  REQUIRE(dead->nextDue(10'000));       // claimed until 11,000, then the instance dies
  CHECK_FALSE(alive->nextDue(10'500));  // still held
  const auto taken = alive->nextDue(11'000);
  REQUIRE(taken);
  CHECK(taken->document.document_id == "doc-1");
  alive->markDelivered(taken->id, "RCPT-alive");
  dead->markDelivered(taken->id, "RCPT-dead");  // a late answer changes nothing
  CHECK(alive->outbox(id)[0].receipt == "RCPT-alive");
  CHECK(alive->outbox(id)[0].attempts == 1);
  CHECK(alive->message(id)->state == MessageState::kDelivered);
}

TEST_CASE(
    "a message being translated by one instance is left alone by another until its lease ends") {
  TestStore store;
  auto first = store.open(instance("first", 1000));
  auto second = store.open(instance("second", 1000));
  const auto id = first->record(message("M1")).id;
  REQUIRE(first->nextReceived(0));
  CHECK_FALSE(second->nextReceived(500));
  const auto again = second->nextReceived(1000);
  REQUIRE(again);
  CHECK(again->id == id);
}

TEST_CASE("two instances recording the same message at once keep one and answer both") {
  TestStore store;
  auto a = store.open(instance("a"));
  auto b = store.open(instance("b"));
  for (int round = 0; round < 20; ++round) {
    const auto m = message("SAME-" + std::to_string(round), "ACK-" + std::to_string(round));
    RecordResult from_a, from_b;
    std::thread ta([&] { from_a = a->record(m); });
    std::thread tb([&] { from_b = b->record(m); });
    ta.join();
    tb.join();
    CHECK(from_a.id == from_b.id);
    CHECK(from_a.duplicate != from_b.duplicate);
    CHECK(from_a.ack == from_b.ack);
  }
  CHECK(a->healthy());
  CHECK(b->healthy());
  CHECK(a->counts().received == 20);
}

TEST_CASE(
    "a PostgreSQL outage refuses records, and the journal reconnects once the server is back") {
  // A server of its own: stopping the shared one would fail the other tests.
  const std::string state = std::string(RTW_BINARY_DIR) + "/postgres-outage";
  const std::string cluster = std::string(RTW_SOURCE_DIR) + "/tests/support/pg-cluster";
  REQUIRE(std::system((cluster + " start " + state + " >/dev/null").c_str()) == 0);
  struct Cleanup {
    std::string command;
    ~Cleanup() { (void)std::system(command.c_str()); }
  } cleanup{cluster + " stop " + state};
  std::ifstream in(state + "/conninfo");
  std::string conninfo;
  std::getline(in, conninfo);

  JournalOptions options = instance("a");
  options.backend = Backend::kPostgresql;
  options.probe_interval_ms = 0;
  Journal journal(conninfo + " dbname=postgres", options);
  CHECK_FALSE(journal.record(message("before")).duplicate);

  REQUIRE(std::system((cluster + " pause " + state).c_str()) == 0);
  CHECK_THROWS_AS(journal.record(message("during")), StoreUnavailable);
  CHECK_FALSE(journal.healthy());
  CHECK_THROWS(journal.nextDue(0));  // the workers' reads fail too, and are tried again

  REQUIRE(std::system((cluster + " resume " + state).c_str()) == 0);
  CHECK_FALSE(journal.record(message("after")).duplicate);
  CHECK(journal.healthy());
  CHECK(journal.counts().received == 2);  // "during" was never stored, nor acknowledged
}
