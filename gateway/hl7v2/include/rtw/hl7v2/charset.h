#pragma once
// Character sets of HL7 v2 messages (MSH-18, HL7 table 0211). Inside the
// library text is UTF-8; these are the conversions at the edges.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rtw::hl7v2 {

/// The character sets we read. A message whose MSH-18 is empty and that has
/// no configured charset is passed through unchecked (ASCII or UTF-8 in
/// practice).
enum class Charset { kAscii, kLatin1, kUtf8 };

/// The table 0211 name as written in MSH-18: "ASCII", "8859/1",
/// "UNICODE UTF-8".
std::string_view charsetName(Charset charset);

/// The charset an MSH-18 value (its first component) names. Case and
/// surrounding spaces are ignored. Nothing for "" and for the names we do not
/// support (8859/2, ISO IR87, UNICODE, UNICODE UTF-16, ...).
std::optional<Charset> charsetFromName(std::string_view name);

/// ISO 8859-1 bytes as UTF-8 (each byte is the code point of the same
/// value, so the conversion cannot fail and is undone by utf8ToLatin1()).
std::string latin1ToUtf8(std::string_view latin1);

/// UTF-8 as ISO 8859-1; nothing when the text is not valid UTF-8 or holds a
/// character above U+00FF.
std::optional<std::string> utf8ToLatin1(std::string_view utf8);

/// Offset of the first byte of the first invalid UTF-8 sequence (a stray
/// continuation byte, a truncated sequence, an overlong form, a surrogate or
/// a code point above U+10FFFF); nothing when the whole text is valid.
std::optional<std::size_t> findInvalidUtf8(std::string_view text);

/// The text with each invalid UTF-8 sequence replaced by U+FFFD, for output
/// that must be UTF-8 (JSON). Valid text comes back unchanged.
std::string toValidUtf8(std::string_view text);

}  // namespace rtw::hl7v2
