// Real messages from the shared corpus: a lossless round trip for each, and
// a randomized robustness run over mutated copies of them.

#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "corpus.h"
#include "rtw/hl7v2/ack.h"
#include "rtw/hl7v2/message.h"

using rtw::hl7v2::AckCode;
using rtw::hl7v2::Message;

namespace {

using rtw::hl7v2::test::corpus;
using rtw::hl7v2::test::expectedSerialization;
using rtw::hl7v2::test::kCorpusFiles;
using rtw::hl7v2::test::mutate;
using rtw::hl7v2::test::Sample;

const char* const kProbePaths[] = {
    "MSH-1",       "MSH-2",       "MSH-9",         "MSH-9.2",      "MSH-10",     "MSH-12",
    "PID-3",       "PID-3(*).1",  "PID-5.1",       "PID-5(2).2.1", "PV1-3.4.2",  "OBX[*]-5",
    "OBX[2]-5.1",  "NTE[*]-3(*)", "ZZZ-1",         "EVN-2",        "FT1[*]-7.1", "IN1[*]-3(*).4.2",
    "PID-11(*).3", "NK1[*]-2",    "ORC-12(2).1.1", "OBR[*]-4.2",   "SCH-11.4",   "MSA-1"};

}  // namespace

TEST_CASE("every corpus message round-trips through parse and serialize", "[hl7v2][corpus]") {
  const auto& samples = corpus();
  REQUIRE(samples.size() == kCorpusFiles);
  for (const Sample& sample : samples) {
    DYNAMIC_SECTION(sample.name) {
      auto outcome = Message::parse(sample.bytes);
      INFO((outcome.error ? outcome.error->message : std::string()));
      REQUIRE(outcome.message.has_value());
      const Message& m = *outcome.message;
      CHECK(m.serialize() == expectedSerialization(sample.bytes));
      CHECK(m.segmentId(0) == "MSH");
      CHECK_FALSE(m.get("MSH-9.1").empty());
      CHECK(m.messageType().find('^') != std::string::npos);
      CHECK_FALSE(m.version().empty());
      std::string ack = rtw::hl7v2::buildAck(m, AckCode::AA, {}, "A1", "20250301");
      auto parsed_ack = Message::parse(ack);
      REQUIRE(parsed_ack.message.has_value());
      CHECK(parsed_ack.message->get("MSA-2") == m.controlId());
    }
  }
}

TEST_CASE("mutated corpus messages never crash the parser or the readers",
          "[hl7v2][corpus][robustness]") {
  const auto& samples = corpus();
  REQUIRE(samples.size() == kCorpusFiles);
  std::mt19937 random(424242);
  std::size_t parsed = 0;
  std::size_t rejected = 0;
  for (int i = 0; i < 4000; ++i) {
    const Sample& sample = samples[static_cast<std::size_t>(i) % samples.size()];
    std::string damaged = mutate(sample.bytes, random);
    rtw::hl7v2::ParseOutcome outcome;
    REQUIRE_NOTHROW(outcome = Message::parse(damaged));
    REQUIRE(outcome.message.has_value() != outcome.error.has_value());
    if (outcome.error) {
      ++rejected;
      std::string ack = rtw::hl7v2::buildRejectForUnparsed(damaged, *outcome.error, {}, "A", "T");
      REQUIRE(Message::parse(ack).message.has_value());
      continue;
    }
    ++parsed;
    const Message& m = *outcome.message;
    for (const char* path : kProbePaths) {
      REQUIRE_NOTHROW(m.get(path));
      REQUIRE_NOTHROW(m.getAll(path));
      REQUIRE_NOTHROW(m.has(path));
    }
    CHECK(Message::parse(m.serialize()).message.has_value());
    std::string ack =
        rtw::hl7v2::buildAck(m, AckCode::AE, {{"PID", 1, 3, 102, 'E', "x"}}, "A", "T");
    REQUIRE(Message::parse(ack).message.has_value());
  }
  // Both paths were exercised.
  CHECK(parsed > 100);
  CHECK(rejected > 100);
}
