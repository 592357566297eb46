// ER7 parsing: one pass that copies the input once (line ends normalised to
// CR, blank lines dropped) and records where each segment starts and ends.
// Fields are not indexed here; path reads scan the one segment they need.

#include <algorithm>
#include <climits>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>

#include "er7.h"
#include "lines.h"
#include "rtw/hl7v2/charset.h"
#include "rtw/hl7v2/message.h"

namespace rtw::hl7v2 {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Segment offsets are 32-bit; one byte is kept for the final CR.
constexpr std::size_t kMaxMessageBytes = 0xFFFFFFFEu;

// The segment id to put in an error, only when it looks like one: it ends
// up in an ERR segment and in logs, and the first bytes of a broken line may
// well be patient data (a wrapped note), which must not leak there.
std::string printableId(std::string_view line) {
  if (line.size() < 3 || !std::all_of(line.begin(), line.begin() + 3, detail::isUpperAlnum)) {
    return {};
  }
  return std::string(line.substr(0, 3));
}

int clampIndex(std::size_t index) {
  return index > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(index);
}

// UTF-8 text in `charset`, when every character has a place there.
std::optional<std::string> utf8TextIn(Charset charset, const std::string& utf8) {
  switch (charset) {
    case Charset::kUtf8:
      if (findInvalidUtf8(utf8)) {
        return std::nullopt;
      }
      return utf8;
    case Charset::kAscii:
      if (std::any_of(utf8.begin(), utf8.end(), [](char c) { return c & 0x80; })) {
        return std::nullopt;
      }
      return utf8;
    case Charset::kLatin1:
      return utf8ToLatin1(utf8);
  }
  return std::nullopt;
}

bool isBatchHeader(std::string_view line) {
  std::string_view id = line.substr(0, 3);
  return (id == "FHS" || id == "BHS") && (line.size() == 3 || !detail::isAlnum(line[3]));
}

}  // namespace

class Er7Parser {
 public:
  Er7Parser(std::string_view input, const ParseOptions& options)
      : input_(input), options_(options) {}

  ParseOutcome run() {
    if (input_.size() > kMaxMessageBytes) {
      return fail({"message is larger than 4 GiB", "", 0, 0});
    }
    if (input_.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
      input_.remove_prefix(kUtf8Bom.size());
    }
    message_.bytes_.reserve(input_.size() + 1);
    detail::LineReader lines(input_);
    std::string_view line;
    std::size_t index = 0;
    while (lines.next(line)) {
      if (detail::isBlankLine(line)) {
        continue;
      }
      ++index;
      auto error = header_seen_ ? checkSegment(line, index) : checkLeadingSegment(line, index);
      if (error) {
        return fail(std::move(*error));
      }
      append(line);
    }
    if (index == 0) {
      return fail({"empty message: no MSH segment", "MSH", 1, 0});
    }
    if (!header_seen_) {
      return fail({"no MSH segment after the batch header", "MSH", clampIndex(index + 1), 0});
    }
    if (auto error = decodeCharset()) {
      return fail(std::move(*error));
    }
    ParseOutcome outcome;
    outcome.message = std::move(message_);
    return outcome;
  }

 private:
  static ParseOutcome fail(ParseError error) {
    ParseOutcome outcome;
    outcome.error = std::move(error);
    return outcome;
  }

  // Before the MSH only batch headers may appear; the MSH sets the delimiters.
  std::optional<ParseError> checkLeadingSegment(std::string_view line, std::size_t index) {
    int at = clampIndex(index);
    if (isBatchHeader(line)) {
      return std::nullopt;
    }
    if (line.substr(0, 3) != "MSH") {
      return ParseError{"message does not start with MSH", printableId(line), at, 0};
    }
    if (line.size() == 3) {
      return ParseError{"MSH-1 (field separator) is missing", "MSH", at, 1};
    }
    if (auto problem = detail::readDelimiters(line[3], detail::encodingCharacters(line),
                                              message_.delimiters_)) {
      return ParseError{std::string(problem->message), "MSH", at, problem->field};
    }
    header_seen_ = true;
    return checkRequiredHeaderFields(line, at);
  }

  // A truncated MSH: the fields every receiver needs to answer at all.
  std::optional<ParseError> checkRequiredHeaderFields(std::string_view line, int at) const {
    static constexpr std::pair<int, std::string_view> kRequired[] = {
        {9, "MSH-9 (message type) is missing: the MSH segment is truncated"},
        {10, "MSH-10 (message control id) is missing: the MSH segment is truncated"},
        {12, "MSH-12 (version id) is missing: the MSH segment is truncated"},
    };
    for (const auto& [field, text] : kRequired) {
      if (!detail::fieldOf(line, field, message_.delimiters_.field)) {
        return ParseError{std::string(text), "MSH", at, field};
      }
    }
    return std::nullopt;
  }

  std::optional<ParseError> checkSegment(std::string_view line, std::size_t index) const {
    bool id_ok = line.size() >= 3 && detail::isUpperAlnum(line[0]) &&
                 detail::isUpperAlnum(line[1]) && detail::isUpperAlnum(line[2]) &&
                 (line.size() == 3 || line[3] == message_.delimiters_.field);
    if (id_ok) {
      return std::nullopt;
    }
    // The broken id itself is not echoed (see printableId); its position is.
    return ParseError{"segment " + std::to_string(index) +
                          " does not start with a segment id (3 upper-case letters or digits "
                          "followed by the field separator)",
                      "", clampIndex(index), 0};
  }

  void append(std::string_view line) {
    auto begin = static_cast<std::uint32_t>(message_.bytes_.size());
    message_.bytes_.append(line);
    message_.segments_.push_back({begin, static_cast<std::uint32_t>(message_.bytes_.size())});
    message_.bytes_.push_back('\r');
  }

