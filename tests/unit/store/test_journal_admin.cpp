#include <catch2/catch.hpp>

#include "test_store.h"

using namespace rtw::store;

namespace {

struct TempJournal {
  rtw::testing::TestStore store;
  std::unique_ptr<Journal> journal = store.open();
  std::int64_t add(const std::string& partner, const std::string& control_id,
                   const std::string& claim) {
    const auto id =
        journal->record({partner, "mllp", "EMR|F", control_id, "REF^I12", "MSH|payload", "ACK"}).id;
    journal->markTranslated(id, {{"doc-" + control_id, "referral", "<Referral/>", claim}}, 0);
    return id;
  }
};

}  // namespace

TEST_CASE("operators find messages by partner, state and claim number") {
  TempJournal t;
  const auto a = t.add("clinic01", "A", "11111111");
  const auto b = t.add("clinic02", "B", "22222222");
  t.journal->markDelivered(t.journal->nextDue(0)->id, "RCPT-1");  // A

  auto ids = [](const std::vector<JournalEntry>& entries) {
    std::vector<std::int64_t> out;
    for (const auto& e : entries) {
      out.push_back(e.id);
    }
    return out;
  };
  CHECK(ids(t.journal->list({})) == std::vector<std::int64_t>{b, a});  // newest first
  MessageFilter by_partner;
  by_partner.partner = "clinic02";
  CHECK(ids(t.journal->list(by_partner)) == std::vector<std::int64_t>{b});
  MessageFilter by_state;
  by_state.state = "delivered";
  CHECK(ids(t.journal->list(by_state)) == std::vector<std::int64_t>{a});
  MessageFilter by_claim;
  by_claim.claim_number = "22222222";
  CHECK(ids(t.journal->list(by_claim)) == std::vector<std::int64_t>{b});
  MessageFilter future;
  future.received_from = "2999-01-01";
  CHECK(t.journal->list(future).empty());
  CHECK(t.journal->list({})[0].payload.empty());  // lists never carry payloads
}

TEST_CASE("a dead message is reprocessed from its outbox and a rejected one from the start") {
  TempJournal t;
  const auto dead = t.add("clinic01", "D", "1");
  t.journal->markDead(t.journal->nextDue(0)->id, "board answered 422");
  REQUIRE(t.journal->message(dead)->state == MessageState::kDead);
  CHECK(t.journal->reprocess(dead));
  CHECK(t.journal->message(dead)->state == MessageState::kTranslated);
  const auto rows = t.journal->outbox(dead);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].state == "pending");
  CHECK(rows[0].attempts == 0);
  CHECK(t.journal->nextDue(0).has_value());

  const auto rejected =
      t.journal->record({"clinic01", "mllp", "EMR|F", "R", "REF^I12", "MSH|x", "ACK"}).id;
  t.journal->markRejected(rejected, "PID-3 has no WCN");
  CHECK(t.journal->reprocess(rejected));
  CHECK(t.journal->message(rejected)->state == MessageState::kReceived);
  CHECK(t.journal->message(rejected)->reason.empty());

  CHECK_FALSE(t.journal->reprocess(dead));  // translated now: not dead, left alone
  CHECK_FALSE(t.journal->reprocess(999));
}

TEST_CASE("purging empties old delivered payloads and keeps the audit trail") {
  TempJournal t;
  const auto delivered = t.add("clinic01", "OLD", "1");
  t.journal->markDelivered(t.journal->nextDue(0)->id, "RCPT-1");
  const auto pending = t.add("clinic01", "NEW", "2");

  CHECK(t.journal->purgePayloads("2000-01-01") == 0);  // nothing that old
  CHECK(t.journal->purgePayloads("2999-01-01") == 1);  // only the delivered one
  const auto purged = t.journal->message(delivered);
  CHECK(purged->payload.empty());
  CHECK(purged->state == MessageState::kDelivered);
  CHECK(purged->control_id == "OLD");
  CHECK(t.journal->ack(delivered) == "ACK");
  CHECK(t.journal->outbox(delivered)[0].receipt == "RCPT-1");
  CHECK(t.journal->message(pending)->payload == "MSH|payload");
}
