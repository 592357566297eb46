// Writing values by path. The message keeps its one buffer: a write
// rebuilds the single segment it touches and splices it in, shifting the
// offsets of the segments after it. Reading stays zero-copy; a write costs
// one pass over the message, which suits mappings that write tens of fields.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "er7.h"
#include "path_spec.h"
#include "rtw/hl7v2/charset.h"
#include "rtw/hl7v2/message.h"

namespace rtw::hl7v2 {
namespace {

constexpr std::size_t kMaxMessageBytes = 0xFFFFFFFEu;  // as in message.cpp

// `text` with its piece `n` (1-based, split by `sep`) replaced by `value`;
// when `text` has fewer pieces, separators are added to reach piece n.
std::string withPiece(std::string_view text, int n, char sep, std::string_view value) {
  std::size_t begin = 0;
  int found = 1;
  while (found < n) {
    std::size_t hit = text.find(sep, begin);
    if (hit == std::string_view::npos) {
      break;
    }
    begin = hit + 1;
    ++found;
  }
  std::string out;
  if (found < n) {
    out.reserve(text.size() + static_cast<std::size_t>(n - found) + value.size());
    out.append(text);
    out.append(static_cast<std::size_t>(n - found), sep);
    out.append(value);
    return out;
  }
  std::size_t end = std::min(text.find(sep, begin), text.size());
  out.reserve(text.size() - (end - begin) + value.size());
  out.append(text.substr(0, begin));
  out.append(value);
  out.append(text.substr(end));
  return out;
}

std::string_view pieceOrEmpty(std::string_view text, int n, char sep) {
  return detail::pieceOf(text, n, sep).value_or(std::string_view());
}

// A raw value stays inside the position it is written to: only separators
// of the levels below the path may appear in it.
bool staysInPosition(std::string_view encoded, const detail::PathSpec& spec, const Delimiters& d) {
  auto allowed = [&](char c) {
    if (c == '\r' || c == '\n' || c == d.field || c == d.repetition) {
      return false;
    }
    if (c == d.component) {
      return spec.component == 0;
    }
    if (c == d.subcomponent) {
      return spec.subcomponent == 0;
    }
    return true;
  };
  return std::all_of(encoded.begin(), encoded.end(), allowed);
}

// The value (UTF-8) as the message stores it: 8859/1 messages hold 8859/1.
// Nothing when the message's charset cannot hold it, so the message always
// reads back (and serializes) in the charset it declares.
std::optional<std::string> inCharset(std::string_view value, std::optional<Charset> charset) {
  if (!charset) {
    return std::string(value);  // bytes passed through: nothing to check against
  }
  switch (*charset) {
    case Charset::kAscii:
      if (std::any_of(value.begin(), value.end(), [](char c) { return c & 0x80; })) {
        return std::nullopt;
      }
      return std::string(value);
    case Charset::kLatin1:
      return utf8ToLatin1(value);
    case Charset::kUtf8:
      if (findInvalidUtf8(value)) {
        return std::nullopt;
      }
      return std::string(value);
  }
  return std::nullopt;
}

}  // namespace

class MessageWriter {
 public:
  explicit MessageWriter(Message& message) : m_(message) {}

  bool write(std::string_view path, std::string_view encoded, bool check_raw) {
    auto spec = detail::parsePath(path);
    if (!spec || spec->occurrence == detail::kEvery || spec->repetition == detail::kEvery ||
        spec->namesDelimiterField()) {
      return false;
    }
    if (check_raw && !staysInPosition(encoded, *spec, m_.delimiters_)) {
      return false;
    }
    if (encoded.empty() && !m_.has(path)) {
      return true;  // nothing to write and nothing to create
    }
    std::optional<std::size_t> index = occurrence(spec->segment, spec->occurrence);
    if (!index) {
      index = addOccurrences(spec->segment, spec->occurrence);
      if (!index) {
        return false;
      }
    }
    std::string_view segment = m_.segmentText(*index);
    if (segment.size() > 3 && segment[3] != m_.delimiters_.field) {
      return false;  // a batch header kept before the MSH with other delimiters
    }
    return replaceSegment(*index, rewritten(segment, *spec, encoded));
  }

 private:
  // Index of the n-th segment with this id; nothing when there are fewer.
  std::optional<std::size_t> occurrence(std::string_view id, int n) const {
    int seen = 0;
    for (std::size_t i = 0; i < m_.segmentCount(); ++i) {
      if (m_.segmentId(i) == id && ++seen == n) {
        return i;
      }
    }
    return std::nullopt;
  }

