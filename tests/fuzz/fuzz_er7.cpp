// The ER7 parser, path reads and writes on messages from partners.
// Input: the message, then NUL-separated pairs of path and value to write
// ("PID-5.1\0Doe"); a path starting with '!' writes with setRaw(). Checks:
// a parsed message serializes to text that parses to the same segments;
// get() decodes what raw() stores; a value set() accepted reads back.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "rtw/hl7v2/batch.h"
#include "rtw/hl7v2/message.h"

namespace {

using rtw::hl7v2::Charset;
using rtw::hl7v2::Message;

constexpr std::array kReadPaths = {"MSH-9",           "MSH-10",       "MSH-18",     "PID-3(*).1",
                                   "PID-5.1.2",       "PID-3(2).4.2", "OBX[*]-5",   "FT1[2]-7.1",
                                   "ZZZ[3]-4(2).3.2", "EVN-1",        "NTE[*]-3(*)"};

// Writes that would make up millions of empty positions are refused by
// design only above 4 GiB; keep the fuzzer's paths to small indexes.
bool hasSmallIndexes(std::string_view path) {
  std::size_t run = 0;
  for (char c : path) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run > 3) {
      return false;
    }
  }
  return true;
}

// MSH-1 and MSH-2 (FHS, BHS) hold the delimiters: read as they stand.
bool namesDelimiters(std::string_view path) {
  const std::string_view id = path.substr(0, 3);
  return (id == "MSH" || id == "FHS" || id == "BHS") &&
         (path.substr(3, 2) == "-1" || path.substr(3, 2) == "-2") &&
         (path.size() == 5 || !(path[5] >= '0' && path[5] <= '9'));
}

// What get() reads of a position stored as `raw`: its first primitive
// (cut at the first component, then subcomponent separator), decoded.
std::string firstPrimitive(const Message& message, std::string_view path, std::string_view raw) {
  if (namesDelimiters(path)) {
    return std::string(raw);
  }
  const auto& d = message.delimiters();
  raw = raw.substr(0, raw.find(d.component));
  raw = raw.substr(0, raw.find(d.subcomponent));
  return message.decode(raw);
}

void checkReads(const Message& message, std::string_view path) {
  const std::string value = message.get(path);
  RTW_FUZZ_CHECK(value == firstPrimitive(message, path, message.raw(path)));
  const std::vector<std::string> all = message.getAll(path);
  const std::vector<std::string_view> raw_all = message.rawAll(path);
  RTW_FUZZ_CHECK(all.size() == raw_all.size());
  RTW_FUZZ_CHECK(message.getAllEncoded(path).size() == raw_all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    RTW_FUZZ_CHECK(all[i] == firstPrimitive(message, path, raw_all[i]));
  }
  if (!Message::isValidPath(path)) {
    RTW_FUZZ_CHECK(value.empty() && all.empty() && !message.has(path));
  }
  if (!message.has(path)) {
    RTW_FUZZ_CHECK(value.empty());
  }
}

bool sameSegments(const Message& a, const Message& b) {
  if (a.segmentCount() != b.segmentCount()) {
    return false;
  }
  for (std::size_t i = 0; i < a.segmentCount(); ++i) {
    if (a.segmentText(i) != b.segmentText(i)) {
      return false;
    }
  }
  return true;
}

// Parse, serialize, parse: the same segments, delimiters and charset.
void checkReparses(const Message& message, const rtw::hl7v2::ParseOptions& options) {
  const auto again = Message::parse(message.serialize(), options);
  RTW_FUZZ_CHECK(again.message.has_value());
  RTW_FUZZ_CHECK(sameSegments(message, *again.message));
  RTW_FUZZ_CHECK(again.message->charset() == message.charset());
  RTW_FUZZ_CHECK(again.message->messageType() == message.messageType());
  RTW_FUZZ_CHECK(again.message->controlId() == message.controlId());
  if (auto utf8 = message.serializeAs(Charset::kUtf8)) {
    rtw::hl7v2::ParseOptions as_utf8;
    as_utf8.charset = Charset::kUtf8;
    const auto converted = Message::parse(*utf8, as_utf8);
    RTW_FUZZ_CHECK(converted.message.has_value());
    RTW_FUZZ_CHECK(converted.message->segmentCount() == message.segmentCount());
  }
}

void checkWrite(Message& message, std::string_view path, std::string_view value) {
  const bool raw = !path.empty() && path.front() == '!';
  if (raw) {
    path.remove_prefix(1);
  }
  if (!hasSmallIndexes(path)) {
    return;
  }
  const std::size_t segments = message.segmentCount();
  const std::string before(message.bytes());
  const bool written = raw ? message.setRaw(path, value) : message.set(path, value);
  if (!written) {
    RTW_FUZZ_CHECK(message.bytes() == before);
    return;
  }
  RTW_FUZZ_CHECK(message.segmentCount() >= segments);
  if (raw) {
    // 8859/1 messages store what setRaw() was given converted from UTF-8.
    if (message.charset() != Charset::kLatin1) {
      RTW_FUZZ_CHECK(message.raw(path) == value);
    }
  } else {
    RTW_FUZZ_CHECK(message.get(path) == value);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string_view> pieces = rtw::fuzz::splitAtNul(rtw::fuzz::asText(data, size));
  // The partner's configured charset, as conf/partners may set it; none
  // (MSH-18 decides) for plain messages, else chosen by the first path.
  rtw::hl7v2::ParseOptions options;
  const std::size_t choice = pieces.size() > 1 ? pieces[1].size() % 4 : 3;
  if (choice < 3) {
    options.charset = std::array{Charset::kAscii, Charset::kLatin1, Charset::kUtf8}[choice];
  }
  (void)rtw::hl7v2::parseBatch(pieces[0], options);
  auto outcome = Message::parse(pieces[0], options);
  RTW_FUZZ_CHECK(outcome.message.has_value() != outcome.error.has_value());
  if (!outcome.message) {
    return 0;
  }
  Message& message = *outcome.message;
  for (const char* path : kReadPaths) {
    checkReads(message, path);
  }
  checkReparses(message, options);
  const std::string charset_field(message.raw("MSH-18"));
  for (std::size_t i = 1; i + 1 < pieces.size(); i += 2) {
    checkReads(message, pieces[i]);
    checkWrite(message, pieces[i], pieces[i + 1]);
  }
  // A new MSH-18 makes the text another charset's.
  if (message.raw("MSH-18") == charset_field) {
    checkReparses(message, options);
  }
  return 0;
}
