// Issue 6: the journal on a real file system that fills up (a small tmpfs).
// From the first failed write no message gets a positive ACK, the refused
// ones get AE/CE naming the store, what was acknowledged is kept and
// delivered, and once space returns the gateway takes messages again
// without a restart. Needs root to mount; skipped (not passed) otherwise.

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "harness.h"
#include "rtw/hl7v2/message.h"
#include "small_disk.h"

using namespace rtw::testing;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

/// One message sent and the ACK it got.
struct Answer {
  std::string code;        // MSA-1
  std::string error_code;  // ERR-3.1
  std::string error_text;  // ERR-8
  bool positive() const { return code == "AA" || code == "CA"; }
  // 206 "application record locked": its own code, never the 207 of a
  // message the board would refuse (the sender must resend, not fix).
  bool refusedForStore() const {
    return (code == "AE" || code == "CE") && error_code == "206" &&
           error_text.find("cannot store") != std::string::npos;
  }
};

/// A clinic streaming referrals on one connection, alternating original
/// mode (AA/AE) and enhanced mode with a commit ACK only (CA/CE).
class Clinic {
 public:
  /// `prefix` starts each control id: a second clinic object needs another.
  explicit Clinic(const RunningSystem& system, std::string prefix = "DF")
      : client_(system.connect(TestCertificates::get().partner("clinic01"))),
        prefix_(std::move(prefix)) {}

  Answer send() {
    const std::string control_id = prefix_ + std::to_string(++sent_);
    const bool enhanced = sent_ % 2 == 1;
    std::string message = sampleReferral();
    message.replace(message.find("|P|2.5|||AL|AL"), 14, enhanced ? "|P|2.5|||AL|NE" : "|P|2.5");
    message.replace(message.find("MSG0001"), 7, control_id);
    const auto ack = client_->exchange(message);
    REQUIRE(ack);
    auto parsed = rtw::hl7v2::Message::parse(*ack);
    REQUIRE(parsed.message);
    REQUIRE(parsed.message->get("MSA-2") == control_id);
    Answer answer{parsed.message->get("MSA-1"), parsed.message->get("ERR-3.1"),
                  parsed.message->get("ERR-8")};
    CHECK(answer.code.front() == (enhanced ? 'C' : 'A'));  // a commit ACK in enhanced mode
    (answer.positive() ? accepted_ : refused_).insert(control_id);
    return answer;
  }

  const std::set<std::string>& accepted() const { return accepted_; }
  const std::set<std::string>& refused() const { return refused_; }

 private:
  std::unique_ptr<rtw::transport::MllpClient> client_;
  std::string prefix_;
  int sent_ = 0;
  std::set<std::string> accepted_;
  std::set<std::string> refused_;
};

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

std::set<std::string> lines(const std::string& text) {
  std::set<std::string> result;
  std::size_t start = 0;
  for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    result.insert(text.substr(start, end - start));
    start = end + 1;
  }
  return result;
}

/// Every acknowledged message reaches the board and is delivered in the
/// journal; no refused one is in the journal.
void checkAcknowledgedAreDelivered(const RunningSystem& system, const Clinic& clinic) {
  const std::size_t expected = clinic.accepted().size();
  const bool delivered = waitUntil(
      [&] {
        return system.accepted("referral").size() == expected &&
               system.queryJournal("SELECT COUNT(*) FROM messages WHERE state = 'delivered'") ==
                   std::to_string(expected) + "\n";
      },
      std::chrono::seconds(120));
  INFO("not delivered (control id|state|attempts|reason): " << system.queryJournal(
           "SELECT control_id, state, attempts, reason FROM messages"
           " WHERE state <> 'delivered'"));
  CHECK(delivered);
  CHECK(lines(system.queryJournal("SELECT control_id FROM messages WHERE state = 'delivered'")) ==
        clinic.accepted());
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == std::to_string(expected) + "\n");
  CHECK(system.accepted("referral").size() == expected);
}

}  // namespace