  // The segment text with the path's position holding `encoded`, built from
  // the innermost level outwards.
  std::string rewritten(std::string_view segment, const detail::PathSpec& spec,
                        std::string_view encoded) const {
    const Delimiters& d = m_.delimiters_;
    // In MSH/FHS/BHS the separator after the id is field 1 itself.
    int field_piece = detail::isHeaderSegment(segment) ? spec.field : spec.field + 1;
    std::string_view field = pieceOrEmpty(segment, field_piece, d.field);
    std::string value(encoded);
    if (spec.component > 0) {
      std::string_view repetition = pieceOrEmpty(field, spec.repetition, d.repetition);
      if (spec.subcomponent > 0) {
        std::string_view component = pieceOrEmpty(repetition, spec.component, d.component);
        value = withPiece(component, spec.subcomponent, d.subcomponent, value);
      }
      value = withPiece(repetition, spec.component, d.component, value);
    }
    value = withPiece(field, spec.repetition, d.repetition, value);
    return withPiece(segment, field_piece, d.field, value);
  }

  // Appends empty segments until `id` has `n` occurrences: after its last
  // occurrence, or at the end before any batch trailers. Header segments
  // cannot be made up (their delimiters would be missing).
  std::optional<std::size_t> addOccurrences(std::string_view id, int n) {
    if (id == "MSH" || id == "FHS" || id == "BHS") {
      return std::nullopt;
    }
    int existing = 0;
    std::size_t insert_at = m_.segmentCount();
    for (std::size_t i = 0; i < m_.segmentCount(); ++i) {
      if (m_.segmentId(i) == id) {
        ++existing;
        insert_at = i + 1;
      }
    }
    if (existing == 0) {
      while (insert_at > 0 &&
             (m_.segmentId(insert_at - 1) == "BTS" || m_.segmentId(insert_at - 1) == "FTS")) {
        --insert_at;
      }
    }
    auto missing = static_cast<std::size_t>(n - existing);
    if (m_.bytes_.size() + missing * (id.size() + 1) > kMaxMessageBytes) {
      return std::nullopt;
    }
    std::size_t offset =
        insert_at < m_.segmentCount() ? m_.segments_[insert_at].begin : m_.bytes_.size();
    std::string added;
    std::vector<Message::Segment> segments;
    for (std::size_t i = 0; i < missing; ++i) {
      auto begin = static_cast<std::uint32_t>(offset + added.size());
      added.append(id);
      segments.push_back({begin, static_cast<std::uint32_t>(begin + id.size())});
      added.push_back('\r');
    }
    m_.bytes_.insert(offset, added);
    shiftFrom(insert_at, static_cast<std::int64_t>(added.size()));
    m_.segments_.insert(m_.segments_.begin() + static_cast<std::ptrdiff_t>(insert_at),
                        segments.begin(), segments.end());
    return insert_at + missing - 1;
  }

  bool replaceSegment(std::size_t index, const std::string& text) {
    Message::Segment& segment = m_.segments_[index];
    std::size_t old_size = segment.end - segment.begin;
    if (m_.bytes_.size() - old_size + text.size() > kMaxMessageBytes) {
      return false;
    }
    m_.bytes_.replace(segment.begin, old_size, text);
    segment.end = static_cast<std::uint32_t>(segment.begin + text.size());
    shiftFrom(index + 1,
              static_cast<std::int64_t>(text.size()) - static_cast<std::int64_t>(old_size));
    return true;
  }

  void shiftFrom(std::size_t first, std::int64_t delta) {
    for (std::size_t i = first; i < m_.segments_.size(); ++i) {
      m_.segments_[i].begin = static_cast<std::uint32_t>(m_.segments_[i].begin + delta);
      m_.segments_[i].end = static_cast<std::uint32_t>(m_.segments_[i].end + delta);
    }
  }

  Message& m_;
};

bool Message::set(std::string_view path, std::string_view value) {
  std::optional<std::string> stored = inCharset(value, charset_);
  return stored && MessageWriter(*this).write(path, escape(*stored, delimiters_), false);
}

bool Message::setRaw(std::string_view path, std::string_view encoded) {
  std::optional<std::string> stored = inCharset(encoded, charset_);
  return stored && MessageWriter(*this).write(path, *stored, true);
}

}  // namespace rtw::hl7v2
