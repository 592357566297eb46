// Character sets: MSH-18 and the configured override, UTF-8 checks with
// positions, 8859/1 to UTF-8 and back, and the conversions themselves.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "rtw/hl7v2/ack.h"
#include "rtw/hl7v2/charset.h"
#include "rtw/hl7v2/message.h"
#include "samples.h"

using rtw::hl7v2::Charset;
using rtw::hl7v2::Message;
using rtw::hl7v2::ParseError;
using rtw::hl7v2::ParseOptions;
using rtw::hl7v2::test::parseOrFail;

namespace {

// A message declaring `charset` in MSH-18 with `name` as PID-5.
std::string withName(std::string_view charset, std::string_view name) {
  return "MSH|^~\\&|APP|FAC|RTWGW|WSBC|20250301||ADT^A01|C1|P|2.5|||||CA|" + std::string(charset) +
         "\rPID|1||X||" + std::string(name) + "\r";
}

ParseError parseError(std::string_view bytes, const ParseOptions& options = {}) {
  auto outcome = Message::parse(bytes, options);
  REQUIRE_FALSE(outcome.message.has_value());
  return *outcome.error;
}

const std::string kLatin1Name = "Ren\xE9\xE9^Fran\xE7ois";  // Renéé^François in 8859/1
const std::string kUtf8Name = "Ren\xC3\xA9\xC3\xA9^Fran\xC3\xA7ois";

}  // namespace

TEST_CASE("charset names follow table 0211", "[hl7v2][charset]") {
  CHECK(rtw::hl7v2::charsetFromName("ASCII") == Charset::kAscii);
  CHECK(rtw::hl7v2::charsetFromName("8859/1") == Charset::kLatin1);
  CHECK(rtw::hl7v2::charsetFromName("UNICODE UTF-8") == Charset::kUtf8);
  CHECK(rtw::hl7v2::charsetFromName(" unicode utf-8 ") == Charset::kUtf8);
  CHECK_FALSE(rtw::hl7v2::charsetFromName("").has_value());
  CHECK_FALSE(rtw::hl7v2::charsetFromName("8859/2").has_value());
  CHECK_FALSE(rtw::hl7v2::charsetFromName("UNICODE").has_value());
  CHECK(rtw::hl7v2::charsetName(Charset::kLatin1) == "8859/1");
}

TEST_CASE("8859/1 and UTF-8 convert both ways", "[hl7v2][charset]") {
  std::string all_latin1;
  for (int byte = 1; byte < 256; ++byte) {
    all_latin1.push_back(static_cast<char>(byte));
  }
  std::string utf8 = rtw::hl7v2::latin1ToUtf8(all_latin1);
  CHECK(utf8.size() == 127 + 2 * 128);
  CHECK_FALSE(rtw::hl7v2::findInvalidUtf8(utf8).has_value());
  CHECK(rtw::hl7v2::utf8ToLatin1(utf8) == all_latin1);
  CHECK(rtw::hl7v2::latin1ToUtf8("caf\xE9") == "caf\xC3\xA9");
  // U+20AC (euro) has no 8859/1 byte; broken UTF-8 has no meaning at all.
  CHECK_FALSE(rtw::hl7v2::utf8ToLatin1("\xE2\x82\xAC").has_value());
  CHECK_FALSE(rtw::hl7v2::utf8ToLatin1("caf\xE9").has_value());
}

TEST_CASE("invalid UTF-8 is found at its first byte", "[hl7v2][charset]") {
  using rtw::hl7v2::findInvalidUtf8;
  CHECK_FALSE(findInvalidUtf8("plain ascii").has_value());
  CHECK_FALSE(
      findInvalidUtf8("\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF").has_value());
  CHECK(findInvalidUtf8("ab\x80") == 2u);             // stray continuation byte
  CHECK(findInvalidUtf8("ab\xC3") == 2u);             // truncated
  CHECK(findInvalidUtf8("a\xC0\xAF") == 1u);          // overlong '/'
  CHECK(findInvalidUtf8("a\xE0\x80\xAF") == 1u);      // overlong, 3 bytes
  CHECK(findInvalidUtf8("\xED\xA0\x80") == 0u);       // surrogate U+D800
  CHECK(findInvalidUtf8("x\xF4\x90\x80\x80") == 1u);  // above U+10FFFF
  CHECK(findInvalidUtf8("\xC3\xA9\xFF") == 2u);
  // Long ASCII runs are skipped by words; the offset is still exact.
  const std::string run(21, 'a');
  CHECK(findInvalidUtf8(run + "\x80") == 21u);
  CHECK(findInvalidUtf8(run + "\xC3\xA9" + run + "\xE2\x82" + run) == 2u * 21 + 2);
  CHECK(findInvalidUtf8(std::string(9, 'a') + "\xF0\x9F\x98\x80" + run + "\xFE") == 34u);
  CHECK(rtw::hl7v2::toValidUtf8("a\xFF\xC3\xA9\xC3") == "a\xEF\xBF\xBD\xC3\xA9\xEF\xBF\xBD");
  CHECK(rtw::hl7v2::toValidUtf8("\xC3\xA9") == "\xC3\xA9");
}