  // The configured charset, else MSH-18; checks or converts the text.
  std::optional<ParseError> decodeCharset() {
    std::optional<Charset> charset = options_.charset;
    if (!charset) {
      std::string_view declared = declaredCharset();
      if (declared.empty()) {
        return std::nullopt;  // nothing declared: passed through
      }
      charset = charsetFromName(declared);
      if (!charset) {
        return ParseError{
            "MSH-18 names a character set that is not supported (ASCII, 8859/1 or "
            "UNICODE UTF-8); configure the partner's character set to override it",
            "MSH", segmentIndexOf(headerOffset()), 18, 103};
      }
    }
    message_.charset_ = charset;
    std::string_view text = message_.bytes_;
    switch (*charset) {
      case Charset::kUtf8:
        if (auto bad = findInvalidUtf8(text)) {
          return invalidByte(*bad, "invalid UTF-8");
        }
        return std::nullopt;
      case Charset::kAscii: {
        auto high = std::find_if(text.begin(), text.end(), [](char c) { return c & 0x80; });
        if (high != text.end()) {
          return invalidByte(static_cast<std::size_t>(high - text.begin()),
                             "a byte that is not ASCII");
        }
        return std::nullopt;
      }
      case Charset::kLatin1:
        return std::nullopt;  // every byte is a character; values convert when read
    }
    return std::nullopt;
  }

  // An error naming the segment, field and offset of a bad byte, never the
  // byte's neighbours (they are patient data).
  ParseError invalidByte(std::size_t offset, std::string_view what) const {
    int index = segmentIndexOf(offset);
    const auto& segment = message_.segments_[static_cast<std::size_t>(index - 1)];
    std::string_view text = message_.segmentText(static_cast<std::size_t>(index - 1));
    std::size_t within = offset - segment.begin;
    auto separators = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(within),
                                 message_.delimiters_.field);
    int field =
        clampIndex(static_cast<std::size_t>(separators) + (detail::isHeaderSegment(text) ? 1 : 0));
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(message_.bytes_[offset]));
    std::string id = printableId(text);
    std::string where = id.empty() ? "" : " (" + id + "-" + std::to_string(field) + ")";
    std::string source =
        options_.charset ? "the partner's configured character set is " : "MSH-18 declares ";
    return ParseError{std::string(what) + " (byte " + byte + ") at offset " +
                          std::to_string(within) + " of segment " + std::to_string(index) + where +
                          ": " + source + std::string(charsetName(*message_.charset_)),
                      id, index, field, 102};
  }

  // 1-based index of the segment holding bytes_[offset].
  int segmentIndexOf(std::size_t offset) const {
    const auto& segments = message_.segments_;
    auto after = std::upper_bound(segments.begin(), segments.end(), offset,
                                  [](std::size_t at, const auto& s) { return at < s.begin; });
    return clampIndex(static_cast<std::size_t>(after - segments.begin()));
  }

  std::size_t headerIndex() const {
    for (std::size_t i = 0; i < message_.segmentCount(); ++i) {
      if (message_.segmentId(i) == "MSH") {
        return i;
      }
    }
    return 0;
  }

  std::size_t headerOffset() const { return message_.segments_[headerIndex()].begin; }

  // MSH-18.1 as written. Read directly rather than by path: it is looked up
  // for every message parsed.
  std::string_view declaredCharset() const {
    const Delimiters& d = message_.delimiters_;
    auto field = detail::fieldOf(message_.segmentText(headerIndex()), 18, d.field);
    if (!field) {
      return {};
    }
    std::string_view repetition = detail::pieceOf(*field, 1, d.repetition).value_or("");
    return detail::pieceOf(repetition, 1, d.component).value_or("");
  }

  std::string_view input_;
  const ParseOptions& options_;
  Message message_;
  bool header_seen_ = false;
};

ParseOutcome Message::parse(std::string_view bytes) { return parse(bytes, ParseOptions{}); }

ParseOutcome Message::parse(std::string_view bytes, const ParseOptions& options) {
  try {
    return Er7Parser(bytes, options).run();
  } catch (const std::exception&) {
    // Only allocation can fail here (bad_alloc on a huge input); bad input
    // must still get an answer rather than an exception.
    ParseOutcome outcome;
    outcome.error = ParseError{"message too large to hold in memory", "", 0, 0};
    return outcome;
  }
}

std::string_view Message::segmentId(std::size_t index) const {
  return segmentText(index).substr(0, 3);
}

std::string_view Message::segmentText(std::size_t index) const {
  if (index >= segments_.size()) {
    return {};
  }
  const Segment& segment = segments_[index];
  return std::string_view(bytes_).substr(segment.begin, segment.end - segment.begin);
}

std::size_t Message::count(std::string_view segment_id) const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    if (segmentId(i) == segment_id) {
      ++n;
    }
  }
  return n;
}

std::string Message::messageType() const {
  std::string type = get("MSH-9.1");
  std::string trigger = get("MSH-9.2");
  if (!trigger.empty()) {
    type += '^';
    type += trigger;
  }
  return type;
}

std::string Message::controlId() const { return get("MSH-10"); }

std::string Message::version() const { return get("MSH-12.1"); }

std::string Message::serialize() const { return bytes_; }

std::optional<std::string> Message::serializeAs(Charset charset) const {
  if (charset_ == Charset::kLatin1) {
    return charset == Charset::kLatin1 ? serialize() : utf8TextIn(charset, latin1ToUtf8(bytes_));
  }
  return utf8TextIn(charset, bytes_);
}

}  // namespace rtw::hl7v2
