// Bombs at the running gateway, over MLLP/TLS: a 100 KB value under a regex
// rule, a 5 MB text value, 200,000 repetitions in one field, frames at the
// size limit and one byte over it, a frame without an end block. Each gets
// the answer a sender can act on, the gateway stays up, a normal referral
// sent after it is delivered, a restart with all of them queued again in the
// journal stays up and delivers, and the peak memory while the largest are
// handled stays bounded. Prints one "bomb:" line of figures per input
// (BENCHMARKS.md, "Bombs: answers, time and peak memory").

#include <catch2/catch.hpp>

#include <cstdio>

#include "bombs.h"
#include "rtw/hl7v2/mllp.h"

using namespace rtw::testing;

namespace {

using Seconds = std::chrono::duration<double>;

constexpr std::size_t kMiB = 1024 * 1024;
constexpr std::size_t kDefaultFrameLimit = 16 * kMiB;  // mllp.maxFrameBytes
constexpr std::size_t kNoteBytes = 100 * 1024;         // above mappings.maxValueBytes (64 KiB)
constexpr std::size_t kRepetitions = 200'000;          // above mappings.maxRepeatItems (1000)

// Peak resident growth allowed while one input is handled. Measured 4.3x
// for a 16 MiB frame, 5.7x for 5 MiB: the framer's buffer while it grows
// (old and new capacity at once), the frame handed to the intake, SQLite's
// bound copy and its record, the translation's read of it; the bound leaves
// room for about two copies more, not for one per repetition or per rule.
std::size_t peakBound(std::size_t input) { return 8 * input + 16 * kMiB; }
// What the gateway may still hold above its resident size before the input,
// a few seconds after answering it: the allocator's reserve of free pages
// (8 MiB) and a few MiB more (the journal's page caches).
constexpr std::size_t kHeldAfterBound = 20 * kMiB;

const std::string kFunctionalAbility =
    "Floor to waist lift: 23 kg by functional capacity evaluation (baseline 10, target 23)";

// The golden report whose functional-ability note (OBX-3, OBX-5: the field
// report.json's "extract" regexes read) is `bytes` long: the measurement,
// then the rest of the note.
std::string reportWithLongNote(const std::string& control_id, std::size_t bytes) {
  const std::string rest = ". " + noteText(bytes - kFunctionalAbility.size() - 2);
  return replaceOnce(dischargeReport(control_id), "|" + kFunctionalAbility + "|",
                     "|" + kFunctionalAbility + rest + "|");
}

// The golden report with PV1-7 (the attending clinicians, a "repeat" over
// PV1-7(*)) repeated `count` times.
std::string reportWithRepetitions(const std::string& control_id, std::size_t count) {
  const std::string clinician = "CPTBC-10442^Ortiz^Sam^^^^PT";
  std::string field = clinician;
  field.reserve(count * (clinician.size() + 1));
  for (std::size_t i = 1; i < count; ++i) {
    field += "~" + clinician;
  }
  return replaceOnce(dischargeReport(control_id), "|" + clinician + "~BCAK-2231^Nguyen^Kim^^^^KIN|",
                     "|" + field + "|");
}

std::string describe(const Exchange& exchange) {
  std::string text = exchange.first.code;
  if (exchange.application) {
    text += " then " + exchange.application->code;
  }
  const AckAnswer& last = exchange.application ? *exchange.application : exchange.first;
  if (!last.error.empty()) {
    text += " " + last.error + (last.location.empty() ? "" : " at " + last.location) + ": \"" +
            last.text + "\"";
  }
  return text;
}

// A commit ACK, then an application AE 102 (data type: the value or the
// repetitions are more than the mappings take) at `location` saying why.
void checkRefusedValue(const Exchange& exchange, const std::string& control_id,
                       const std::string& location, const std::string& why) {
  CHECK(exchange.first.code == "CA");
  CHECK(exchange.first.control_id == control_id);
  REQUIRE(exchange.application);
  CHECK(exchange.application->code == "AE");
  CHECK(exchange.application->control_id == control_id);
  CHECK(exchange.application->error == "102");
  CHECK(exchange.application->location == location);
  CHECK_THAT(exchange.application->text, Catch::Contains(why));
}

// What ERR-8 says of a value longer than mappings.maxValueBytes.
std::string tooLong(const std::string& source, std::size_t bytes, std::size_t limit) {
  return "the value of " + source + " is " + std::to_string(bytes) + " bytes, more than the " +
         std::to_string(limit) + " a mapping rule takes (mappings.maxValueBytes)";
}

// The padded recommendation of reportOfSize(control_id, bytes), refused.
void checkRefusedRecommendation(const Exchange& exchange, const std::string& control_id,
                                std::size_t bytes, std::size_t limit) {
  checkRefusedValue(
      exchange, control_id, "OBX^13^5",
      "recommendations: " + tooLong("OBX[13]-5", paddedValueBytes(control_id, bytes), limit));
}

// One byte past the frame limit: AR 207 at once, naming the message (MSA-2
// from the frame's first line), no commit and nothing translated.
void checkOversize(const Exchange& exchange, const std::string& control_id) {
  CHECK(exchange.first.code == "AR");
  CHECK(exchange.first.control_id == control_id);
  CHECK(exchange.first.error == "207");
  CHECK(exchange.first.text == "message exceeds the maximum frame size");
  CHECK_FALSE(exchange.application);
}

// Sends one bomb to a gateway just restarted (and warmed up by one
// referral), so that no memory an earlier bomb left to the allocator hides
// this one's; measures the peak memory while it is answered and checks the
// bound; then, with the sender still connected, the memory is given back
// (gateway/app/memory_releaser.h, and the framer's buffer). Prints the
// figures.
Exchange sendMeasured(RunningSystem& system, const std::string& input, const std::string& message) {
  CHECK(system.gateway().stop() == 0);
  system.startGateway();
  referralStillDelivered(system, "WARM-" + std::to_string(system.gateway().pid()));
  const int pid = system.gateway().pid();
  const PeakMemory peak(pid);
  auto client = system.connect(TestCertificates::get().partner("harbour-physio"));
  Exchange exchange = exchangeOn(*client, message);
  const std::size_t growth = peak.growth();
  CHECK(growth < peakBound(message.size()));
  const std::size_t start = peak.residentBefore();
  const auto held = [&] {
    const std::size_t now = residentBytes(pid);
    return now > start ? now - start : 0;
  };
  CHECK(waitUntil([&] { return held() < kHeldAfterBound; }, std::chrono::seconds(5)));
  printFigure(input, message.size(), describe(exchange), exchange.took, growth, held());
  return exchange;
}

Exchange sendTimed(RunningSystem& system, const std::string& input, const std::string& message) {
  Exchange exchange = sendAsHarbourPhysio(system, message);
  printFigure(input, message.size(), describe(exchange), exchange.took, std::nullopt);
  return exchange;
}

// The gateway killed (-9), every message it rejected queued again with
// `rtwctl messages reprocess`, the gateway started on that journal: it
// translates them all again, stays up, rejects them again and delivers a
// referral sent after them.
void restartWithBombsQueued(RunningSystem& system, const std::string& control_id) {
  const std::string rejected = "SELECT COUNT(*) FROM messages WHERE state = 'rejected'";
  const std::string before = system.queryJournal(rejected);
  REQUIRE(before != "0\n");
  system.gateway().kill();
  std::string ids;
  for (char c : system.queryJournal("SELECT id FROM messages WHERE state = 'rejected'")) {
    ids += c == '\n' ? ' ' : c;
  }
  const std::string command = "'" RTW_BINARY_DIR "/bin/rtwctl' messages reprocess " + ids +
                              " --journal '" + system.journalFile().string() + "' >/dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  REQUIRE(system.queryJournal(rejected) == "0\n");
  system.startGateway();
  CHECK(
      waitUntil([&] { return system.queryJournal(rejected) == before; }, std::chrono::seconds(30)));
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages WHERE state IN ('received', 'dead')") ==
        "0\n");
  referralStillDelivered(system, control_id);
}

}  // namespace

