// HL7 escape sequences with any usable set of delimiters. Input: MSH-1 and
// MSH-2 (5 or 4 encoding characters) as a message would declare them, then
// the value; other inputs use |^~\&. Checks: escape() leaves no delimiter
// or line end, unescape() undoes it exactly, and decoding valid UTF-8 with
// 8859/1 hex escapes gives valid UTF-8.

#include "er7.h"
#include "fuzz_support.h"
#include "rtw/hl7v2/charset.h"
#include "rtw/hl7v2/message.h"

namespace {

using rtw::hl7v2::Delimiters;

// The delimiters the input starts with and the rest of it.
std::pair<Delimiters, std::string_view> split(std::string_view input) {
  for (std::size_t encoding : {5, 4}) {
    Delimiters d;
    if (input.size() > encoding &&
        !rtw::hl7v2::detail::readDelimiters(input[0], input.substr(1, encoding), d)) {
      return {d, input.substr(1 + encoding)};
    }
  }
  return {Delimiters{}, input};
}

bool holdsDelimiter(std::string_view text, const Delimiters& d) {
  for (char c : text) {
    if (c == d.field || c == d.component || c == d.repetition || c == d.subcomponent || c == '\r' ||
        c == '\n' || (d.truncation != '\0' && c == d.truncation)) {
      return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [d, value] = split(rtw::fuzz::asText(data, size));

  const std::string escaped = rtw::hl7v2::escape(value, d);
  RTW_FUZZ_CHECK(!holdsDelimiter(escaped, d));
  RTW_FUZZ_CHECK(rtw::hl7v2::unescape(escaped, d) == value);

  // The value read as raw ER7 text, as a field of a message would be.
  const std::string decoded = rtw::hl7v2::unescape(value, d);
  RTW_FUZZ_CHECK(rtw::hl7v2::unescape(rtw::hl7v2::escape(decoded, d), d) == decoded);
  if (value.find(d.escape) == std::string_view::npos) {
    RTW_FUZZ_CHECK(decoded == value);
  }
  RTW_FUZZ_CHECK(decoded.size() <= value.size());
  if (!rtw::hl7v2::findInvalidUtf8(value)) {
    const std::string text = rtw::hl7v2::detail::unescapeText(value, d, true);
    RTW_FUZZ_CHECK(!rtw::hl7v2::findInvalidUtf8(text));
  }
  return 0;
}
