// Escape sequences: decoded on read, encoded by escape().

#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "rtw/hl7v2/message.h"

using rtw::hl7v2::Delimiters;
using rtw::hl7v2::escape;
using rtw::hl7v2::unescape;

namespace {

Delimiters truncating() {
  Delimiters d;
  d.truncation = '#';
  return d;
}

Delimiters custom() {
  Delimiters d;
  d.field = '#';
  d.component = '$';
  d.repetition = '%';
  d.escape = '@';
  d.subcomponent = '!';
  return d;
}

}  // namespace

TEST_CASE("delimiter escapes decode to the delimiters", "[hl7v2][escape]") {
  Delimiters d;
  CHECK(unescape(R"(a\F\b\S\c\T\d\R\e\E\f)", d) == R"(a|b^c&d~e\f)");
  CHECK(unescape("plain text", d) == "plain text");
  CHECK(unescape("", d).empty());
  CHECK(unescape(R"(\P\)", truncating()) == "#");
  CHECK(unescape(R"(\P\)", d) == R"(\P\)");  // no truncation character before v2.7
  CHECK(unescape("x@F@y@S@z@E@", custom()) == "x#y$z@");
  CHECK(unescape(R"(x\F\y)", custom()) == R"(x\F\y)");  // '\' is data there
}

TEST_CASE("hex, line break and highlighting escapes", "[hl7v2][escape]") {
  Delimiters d;
  CHECK(unescape(R"(\X41\)", d) == "A");
  CHECK(unescape(R"(\X0D0A\)", d) == "\r\n");
  CHECK(unescape(R"(\Xc3a9\)", d) == "\xc3\xa9");
  CHECK(unescape(R"(\X00\)", d) == std::string(1, '\0'));
  CHECK(unescape(R"(line one\.br\line two)", d) == "line one\nline two");
  CHECK(unescape(R"(\H\bold\N\ text)", d) == "bold text");
}

TEST_CASE("unknown and malformed escapes are kept as written", "[hl7v2][escape]") {
  Delimiters d;
  for (const char* kept : {R"(\C2842\)", R"(\M2842\)", R"(\Zvendor\)", R"(\.sp\)", R"(\X\)",
                           R"(\X4\)", R"(\XZZ\)", R"(\\)", R"(\Q\)", R"(\f\)"}) {
    INFO(kept);
    CHECK(unescape(kept, d) == kept);
  }
  CHECK(unescape(R"(a\C2842\b\F\c)", d) == R"(a\C2842\b|c)");
  // A lone escape character (no closing one before a delimiter or the end).
  CHECK(unescape(R"(C:\temp)", d) == R"(C:\temp)");
  CHECK(unescape(R"(end\)", d) == R"(end\)");
  CHECK(unescape(R"(a\b^c\F\)", d) == R"(a\b^c|)");
  CHECK(unescape(R"(\\F\)", d) == R"(\\F\)");
}

TEST_CASE("escape() encodes delimiters, the truncation character and line ends",
          "[hl7v2][escape]") {
  Delimiters d;
  CHECK(escape(R"(a|b^c&d~e\f)", d) == R"(a\F\b\S\c\T\d\R\e\E\f)");
  CHECK(escape("Lifting boxes & twisting", d) == R"(Lifting boxes \T\ twisting)");
  CHECK(escape("one\rtwo\nthree", d) == R"(one\X0D\two\X0A\three)");
  CHECK(escape("no#trunc", d) == "no#trunc");
  CHECK(escape("a#b", truncating()) == R"(a\P\b)");
  CHECK(escape("x#y$z@", custom()) == "x@F@y@S@z@E@");
  CHECK(escape("", d).empty());
  CHECK(escape(std::string("nul\0byte", 8), d) == std::string("nul\0byte", 8));
}

TEST_CASE("unescape(escape(x)) gives back x for any bytes", "[hl7v2][escape]") {
  std::mt19937 random(20250301);
  const std::string alphabet = std::string("|^~\\&#@$%!\r\nXHNPFSTRE.br0A") + '\0' + "\x0b\x1c\xff";
  std::uniform_int_distribution<std::size_t> length(0, 40);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (const Delimiters& d : {Delimiters{}, truncating(), custom()}) {
    for (int i = 0; i < 2000; ++i) {
      std::string value;
      for (std::size_t n = length(random); n > 0; --n) {
        value.push_back(alphabet[pick(random)]);
      }
      std::string encoded = escape(value, d);
      INFO(encoded);
      REQUIRE(unescape(encoded, d) == value);
      REQUIRE(encoded.find_first_of(std::string{d.field, d.component, d.repetition, d.subcomponent,
                                                '\r', '\n'}) == std::string::npos);
    }
  }
}