TEST_CASE("a message declaring UTF-8 is checked and kept byte for byte", "[hl7v2][charset]") {
  std::string text = withName("UNICODE UTF-8", kUtf8Name);
  Message m = parseOrFail(text);
  CHECK(m.charset() == Charset::kUtf8);
  CHECK(m.get("PID-5.1") == "Ren\xC3\xA9\xC3\xA9");
  CHECK(m.serialize() == text);
  CHECK(m.serializeAs(Charset::kUtf8) == text);
  CHECK(m.serializeAs(Charset::kLatin1) == withName("UNICODE UTF-8", kLatin1Name));
  CHECK_FALSE(m.serializeAs(Charset::kAscii).has_value());
}

TEST_CASE("invalid UTF-8 is a parse error naming segment, field and offset",
          "[hl7v2][charset][error]") {
  ParseError e = parseError(withName("UNICODE UTF-8", kLatin1Name));
  CHECK(e.segment == "PID");
  CHECK(e.segment_index == 2);
  CHECK(e.field == 5);
  CHECK(e.code == 102);
  CHECK(e.message ==
        "invalid UTF-8 (byte 0xE9) at offset 13 of segment 2 (PID-5): MSH-18 declares UNICODE "
        "UTF-8");
  CHECK(rtw::hl7v2::errorCodeFor(e) == 102);

  // In the MSH itself, with the configured charset as the reason.
  ParseOptions utf8{Charset::kUtf8};
  ParseError header = parseError("MSH|^~\\&|APP\xFF|FAC|R|F|2025||ADT^A01|C1|P|2.5\r", utf8);
  CHECK(header.segment_index == 1);
  CHECK(header.field == 3);
  CHECK(header.message ==
        "invalid UTF-8 (byte 0xFF) at offset 12 of segment 1 (MSH-3): the partner's configured "
        "character set is UNICODE UTF-8");
}

TEST_CASE("a message declaring ASCII must hold ASCII only", "[hl7v2][charset][error]") {
  Message ok = parseOrFail(withName("ASCII", "Doe^Jane"));
  CHECK(ok.charset() == Charset::kAscii);
  ParseError e = parseError(withName("ASCII", kUtf8Name));
  CHECK(e.segment == "PID");
  CHECK(e.field == 5);
  CHECK(e.code == 102);
  CHECK(e.message ==
        "a byte that is not ASCII (byte 0xC3) at offset 13 of segment 2 (PID-5): MSH-18 declares "
        "ASCII");
}

TEST_CASE("8859/1 is read as UTF-8 and written back unchanged", "[hl7v2][charset]") {
  std::string text = withName("8859/1", kLatin1Name);
  Message m = parseOrFail(text);
  CHECK(m.charset() == Charset::kLatin1);
  CHECK(m.get("PID-5.1") == "Ren\xC3\xA9\xC3\xA9");
  CHECK(m.get("PID-5.2") == "Fran\xC3\xA7ois");
  CHECK(m.get("PID-5") == "Ren\xC3\xA9\xC3\xA9");
  CHECK(m.getAll("PID-5(*)") == std::vector<std::string>{"Ren\xC3\xA9\xC3\xA9"});
  CHECK(m.getAllEncoded("PID-5(*)") ==
        std::vector<std::string>{"Ren\xC3\xA9\xC3\xA9^Fran\xC3\xA7ois"});
  CHECK(m.decode(m.raw("PID-5.2")) == "Fran\xC3\xA7ois");
  // The text stays as received, like MSH-18 says: the journal keeps it and
  // a later parse reads the same values.
  CHECK(m.raw("PID-5.1") == "Ren\xE9\xE9");
  CHECK(m.serialize() == text);
  CHECK(m.bytes() == text);
  CHECK(m.serializeAs(Charset::kLatin1) == text);
  CHECK(m.serializeAs(Charset::kUtf8) == withName("8859/1", kUtf8Name));
  CHECK_FALSE(m.serializeAs(Charset::kAscii).has_value());  // é is not ASCII
  CHECK(parseOrFail(m.serialize()).get("PID-5.2") == "Fran\xC3\xA7ois");
  // \Xhh\ bytes are 8859/1 too, and come out as UTF-8 like the text.
  Message hex = parseOrFail(withName("8859/1", "Ren\\XE9\\"));
  CHECK(hex.get("PID-5") == "Ren\xC3\xA9");
  // A value set in UTF-8 is stored as 8859/1.
  REQUIRE(m.set("PID-5.2", "Zo\xC3\xAB"));
  CHECK(m.serialize() == withName("8859/1", "Ren\xE9\xE9^Zo\xEB"));
  CHECK(m.get("PID-5.2") == "Zo\xC3\xAB");
  REQUIRE(m.setRaw("PID-5.3", "\xC3\xA0&b"));
  CHECK(m.raw("PID-5.3") == "\xE0&b");
  // A character 8859/1 cannot hold is refused rather than written.
  CHECK_FALSE(m.set("PID-5.2", "\xE2\x82\xAC"));
  CHECK_FALSE(m.setRaw("PID-5.2", "\xE2\x82\xAC"));
  CHECK_FALSE(m.set("PID-5.2", "Zo\xEB"));  // not UTF-8
  CHECK(m.get("PID-5.2") == "Zo\xC3\xAB");
}

