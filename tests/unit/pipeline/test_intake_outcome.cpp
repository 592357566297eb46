// Enhanced mode: whichever comes first — the translation's outcome or the
// connection's answer after the commit — the sender gets its commit ACK and
// then its application ACK, once each.

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <Poco/TemporaryFile.h>

#include "rtw/hl7v2/message.h"
#include "rtw/pipeline/intake.h"
#include "rtw/store/journal.h"

namespace {

using rtw::pipeline::AckSink;
using rtw::pipeline::Hl7Intake;
using rtw::pipeline::IntakeCore;
using rtw::pipeline::TranslationOutcome;

class Acks final : public AckSink {
 public:
  void send(const std::string& ack) override {
    std::lock_guard lock(mutex_);
    codes_.push_back(rtw::hl7v2::Message::parse(ack).message->get("MSA-1"));
  }
  std::vector<std::string> codes() {
    std::lock_guard lock(mutex_);
    return codes_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> codes_;
};

/// An intake over a fresh journal, and the answer step the journal's
/// committer hands back (which a connection's loop would run).
struct Setup {
  std::filesystem::path dir = Poco::TemporaryFile::tempName();
  std::unique_ptr<rtw::store::Journal> journal;
  std::unique_ptr<IntakeCore> core;
  std::unique_ptr<Hl7Intake> intake;
  rtw::security::Partner partner;
  rtw::security::Binding binding;
  std::shared_ptr<Acks> acks = std::make_shared<Acks>();
  std::mutex mutex;
  std::condition_variable handed;
  std::function<void()> answer;

  Setup() {
    std::filesystem::create_directories(dir);
    journal = std::make_unique<rtw::store::Journal>((dir / "journal.sqlite").string());
    core = std::make_unique<IntakeCore>(*journal, [] {});
    intake = std::make_unique<Hl7Intake>(*core);
    partner.id = "clinic01";
    partner.mllp = rtw::security::MllpChannel{{"CLINIC01"}, {}, "", {}};
    binding = {&partner, rtw::security::Refusal::kNone, "mllp", "commonName clinic01.test"};
  }
  ~Setup() {
    intake.reset();
    core.reset();
    journal.reset();
    std::filesystem::remove_all(dir);
  }

  /// Sends the sample referral (MSH-15/16 AL: enhanced mode) and waits for its commit.
  void receiveAndCommit() {
    std::ifstream in(std::string(RTW_SOURCE_DIR) + "/tests/data/hl7/ref-i12-sample.hl7");
    std::string message((std::istreambuf_iterator<char>(in)), {});
    for (char& c : message) {
      c = c == '\n' ? '\r' : c;
    }
    REQUIRE(intake->receiveAsync(binding, message, acks, [this](std::function<void()> step) {
      std::lock_guard lock(mutex);
      answer = std::move(step);
      handed.notify_all();
    }));
    std::unique_lock lock(mutex);
    REQUIRE(handed.wait_for(lock, std::chrono::seconds(10), [this] { return bool(answer); }));
  }
};

}  // namespace

TEST_CASE("an outcome that comes before the sender is remembered is sent after the commit ACK") {
  Setup setup;
  setup.receiveAndCommit();
  const auto entry = setup.journal->message(1);
  REQUIRE(entry);
  REQUIRE(entry->control_id == "MSG0001");
  // A translate thread claims and finishes the message between its commit
  // and the answer on its connection.
  setup.core->translated(1, TranslationOutcome{true, false, {}});
  CHECK(setup.acks->codes().empty());
  setup.answer();
  CHECK(setup.acks->codes() == std::vector<std::string>{"CA", "AA"});
  setup.core->translated(1, TranslationOutcome{true, false, {}});  // told twice: no third ACK
  CHECK(setup.acks->codes().size() == 2);
}

TEST_CASE("an outcome after the answer is sent once, and a refusal is AE") {
  Setup setup;
  setup.receiveAndCommit();
  setup.answer();
  CHECK(setup.acks->codes() == std::vector<std::string>{"CA"});
  setup.core->translated(1, TranslationOutcome{false, false, "no worker/family"});
  CHECK(setup.acks->codes() == std::vector<std::string>{"CA", "AE"});
  setup.core->translated(1, TranslationOutcome{false, false, "no worker/family"});
  CHECK(setup.acks->codes().size() == 2);
}

TEST_CASE("a sender whose message another instance translated is answered by the poll") {
  Setup setup;
  setup.receiveAndCommit();
  setup.answer();
  CHECK(setup.core->waitingForOutcome() == 1);
  CHECK(setup.core->pollOutcomes(0) == 0);  // still received: nothing to say yet

  // Another instance on the same journal claims and translates it; this one
  // is never told through translated().
  REQUIRE(setup.journal->nextReceived(0));
  setup.journal->markTranslated(1, {{"doc-1", "referral", "<Referral/>"}}, 0);
  CHECK(setup.core->pollOutcomes(60'000) == 0);  // not waiting that long yet
  CHECK(setup.core->pollOutcomes(0) == 1);
  CHECK(setup.acks->codes() == std::vector<std::string>{"CA", "AA"});
  CHECK(setup.core->waitingForOutcome() == 0);
}

TEST_CASE("a sender whose connection closed is forgotten, not kept for ever") {
  Setup setup;
  setup.receiveAndCommit();
  setup.answer();
  REQUIRE(setup.core->waitingForOutcome() == 1);
  // The connection's sink goes away with the connection (and the answer
  // step, which the connection's loop has run and dropped).
  setup.acks.reset();
  setup.answer = nullptr;
  // The journal's committer thread may still hold the record's callback (and
  // with it the sink) for a moment after running it: the next poll forgets it.
  bool forgotten = false;
  for (int i = 0; i < 200 && !forgotten; ++i) {
    setup.core->pollOutcomes(60'000);
    forgotten = setup.core->waitingForOutcome() == 0;
    if (!forgotten) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  CHECK(forgotten);
}

TEST_CASE("a resent message's application ACK comes from what the duplicate check read") {
  Setup setup;
  setup.receiveAndCommit();
  setup.answer();
  REQUIRE(setup.journal->nextReceived(0));
  setup.journal->markRejected(1, "worker/family: required");
  setup.core->translated(1, TranslationOutcome{false, false, "worker/family: required"});
  REQUIRE(setup.acks->codes() == std::vector<std::string>{"CA", "AE"});

  setup.answer = nullptr;
  setup.receiveAndCommit();  // the same bytes again: a duplicate
  setup.answer();
  CHECK(setup.acks->codes() == std::vector<std::string>{"CA", "AE", "CA", "AE"});
  CHECK(setup.core->waitingForOutcome() == 0);
}
