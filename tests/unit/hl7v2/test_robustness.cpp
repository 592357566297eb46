// The corpus through the batch reader, the charsets and set(), and the
// randomized runs that make sure none of them crashes or hangs on any bytes.

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "corpus.h"
#include "rtw/hl7v2/ack.h"
#include "rtw/hl7v2/batch.h"
#include "rtw/hl7v2/datatypes.h"
#include "rtw/hl7v2/timestamp.h"
#include "samples.h"

using rtw::hl7v2::Charset;
using rtw::hl7v2::Message;
using rtw::hl7v2::ParseOptions;
using rtw::hl7v2::test::corpus;
using rtw::hl7v2::test::expectedSerialization;
using rtw::hl7v2::test::kCorpusFiles;
using rtw::hl7v2::test::mutate;
using rtw::hl7v2::test::Sample;

namespace {

const std::vector<std::optional<Charset>> kCharsets = {std::nullopt, Charset::kAscii,
                                                       Charset::kLatin1, Charset::kUtf8};

std::size_t below(std::mt19937& random, std::size_t n) {
  return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
}

// A random writable path: ids the message has and a few it has not.
std::string randomPath(const Message& m, std::mt19937& random) {
  static const char* const kExtra[] = {"ZZ1", "OBX", "NTE", "PID", "MSH", "BTS"};
  std::string id = below(random, 3) == 0 || m.segmentCount() == 0
                       ? kExtra[below(random, std::size(kExtra))]
                       : std::string(m.segmentId(below(random, m.segmentCount())));
  std::size_t field = 1 + below(random, 30);
  if (id == "MSH" && field == 18) {
    field = 19;  // a new MSH-18 would change how the text is read back
  }
  std::string path = id + "[" + std::to_string(1 + below(random, 3)) + "]-" +
                     std::to_string(field) + "(" + std::to_string(1 + below(random, 3)) + ")";
  if (below(random, 2) == 0) {
    path += "." + std::to_string(1 + below(random, 5));
    if (below(random, 2) == 0) {
      path += "." + std::to_string(1 + below(random, 3));
    }
  }
  return path;
}

// ASCII with every delimiter, escape-like text and line ends.
std::string randomValue(std::mt19937& random) {
  static const std::string kAlphabet = "ab Z09|^~\\&#\r\n\"XE.Hbr";
  std::string value;
  for (std::size_t n = below(random, 12); n > 0; --n) {
    value.push_back(kAlphabet[below(random, kAlphabet.size())]);
  }
  return value;
}

void readEverything(const Message& m) {
  for (const char* path : {"MSH-7", "PID-3(*)", "PID-5", "PID-11", "OBX[*]-3", "ORC-12", "PV1-7(*)",
                           "PID-3.4", "EVN-2.1"}) {
    (void)rtw::hl7v2::readTs(m, path);
    (void)rtw::hl7v2::readAllCx(m, path);
    (void)rtw::hl7v2::readAllXpn(m, path);
    (void)rtw::hl7v2::readAllXad(m, path);
    (void)rtw::hl7v2::readAllCe(m, path);
    (void)rtw::hl7v2::readAllXcn(m, path);
    (void)rtw::hl7v2::readHd(m, path);
  }
  (void)rtw::hl7v2::checkHeader(m, {{"REF"}, {"I12"}, {"P"}, {"2.5"}});
  (void)rtw::hl7v2::AcknowledgmentMode::of(m);
}

}  // namespace

TEST_CASE("the whole corpus as one batch file gives every message back", "[hl7v2][corpus][batch]") {
  const auto& samples = corpus();
  REQUIRE(samples.size() == kCorpusFiles);
  std::string file = "FHS|^~\\&|RTW|TEST\r\nBHS|^~\\&|RTW|TEST\r\n";
  for (const Sample& sample : samples) {
    file += expectedSerialization(sample.bytes) + "\n";
  }
  file += "BTS|" + std::to_string(samples.size()) + "\r\nFTS|1\r\n";
  auto batch = rtw::hl7v2::parseBatch(file);
  CHECK(batch.problems.empty());
  std::vector<const Message*> messages = batch.messages();
  REQUIRE(messages.size() == samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    INFO(samples[i].name);
    CHECK(messages[i]->serialize() == expectedSerialization(samples[i].bytes));
  }
}

TEST_CASE("each corpus file is one message for the batch reader and every charset",
          "[hl7v2][corpus][charset]") {
  for (const Sample& sample : corpus()) {
    INFO(sample.name);
    auto batch = rtw::hl7v2::parseBatch(sample.bytes);
    CHECK(batch.problems.empty());
    REQUIRE(batch.messages().size() == 1);
    CHECK(batch.entryCount() == 1);
    const std::string expected = expectedSerialization(sample.bytes);
    CHECK(batch.messages()[0]->serialize() == expected);
    // The corpus is ASCII: every charset reads it the same, and writes it back.
    for (const auto& charset : kCharsets) {
      auto outcome = Message::parse(sample.bytes, ParseOptions{charset});
      REQUIRE(outcome.message.has_value());
      CHECK(outcome.message->serialize() == expected);
      CHECK(outcome.message->serializeAs(Charset::kLatin1) == expected);
    }
  }
}

