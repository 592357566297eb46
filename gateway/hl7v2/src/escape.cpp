// HL7 v2 escape sequences (chapter 2.7). Decoding happens on read, so the
// parser never touches field contents; both directions have a fast path for
// the common value that holds no escape or delimiter at all.

#include <string>
#include <string_view>

#include "er7.h"
#include "rtw/hl7v2/charset.h"
#include "rtw/hl7v2/message.h"

namespace rtw::hl7v2 {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

// \Xhhhh...\ : an even, non-zero number of hex digits. Anything else is not
// a hex escape and stays as written. The bytes are in the message's
// character set, so in an 8859/1 message they become UTF-8 like the rest.
bool decodeHex(std::string_view digits, std::string& out, bool latin1) {
  if (digits.empty() || digits.size() % 2 != 0) {
    return false;
  }
  for (char c : digits) {
    if (hexValue(c) < 0) {
      return false;
    }
  }
  std::string bytes;
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    bytes.push_back(static_cast<char>(hexValue(digits[i]) * 16 + hexValue(digits[i + 1])));
  }
  out += latin1 ? latin1ToUtf8(bytes) : bytes;
  return true;
}

// Appends the meaning of the sequence between two escape characters; false
// when it is one we keep as written (\Cxxyy\, \Mxxyyzz\, \Z..\, \.sp\, ...).
bool decodeSequence(std::string_view sequence, const Delimiters& d, std::string& out, bool latin1) {
  if (sequence.size() == 1) {
    switch (sequence[0]) {
      case 'F':
        out.push_back(d.field);
        return true;
      case 'S':
        out.push_back(d.component);
        return true;
      case 'T':
        out.push_back(d.subcomponent);
        return true;
      case 'R':
        out.push_back(d.repetition);
        return true;
      case 'E':
        out.push_back(d.escape);
        return true;
      case 'P':
        if (d.truncation == '\0') {
          return false;
        }
        out.push_back(d.truncation);
        return true;
      case 'H':  // highlighting on/off: presentation only, dropped
      case 'N':
        return true;
      default:
        return false;
    }
  }
  if (sequence == ".br") {
    out.push_back('\n');
    return true;
  }
  if (!sequence.empty() && sequence[0] == 'X') {
    return decodeHex(sequence.substr(1), out, latin1);
  }
  return false;
}

// The closing escape character of a sequence opened at `open`, or npos when
// a delimiter or the end comes first (then the escape character is literal).
std::size_t closingEscape(std::string_view raw, std::size_t open, const Delimiters& d) {
  for (std::size_t i = open + 1; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == d.escape) {
      return i;
    }
    if (c == d.field || c == d.component || c == d.repetition || c == d.subcomponent || c == '\r' ||
        c == '\n') {
      return std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

void appendEscaped(std::string& out, char code, const Delimiters& d) {
  out.push_back(d.escape);
  out.push_back(code);
  out.push_back(d.escape);
}

}  // namespace

std::string unescape(std::string_view raw, const Delimiters& d) {
  return detail::unescapeText(raw, d, false);
}

std::string detail::unescapeText(std::string_view raw, const Delimiters& d, bool latin1_hex) {
  std::size_t open = raw.find(d.escape);
  if (open == std::string_view::npos) {
    return std::string(raw);
  }
  std::string out;
  out.reserve(raw.size());
  std::size_t done = 0;
  while (open != std::string_view::npos) {
    out.append(raw.substr(done, open - done));
    std::size_t close = closingEscape(raw, open, d);
    if (close == std::string_view::npos) {
      out.push_back(d.escape);
      done = open + 1;
    } else {
      std::string_view sequence = raw.substr(open + 1, close - open - 1);
      if (!decodeSequence(sequence, d, out, latin1_hex)) {
        out.append(raw.substr(open, close - open + 1));
      }
      done = close + 1;
    }
    open = raw.find(d.escape, done);
  }
  out.append(raw.substr(done));
  return out;
}

std::string escape(std::string_view value, const Delimiters& d) {
  std::string out;
  out.reserve(value.size() + 8);
  for (char c : value) {
    if (c == d.field) {
      appendEscaped(out, 'F', d);
    } else if (c == d.component) {
      appendEscaped(out, 'S', d);
    } else if (c == d.subcomponent) {
      appendEscaped(out, 'T', d);
    } else if (c == d.repetition) {
      appendEscaped(out, 'R', d);
    } else if (c == d.escape) {
      appendEscaped(out, 'E', d);
    } else if (d.truncation != '\0' && c == d.truncation) {
      appendEscaped(out, 'P', d);
    } else if (c == '\r' || c == '\n') {
      // Hex rather than \.br\: formatted-text commands only mean something in
      // FT fields, and hex gives back exactly the byte that went in.
      out.push_back(d.escape);
      out.append(c == '\r' ? "X0D" : "X0A");
      out.push_back(d.escape);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace rtw::hl7v2
