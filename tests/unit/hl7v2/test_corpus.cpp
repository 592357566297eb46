// Real messages from the shared corpus: a lossless round trip for each, and
// a randomized robustness run over mutated copies of them.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "rtw/hl7v2/ack.h"
#include "rtw/hl7v2/message.h"

using rtw::hl7v2::AckCode;
using rtw::hl7v2::Message;

namespace {

constexpr std::size_t kCorpusFiles = 139;

struct Sample {
  std::string name;
  std::string bytes;
};

std::vector<Sample> loadCorpus() {
  std::vector<Sample> samples;
  std::filesystem::path dir = std::filesystem::path(RTW_CORPUS_DIR) / "hl7v2";
  if (!std::filesystem::is_directory(dir)) {
    return samples;
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    samples.push_back({entry.path().filename().string(), content.str()});
  }
  std::sort(samples.begin(), samples.end(),
            [](const Sample& a, const Sample& b) { return a.name < b.name; });
  return samples;
}

const std::vector<Sample>& corpus() {
  static const std::vector<Sample> samples = loadCorpus();
  return samples;
}

// What serialize() must give back: no BOM, every line end a CR, trailing
// blank lines dropped, one CR after the last segment.
std::string expectedSerialization(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) {
    text.erase(0, 3);
  }
  std::vector<std::string> lines;
  std::string line;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' || c == '\n') {
      lines.push_back(line);
      line.clear();
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
    } else {
      line.push_back(c);
    }
  }
  lines.push_back(line);
  auto blank = [](const std::string& l) { return l.find_first_not_of(" \t") == std::string::npos; };
  while (!lines.empty() && blank(lines.back())) {
    lines.pop_back();
  }
  std::string out;
  for (const std::string& l : lines) {
    out += l;
    out += '\r';
  }
  return out;
}

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

namespace {

// One random damage: flip bytes (often into delimiters or line ends),
// truncate, cut a piece out, or duplicate one.
std::string mutate(std::string text, std::mt19937& random) {
  static const std::string kNasty = std::string("|^~\\&#\r\n\x0b\x1c\xEF\xBB\xBF MSH") + '\0';
  auto below = [&](std::size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
  };
  int rounds = 1 + static_cast<int>(below(4));
  for (int r = 0; r < rounds && !text.empty(); ++r) {
    switch (below(5)) {
      case 0:
        text[below(text.size())] = static_cast<char>(below(256));
        break;
      case 1:
        text[below(text.size())] = kNasty[below(kNasty.size())];
        break;
      case 2:
        text.resize(below(text.size() + 1));
        break;
      case 3: {
        std::size_t at = below(text.size());
        text.erase(at, below(64));
        break;
      }
      default: {
        std::size_t at = below(text.size());
        text.insert(below(text.size()), text.substr(at, below(64)));
        break;
      }
    }
  }
  return text;
}

}  // namespace

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