TEST_CASE("bombs at the default limits are answered and the gateway keeps delivering", "[bombs]") {
  RunningSystem system;
  // A 100 KB note under the regexes: longer than a rule takes.
  Exchange note = sendTimed(system, "100 KB note under extract regexes",
                            reportWithLongNote("BOMB-NOTE", kNoteBytes));
  // Each of the six rules reading the note says so (ERR-8 names the first ones).
  checkRefusedValue(note, "BOMB-NOTE", "OBX^3^5",
                    "functionalAbility[1]/ability: " + tooLong("OBX[3]-5", kNoteBytes, 65536));
  referralStillDelivered(system, "AFTER-NOTE");

  Exchange text = sendMeasured(system, "5 MB text value", reportOfSize("BOMB-5MB", 5 * kMiB));
  checkRefusedRecommendation(text, "BOMB-5MB", 5 * kMiB, 65536);
  referralStillDelivered(system, "AFTER-5MB");

  Exchange repeated = sendTimed(system, "200,000 repetitions of PV1-7",
                                reportWithRepetitions("BOMB-REPS", kRepetitions));
  checkRefusedValue(repeated, "BOMB-REPS", "PV1^1^7",
                    "clinician: PV1-7(*) selects 200000 items, more than the 1000 a repeat or "
                    "'where' takes (mappings.maxRepeatItems)");
  referralStillDelivered(system, "AFTER-REPS");

  Exchange at_limit = sendMeasured(system, "frame at the default limit (16 MiB)",
                                   reportOfSize("BOMB-16MIB", kDefaultFrameLimit));
  checkRefusedRecommendation(at_limit, "BOMB-16MIB", kDefaultFrameLimit, 65536);
  referralStillDelivered(system, "AFTER-16MIB");

  Exchange over = sendMeasured(system, "frame one byte over the default limit",
                               reportOfSize("BOMB-OVER", kDefaultFrameLimit + 1));
  checkOversize(over, "BOMB-OVER");
  referralStillDelivered(system, "AFTER-OVER");

  restartWithBombsQueued(system, "AFTER-RESTART");
}

