#pragma once
// Private helpers shared by the parser, the path reader and the ACK builder:
// locating fields and pieces inside raw ER7 text without allocating.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "rtw/hl7v2/message.h"

namespace rtw::hl7v2::detail {

inline bool isUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

inline bool isAlnum(char c) { return isUpperAlnum(c) || (c >= 'a' && c <= 'z'); }

/// Delimiters must be visible ASCII punctuation: control bytes (VT, FS)
/// would break MLLP framing of our ACKs, and letters/digits would split data.
inline bool isDelimiterCandidate(char c) { return c > ' ' && c < '\x7f' && !isAlnum(c); }

/// MSH, FHS and BHS number their fields differently: field 1 is the field
/// separator itself and field 2 the encoding characters.
inline bool isHeaderSegment(std::string_view segment) {
  std::string_view id = segment.substr(0, 3);
  return id == "MSH" || id == "FHS" || id == "BHS";
}

/// Field `n` (1-based) of a segment as stored, or nothing when the segment
/// has fewer fields. Header segments follow the MSH numbering.
std::optional<std::string_view> fieldOf(std::string_view segment, int n, char field_sep);

/// Piece `n` (1-based) of `text` split by `sep`, or nothing when absent.
/// Piece 1 always exists.
std::optional<std::string_view> pieceOf(std::string_view text, int n, char sep);

struct DelimiterProblem {
  int field;  // 1 (MSH-1) or 2 (MSH-2)
  std::string_view message;
};

/// Why MSH-1 + MSH-2 are unusable, or nothing when they are valid (then
/// `out` holds them).
std::optional<DelimiterProblem> readDelimiters(char field_sep, std::string_view encoding,
                                               Delimiters& out);

/// MSH-2 of a header segment: the bytes after MSH-1 up to the next field
/// separator (or the end of the segment). Requires segment.size() > 3.
std::string_view encodingCharacters(std::string_view segment);

/// unescape(); with `latin1_hex` the bytes of \Xhh\ escapes are read as
/// 8859/1 and come out as UTF-8 (the message text itself already is).
std::string unescapeText(std::string_view raw, const Delimiters& d, bool latin1_hex);

}  // namespace rtw::hl7v2::detail