TEST_CASE("set on corpus messages changes only the position written", "[hl7v2][corpus][set]") {
  const char* const kUntouched[] = {"MSH-9", "MSH-10",   "PID-3(*)", "PID-5(2)",
                                    "PV1-3", "OBX[*]-5", "NTE[*]-3", "EVN-2"};
  for (const Sample& sample : corpus()) {
    INFO(sample.name);
    Message m = rtw::hl7v2::test::parseOrFail(sample.bytes);
    std::vector<std::vector<std::string>> before;
    for (const char* path : kUntouched) {
      before.push_back(m.getAll(path));
    }
    // ASCII: MDM-T02-03 declares ASCII, and set() keeps to the charset.
    CHECK(m.set("PID-5(1).3", "Zo\xC3\xAB") == (m.charset() != Charset::kAscii));
    REQUIRE(m.set("PID-5(1).3", "Zoe|x"));
    REQUIRE(m.set("ZRW[2]-4.2", "new"));
    CHECK(m.get("PID-5.3") == "Zoe|x");
    CHECK(m.get("ZRW[2]-4.2") == "new");
    for (std::size_t i = 0; i < std::size(kUntouched); ++i) {
      CHECK(m.getAll(kUntouched[i]) == before[i]);
    }
    Message again = rtw::hl7v2::test::parseOrFail(m.serialize());
    CHECK(again.serialize() == m.serialize());
  }
}

TEST_CASE("mutated batch files never crash the batch reader", "[hl7v2][robustness][batch]") {
  static const char* const kEnvelope[] = {
      "FHS|^~\\&|A", "BHS|^~\\&|B", "BTS|2", "FTS|1",
      "BTS|x",       "FHS",         "BHS|^", "FTS|99999999999999999999"};
  const auto& samples = corpus();
  REQUIRE(samples.size() == kCorpusFiles);
  std::mt19937 random(20250301);
  std::size_t messages = 0;
  std::size_t rejected = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string file;
    for (std::size_t n = below(random, 6); n > 0; --n) {
      if (below(random, 2) == 0) {
        file += std::string(kEnvelope[below(random, std::size(kEnvelope))]) + "\r";
      }
      const Sample& sample = samples[below(random, samples.size())];
      file += below(random, 2) == 0 ? mutate(sample.bytes, random) : sample.bytes;
    }
    rtw::hl7v2::BatchFile batch;
    REQUIRE_NOTHROW(batch = rtw::hl7v2::parseBatch(file, {kCharsets[below(random, 4)]}));
    for (const auto& group : batch.batches) {
      for (const auto& entry : group.entries) {
        REQUIRE(entry.outcome.message.has_value() != entry.outcome.error.has_value());
        if (entry.outcome.error) {
          ++rejected;
          REQUIRE_FALSE(entry.unparsed.empty());
          std::string ack = rtw::hl7v2::buildRejectForUnparsed(
              entry.unparsed, *entry.outcome.error, {}, "A", "T", rtw::hl7v2::AckCode::CR);
          REQUIRE(Message::parse(ack).message.has_value());
        } else {
          ++messages;
        }
      }
    }
  }
  CHECK(messages > 500);
  CHECK(rejected > 100);
}

TEST_CASE("random bytes under every charset never crash and round-trip when read",
          "[hl7v2][robustness][charset]") {
  std::mt19937 random(18);
  const std::string header = "MSH|^~\\&|A|B|C|D|2025||ADT^A01|C1|P|2.5|||||CA|";
  const char* const kDeclared[] = {"", "ASCII", "8859/1", "UNICODE UTF-8", "UTF-16"};
  std::size_t read = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text = header + kDeclared[below(random, std::size(kDeclared))] + "\rNTE|1||";
    for (std::size_t n = below(random, 40); n > 0; --n) {
      text.push_back(static_cast<char>(below(random, 256)));
    }
    std::optional<Charset> charset = kCharsets[below(random, 4)];
    auto outcome = Message::parse(text, ParseOptions{charset});
    REQUIRE(outcome.message.has_value() != outcome.error.has_value());
    if (outcome.error) {
      CHECK(outcome.error->segment_index >= 1);
      continue;
    }
    ++read;
    const Message& m = *outcome.message;
    if (m.charset() == Charset::kUtf8) {
      CHECK_FALSE(rtw::hl7v2::findInvalidUtf8(m.serialize()).has_value());
    }
    if (m.charset() == Charset::kLatin1) {
      CHECK(m.serializeAs(Charset::kLatin1) == m.serialize());
      REQUIRE(m.serializeAs(Charset::kUtf8).has_value());
      CHECK_FALSE(rtw::hl7v2::findInvalidUtf8(m.get("NTE-3")).has_value());
    }
    auto again = Message::parse(m.serialize(), ParseOptions{charset});
    REQUIRE(again.message.has_value());
    CHECK(again.message->get("NTE-3") == m.get("NTE-3"));
    readEverything(m);
  }
  CHECK(read > 500);
}

TEST_CASE("random writes to mutated messages keep them readable", "[hl7v2][robustness][set]") {
  const auto& samples = corpus();
  REQUIRE(samples.size() == kCorpusFiles);
  std::mt19937 random(77);
  std::size_t written = 0;
  for (int i = 0; i < 2000; ++i) {
    const Sample& sample = samples[below(random, samples.size())];
    auto outcome =
        Message::parse(below(random, 2) == 0 ? mutate(sample.bytes, random) : sample.bytes);
    if (!outcome.message) {
      continue;
    }
    Message& m = *outcome.message;
    for (int n = 0; n < 8; ++n) {
      std::string path = randomPath(m, random);
      std::string value = randomValue(random);
      bool raw = below(random, 4) == 0;
      bool ok = raw ? m.setRaw(path, value) : m.set(path, value);
      INFO(path << " = " << value);
      if (ok && !raw) {
        ++written;
        REQUIRE(m.get(path) == value);
      }
    }
    auto again = Message::parse(m.serialize());
    REQUIRE(again.message.has_value());
    CHECK(again.message->serialize() == m.serialize());
    readEverything(m);
  }
  CHECK(written > 5000);
}