TEST_CASE(
    "a full disk: nothing positive from the first failed write, AE/CE naming the store, "
    "and messages taken again without a restart once space returns") {
  const auto disk = SmallDisk::mountOrSkip(8 * kMiB);
  RunningSystem system({"store.path=" + (disk->dir() / "journal.sqlite").string()});
  Clinic clinic(system);
  for (int i = 0; i < 10; ++i) {
    REQUIRE(clinic.send().positive());
  }
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 10; }));
  // Two documents on their way when the disk fills: the board answers them
  // only after a while, when the journal can no longer record the answer.
  system.planBoardFaults("hang 2000\nhang 2000\n");
  REQUIRE(clinic.send().positive());
  REQUIRE(clinic.send().positive());
  REQUIRE(waitUntil([&] {
    return system.queryJournal("SELECT COUNT(*) FROM outbox WHERE state = 'pending'") == "2\n";
  }));

  REQUIRE(disk->fill() > 0);
  bool refused = false;
  for (int i = 0; i < 2000 && !refused; ++i) {
    refused = !clinic.send().positive();
  }
  REQUIRE(refused);
  // Until space returns every answer is a refusal: those refused at once
  // while the store is known to be unhealthy and those of the writes that
  // probe it (at least two more), also while delivery cannot record the
  // board's answers.
  CHECK(waitUntil(
      [&] {
        const Answer answer = clinic.send();
        CHECK(answer.refusedForStore());
        const std::string log = system.gateway().log();
        return occurrences(log, "journal write failed") >= 3 &&
               log.find("the journal could not record it") != std::string::npos;
      },
      std::chrono::seconds(60)));
  CHECK(system.gateway().running());

  disk->freeFiller();
  REQUIRE(waitUntil([&] { return clinic.send().positive(); }, std::chrono::seconds(30)));
  for (int i = 0; i < 10; ++i) {
    CHECK(clinic.send().positive());
  }
  checkAcknowledgedAreDelivered(system, clinic);
  CHECK(system.queryJournal("PRAGMA integrity_check") == "ok\n");
  CHECK(system.gateway().running());
  CHECK(system.gateway().stop() == 0);
  CHECK(system.queryJournal("PRAGMA integrity_check") == "ok\n");
}

TEST_CASE(
    "a gateway started on a full disk refuses to start naming its journal, and starts "
    "with every acknowledged message once space returns") {
  const auto disk = SmallDisk::mountOrSkip(8 * kMiB);
  const std::filesystem::path journal = disk->dir() / "journal.sqlite";
  RunningSystem system({"store.path=" + journal.string()});
  std::set<std::string> acknowledged;
  {
    Clinic clinic(system);
    for (int i = 0; i < 5; ++i) {
      REQUIRE(clinic.send().positive());
    }
    acknowledged = clinic.accepted();
  }
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 5; }));
  // A clean stop checkpoints the WAL into the journal and removes the WAL
  // and its index (-shm); SQLite must size a new index before it can even
  // read, which a full file system refuses.
  REQUIRE(system.gateway().stop() == 0);
  REQUIRE(disk->fill() > 0);
  CHECK_THROWS_WITH(system.startGateway(),
                    Catch::Contains("cannot open the journal " + journal.string()));
  const int status = system.gateway().stop();
  CHECK(status != 0);
  CHECK(status < 128);  // an exit, not a signal

  disk->freeFiller();
  system.startGateway();
  Clinic after_restart(system, "AFTER");
  REQUIRE(after_restart.send().positive());
  CHECK(waitUntil([&] { return system.accepted("referral").size() == 6; }));
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "6\n");
  for (const auto& control_id : acknowledged) {
    CHECK(system.queryJournal("SELECT state FROM messages WHERE control_id = '" + control_id +
                              "'") == "delivered\n");
  }
  CHECK(system.queryJournal("PRAGMA integrity_check") == "ok\n");
}

TEST_CASE(
    "a file system too small for the WAL: refused from the first failed write, taken again "
    "without a restart when the file system grows") {
  // 1 MiB fills before the WAL reaches SQLite's checkpoint threshold (1,000
  // pages): the WAL itself fills the disk and no checkpoint can make room.
  const auto disk = SmallDisk::mountOrSkip(1 * kMiB);
  RunningSystem system({"store.path=" + (disk->dir() / "journal.sqlite").string()});
  Clinic clinic(system);
  bool refused = false;
  for (int i = 0; i < 2000 && !refused; ++i) {
    refused = !clinic.send().positive();
  }
  REQUIRE(refused);
  REQUIRE_FALSE(clinic.accepted().empty());
  CHECK(waitUntil(
      [&] {
        CHECK(clinic.send().refusedForStore());
        return occurrences(system.gateway().log(), "journal write failed") >= 3;
      },
      std::chrono::seconds(60)));

  disk->resize(16 * kMiB);
  REQUIRE(waitUntil([&] { return clinic.send().positive(); }, std::chrono::seconds(30)));
  checkAcknowledgedAreDelivered(system, clinic);
  CHECK(system.queryJournal("PRAGMA integrity_check") == "ok\n");
  CHECK(system.gateway().stop() == 0);
}