TEST_CASE("set refuses values the message's charset cannot hold", "[hl7v2][charset][set]") {
  Message ascii = parseOrFail(withName("ASCII", "Doe"));
  CHECK_FALSE(ascii.set("PID-5.2", "Zo\xC3\xAB"));
  CHECK(ascii.set("PID-5.2", "Zoe"));
  Message utf8 = parseOrFail(withName("UNICODE UTF-8", "Doe"));
  CHECK(utf8.set("PID-5.2", "Zo\xC3\xAB \xE2\x82\xAC"));
  CHECK_FALSE(utf8.set("PID-5.2", "Zo\xEB"));
  CHECK(utf8.get("PID-5.2") == "Zo\xC3\xAB \xE2\x82\xAC");
  Message undeclared = parseOrFail(withName("", "Doe"));
  CHECK(undeclared.set("PID-5.2", "Zo\xEB"));
  CHECK(undeclared.serialize() == withName("", "Doe^Zo\xEB"));
}

TEST_CASE("the configured charset wins over MSH-18", "[hl7v2][charset]") {
  ParseOptions latin1{Charset::kLatin1};
  // MSH-18 empty: without the override the bytes pass through unchecked.
  std::string undeclared = withName("", kLatin1Name);
  Message raw = parseOrFail(undeclared);
  CHECK_FALSE(raw.charset().has_value());
  CHECK(raw.get("PID-5.1") == "Ren\xE9\xE9");
  CHECK(raw.serialize() == undeclared);
  CHECK_FALSE(raw.serializeAs(Charset::kUtf8).has_value());

  auto converted = Message::parse(undeclared, latin1);
  REQUIRE(converted.message.has_value());
  CHECK(converted.message->get("PID-5.1") == "Ren\xC3\xA9\xC3\xA9");
  // MSH-18 says UTF-8 but the partner is known to send 8859/1.
  auto wrong = Message::parse(withName("UNICODE UTF-8", kLatin1Name), latin1);
  REQUIRE(wrong.message.has_value());
  CHECK(wrong.message->get("PID-5.2") == "Fran\xC3\xA7ois");
  // An MSH-18 we cannot read is fine once the partner's charset is known.
  CHECK(Message::parse(withName("8859/15", "Doe"), latin1).message.has_value());
}

TEST_CASE("an unsupported MSH-18 is refused with table code 103", "[hl7v2][charset][error]") {
  ParseError e = parseError(withName("ISO IR87", "Doe"));
  CHECK(e.segment == "MSH");
  CHECK(e.segment_index == 1);
  CHECK(e.field == 18);
  CHECK(e.code == 103);
  CHECK_THAT(e.message, Catch::Contains("MSH-18"));
  std::string ack =
      rtw::hl7v2::buildRejectForUnparsed(withName("ISO IR87", "Doe"), e, {}, "A1", "T");
  CHECK_THAT(ack, Catch::Contains("ERR||MSH^1^18|103^Table value not found^HL70357|E"));
}

TEST_CASE("ASCII-only text reads the same under every charset", "[hl7v2][charset]") {
  std::string text = withName("UNICODE UTF-8", "Doe^Jane");
  auto as_ascii = Message::parse(text, ParseOptions{Charset::kAscii});
  auto as_latin1 = Message::parse(text, ParseOptions{Charset::kLatin1});
  REQUIRE(as_ascii.message.has_value());
  REQUIRE(as_latin1.message.has_value());
  CHECK(as_ascii.message->serialize() == text);
  CHECK(as_latin1.message->serialize() == text);
}
