#pragma once
// The tokens of a FHIRPath expression (FHIRPath N1 §"Lexical elements").

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rtw::fhir::detail {

struct FhirPath;

/// What is wrong with an expression, and where (from 0).
struct SyntaxError : std::runtime_error {
  SyntaxError(std::size_t at, const std::string& message)
      : std::runtime_error(message), position(at) {}
  std::size_t position;
};

/// The checks after parsing (fhirpath_check.cpp): paths start at one
/// resource type, $this only where there is an item, and a repeat's one
/// "[*]" on the path itself. Throws SyntaxError.
void checkParsed(FhirPath& path, std::string_view text, bool allow_every, int every_steps);

struct Token {
  enum class Kind {
    kEnd,
    kIdentifier,  // name, or `delimited name`; keywords (and, or, is, true...) too
    kString,      // 'text' (text is unescaped)
    kNumber,      // 12, 1.50
    kDateTime,    // @2024-11-01, @2024-11-01T10:00:00Z, @T10:00 (text without '@')
    kVariable,    // %name (text without '%')
    kSpecial,     // $this, $index (text without '$')
    kSymbol,      // . [ ] ( ) , = != < <= > >= | ~ !~ + - * / & { }
  };
  Kind kind = Kind::kEnd;
  std::string text;
  std::size_t position = 0;
  bool delimited = false;  // a `name`: never a keyword
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}
  /// The next token; on a malformed one, a token of kind kEnd and `problem`
  /// set (what is wrong, at position()).
  Token next(std::string& problem);
  std::size_t position() const { return pos_; }

 private:
  void skipSpaceAndComments();
  Token identifier(std::size_t start);
  Token string(char quote, std::size_t start, std::string& problem);
  Token number(std::size_t start);
  Token dateTime(std::size_t start, std::string& problem);
  Token symbol(std::size_t start, std::string& problem);

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace rtw::fhir::detail
