// ER7 parsing: one pass that copies the input once (line ends normalised to
// CR, blank lines dropped) and records where each segment starts and ends.
// Fields are not indexed here; path reads scan the one segment they need.

#include <algorithm>
#include <climits>
#include <cstring>
#include <exception>
#include <string>
#include <utility>

#include "er7.h"
#include "rtw/hl7v2/message.h"

namespace rtw::hl7v2 {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Segment offsets are 32-bit; one byte is kept for the final CR.
constexpr std::size_t kMaxMessageBytes = 0xFFFFFFFEu;

// Splits text into lines ended by CR, LF or CRLF. Keeps the next CR and LF
// positions so each byte is searched at most once per terminator kind
// (memchr speed, no per-byte branching).
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}

  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) {
      return false;
    }
    next_cr_ = refresh(next_cr_, '\r');
    next_lf_ = refresh(next_lf_, '\n');
    std::size_t end = std::min({next_cr_, next_lf_, text_.size()});
    line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    if (end < text_.size() && text_[end] == '\r' && pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
    }
    return true;
  }

 private:
  // The cached position of `c` if still ahead of pos_, else a fresh search.
  std::size_t refresh(std::size_t cached, char c) const {
    if (cached != kUnknown && cached >= pos_) {  // npos (none left) stays npos
      return cached;
    }
    const void* hit = std::memchr(text_.data() + pos_, c, text_.size() - pos_);
    return hit == nullptr ? std::string_view::npos
                          : static_cast<std::size_t>(static_cast<const char*>(hit) - text_.data());
  }

  static constexpr std::size_t kUnknown = std::string_view::npos - 1;

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t next_cr_ = kUnknown;
  std::size_t next_lf_ = kUnknown;
};

bool isBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; });
}

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

bool isBatchHeader(std::string_view line) {
  std::string_view id = line.substr(0, 3);
  return (id == "FHS" || id == "BHS") && (line.size() == 3 || !detail::isAlnum(line[3]));
}

}  // namespace

class Er7Parser {
 public:
  explicit Er7Parser(std::string_view input) : input_(input) {}

  ParseOutcome run() {
    if (input_.size() > kMaxMessageBytes) {
      return fail({"message is larger than 4 GiB", "", 0, 0});
    }
    if (input_.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
      input_.remove_prefix(kUtf8Bom.size());
    }
    message_.bytes_.reserve(input_.size() + 1);
    LineReader lines(input_);
    std::string_view line;
    std::size_t index = 0;
    while (lines.next(line)) {
      if (isBlank(line)) {
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

  std::string_view input_;
  Message message_;
  bool header_seen_ = false;
};

ParseOutcome Message::parse(std::string_view bytes) {
  try {
    return Er7Parser(bytes).run();
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

}  // namespace rtw::hl7v2
