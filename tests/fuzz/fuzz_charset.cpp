// Character sets (MSH-18): the conversions at the edges and a message
// declared 8859/1 read and written through them. Checks against a UTF-8
// decoder of the target's own, and round trips where they are defined.

#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_support.h"
#include "rtw/hl7v2/charset.h"
#include "rtw/hl7v2/message.h"

namespace {

namespace hl7 = rtw::hl7v2;

// Offset of the first invalid UTF-8 sequence (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), and the highest code point.
struct Utf8Scan {
  std::optional<std::size_t> invalid_at;
  std::uint32_t highest = 0;
};

Utf8Scan scanUtf8(std::string_view text) {
  Utf8Scan scan;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80   ? 1
                               : lead < 0xC2 ? 0
                               : lead < 0xE0 ? 2
                               : lead < 0xF0 ? 3
                               : lead < 0xF5 ? 4
                                             : 0;
    std::uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
    bool ok = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; ok && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      ok = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3F);
    }
    ok = ok && !(length == 3 && code < 0x800) && !(length == 4 && code < 0x10000) &&
         !(code >= 0xD800 && code <= 0xDFFF) && code <= 0x10FFFF;
    if (!ok) {
      scan.invalid_at = i;
      return scan;
    }
    scan.highest = std::max(scan.highest, code);
    i += length;
  }
  return scan;
}

// `text` (8859/1) in PID-3 of a message that says so in MSH-18.
void checkLatin1Message(std::string_view text, std::string_view utf8) {
  const hl7::Delimiters d;
  const std::string er7 =
      "MSH|^~\\&|||||||ADT^A04|1|P|2.5||||||8859/1\rPID|||" + hl7::escape(text, d) + "\r";
  const auto parsed = hl7::Message::parse(er7);
  RTW_FUZZ_CHECK(parsed.message.has_value());
  hl7::Message message = *parsed.message;
  RTW_FUZZ_CHECK(message.charset() == hl7::Charset::kLatin1);
  RTW_FUZZ_CHECK(message.get("PID-3") == hl7::latin1ToUtf8(text));
  const bool fits = hl7::utf8ToLatin1(utf8).has_value();
  RTW_FUZZ_CHECK(message.set("PID-5", utf8) == fits);
  if (fits) {
    RTW_FUZZ_CHECK(message.get("PID-5") == utf8);
    const auto as_utf8 = message.serializeAs(hl7::Charset::kUtf8);
    RTW_FUZZ_CHECK(as_utf8.has_value() && !hl7::findInvalidUtf8(*as_utf8));
    hl7::ParseOptions options;
    options.charset = hl7::Charset::kUtf8;
    const auto again = hl7::Message::parse(*as_utf8, options);
    RTW_FUZZ_CHECK(again.message && again.message->get("PID-5") == utf8 &&
                   again.message->get("PID-3") == message.get("PID-3"));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = rtw::fuzz::asText(data, size);
  const Utf8Scan scan = scanUtf8(text);
  RTW_FUZZ_CHECK(hl7::findInvalidUtf8(text) == scan.invalid_at);

  const std::string from_latin1 = hl7::latin1ToUtf8(text);
  RTW_FUZZ_CHECK(!hl7::findInvalidUtf8(from_latin1));
  RTW_FUZZ_CHECK(hl7::utf8ToLatin1(from_latin1) == std::string(text));

  const std::string valid = hl7::toValidUtf8(text);
  RTW_FUZZ_CHECK(!hl7::findInvalidUtf8(valid));
  if (!scan.invalid_at) {
    RTW_FUZZ_CHECK(valid == text);
    const auto latin1 = hl7::utf8ToLatin1(text);
    RTW_FUZZ_CHECK(latin1.has_value() == (scan.highest <= 0xFF));
    if (latin1) {
      RTW_FUZZ_CHECK(hl7::latin1ToUtf8(*latin1) == text);
    }
  } else {
    RTW_FUZZ_CHECK(!hl7::utf8ToLatin1(text));
  }

  if (const auto charset = hl7::charsetFromName(text)) {
    RTW_FUZZ_CHECK(hl7::charsetFromName(hl7::charsetName(*charset)) == charset);
  }
  checkLatin1Message(text, valid);
  return 0;
}
