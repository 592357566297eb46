// Character set conversions. Written out by hand: the only conversions HL7
// needs here are 8859/1 <-> UTF-8 and UTF-8 validation, which are a few
// lines each and not worth a dependency (iconv's behaviour differs between
// C libraries).

#include "rtw/hl7v2/charset.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>

namespace rtw::hl7v2 {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::uint64_t kHighBits = 0x8080808080808080u;

// Length of the valid UTF-8 sequence starting at text[at], or 0 when the
// bytes there do not form one. Checks the second byte's range as well, which
// rules out overlong forms, surrogates and code points above U+10FFFF.
std::size_t sequenceLength(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) {
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (text.size() - at < length || byte(1) < low || byte(1) > high) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) {
      return 0;
    }
  }
  return length;
}

std::string trimmedUpper(std::string_view text) {
  std::size_t begin = text.find_first_not_of(' ');
  std::size_t end = text.find_last_not_of(' ');
  std::string out;
  if (begin == std::string_view::npos) {
    return out;
  }
  for (char c : text.substr(begin, end - begin + 1)) {
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

std::string_view charsetName(Charset charset) {
  switch (charset) {
    case Charset::kAscii:
      return "ASCII";
    case Charset::kLatin1:
      return "8859/1";
    case Charset::kUtf8:
      return "UNICODE UTF-8";
  }
  return "ASCII";
}

std::optional<Charset> charsetFromName(std::string_view name) {
  static constexpr std::array<Charset, 3> kAll = {Charset::kAscii, Charset::kLatin1,
                                                  Charset::kUtf8};
  std::string wanted = trimmedUpper(name);
  for (Charset charset : kAll) {
    if (wanted == charsetName(charset)) {
      return charset;
    }
  }
  return std::nullopt;
}

std::string latin1ToUtf8(std::string_view latin1) {
  std::string out;
  out.reserve(latin1.size() + latin1.size() / 8);
  for (char c : latin1) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out.push_back(c);
    } else {
      out.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      out.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return out;
}

std::optional<std::string> utf8ToLatin1(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    auto lead = static_cast<unsigned char>(utf8[i]);
    std::size_t length = sequenceLength(utf8, i);
    if (length == 1) {
      out.push_back(utf8[i]);
    } else if (length == 2 && lead <= 0xC3) {  // U+0080 .. U+00FF
      auto next = static_cast<unsigned char>(utf8[i + 1]);
      out.push_back(static_cast<char>(((lead & 0x03) << 6) | (next & 0x3F)));
    } else {
      return std::nullopt;
    }
    i += length;
  }
  return out;
}

std::optional<std::size_t> findInvalidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    // Runs of ASCII are the common case: skip them eight bytes at a time.
    if (i + sizeof(std::uint64_t) <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & kHighBits) == 0) {
        i += sizeof word;
        continue;
      }
    }
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = sequenceLength(text, i);
    if (length == 0) {
      return i;
    }
    i += length;
  }
  return std::nullopt;
}

std::string toValidUtf8(std::string_view text) {
  std::optional<std::size_t> bad = findInvalidUtf8(text);
  if (!bad) {
    return std::string(text);
  }
  std::string out(text.substr(0, *bad));
  for (std::size_t i = *bad; i < text.size();) {
    std::size_t length = sequenceLength(text, i);
    if (length == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace rtw::hl7v2