TEST_CASE("with a raised value cap the regexes run over 100 KB, and set frame limits hold",
          "[bombs]") {
  constexpr std::size_t kFrameLimit = 1 * kMiB;
  constexpr int kFrameTimeoutMs = 1000;
  RunningSystem system({"mappings.maxValueBytes=" + std::to_string(128 * 1024),
                        "mllp.maxFrameBytes=" + std::to_string(kFrameLimit),
                        "mllp.frameTimeoutMs=" + std::to_string(kFrameTimeoutMs)});

  // RE2 runs the report's extract rules over the whole note: AA, delivered.
  Exchange note = sendTimed(system, "100 KB note, mappings.maxValueBytes=131072",
                            reportWithLongNote("BIG-NOTE", kNoteBytes));
  CHECK(note.first.code == "CA");
  REQUIRE(note.application);
  CHECK(note.application->code == "AA");
  REQUIRE(waitUntil([&] { return system.acceptedPerMessage("report").count("BIG-NOTE") == 1; }));
  const std::string body = system.accepted("report").front().body;
  CHECK_THAT(body, Catch::Contains("<ability>floor to waist lift</ability>") &&
                       Catch::Contains("<value>23</value>") &&
                       Catch::Contains("<method>functional capacity evaluation</method>") &&
                       Catch::Contains("<target>23</target>"));
  referralStillDelivered(system, "AFTER-BIG-NOTE");

  Exchange at_limit =
      sendTimed(system, "frame at mllp.maxFrameBytes=1048576", reportOfSize("SET-AT", kFrameLimit));
  checkRefusedRecommendation(at_limit, "SET-AT", kFrameLimit, 128 * 1024);
  referralStillDelivered(system, "AFTER-SET-AT");

  Exchange over = sendTimed(system, "frame one byte over mllp.maxFrameBytes=1048576",
                            reportOfSize("SET-OVER", kFrameLimit + 1));
  checkOversize(over, "SET-OVER");
  referralStillDelivered(system, "AFTER-SET-OVER");

  // No end block: the connection is closed at the frame timeout (checked
  // every 250 ms), without an answer.
  {
    auto client = system.connect(TestCertificates::get().partner("harbour-physio"));
    const std::string framed = rtw::hl7v2::mllpFrame(dischargeReport("NO-END"));
    const auto start = std::chrono::steady_clock::now();
    client->sendRaw(framed.substr(0, framed.size() - 2));
    CHECK_FALSE(client->receive().has_value());
    const Seconds closed_after = std::chrono::steady_clock::now() - start;
    printFigure("frame without an end block, mllp.frameTimeoutMs=1000", framed.size() - 2,
                "closed, no answer", closed_after, std::nullopt);
    CHECK(closed_after.count() >= 0.9 * kFrameTimeoutMs / 1000.0);
    CHECK(closed_after.count() < kFrameTimeoutMs / 1000.0 + 2.0);
    CHECK(waitUntil([&] {
      return system.gateway().log().find("frame not completed within 1000 ms") != std::string::npos;
    }));
  }
  referralStillDelivered(system, "AFTER-NO-END");
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages WHERE control_id = 'NO-END'") == "0\n");

  restartWithBombsQueued(system, "AFTER-SET-RESTART");
}
