#include "fhirpath_lex.h"

#include <cctype>

namespace rtw::fhir::detail {
namespace {

bool isNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isNamePart(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool isDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool isHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

void appendUtf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace

void Lexer::skipSpaceAndComments() {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++pos_;
    } else if (text_.substr(pos_, 2) == "//") {
      const auto end = text_.find('\n', pos_);
      pos_ = end == std::string_view::npos ? text_.size() : end;
    } else if (text_.substr(pos_, 2) == "/*") {
      const auto end = text_.find("*/", pos_ + 2);
      pos_ = end == std::string_view::npos ? text_.size() : end + 2;
    } else {
      return;
    }
  }
}

Token Lexer::next(std::string& problem) {
  skipSpaceAndComments();
  const std::size_t start = pos_;
  if (pos_ >= text_.size()) {
    return {Token::Kind::kEnd, {}, start, false};
  }
  const char c = text_[pos_];
  if (isNameStart(c)) {
    return identifier(start);
  }
  if (c == '`') {
    Token token = string('`', start, problem);
    token.kind = problem.empty() ? Token::Kind::kIdentifier : Token::Kind::kEnd;
    token.delimited = true;
    if (problem.empty() && token.text.empty()) {
      problem = "a `name` is empty";
      token.kind = Token::Kind::kEnd;
    }
    return token;
  }
  if (c == '\'') {
    return string('\'', start, problem);
  }
  if (isDigit(c)) {
    return number(start);
  }
  if (c == '@') {
    return dateTime(start, problem);
  }
  if (c == '%' || c == '$') {
    ++pos_;
    Token token = pos_ < text_.size() && isNameStart(text_[pos_])
                      ? identifier(start)
                      : Token{Token::Kind::kEnd, {}, start, false};
    if (token.kind == Token::Kind::kEnd) {
      problem = std::string("expected a name after '") + c + "'";
      return token;
    }
    token.kind = c == '%' ? Token::Kind::kVariable : Token::Kind::kSpecial;
    token.position = start;
    return token;
  }
  return symbol(start, problem);
}

Token Lexer::identifier(std::size_t start) {
  const std::size_t name_start = pos_;
  while (pos_ < text_.size() && isNamePart(text_[pos_])) {
    ++pos_;
  }
  return {Token::Kind::kIdentifier, std::string(text_.substr(name_start, pos_ - name_start)), start,
          false};
}

// 'text' with FHIRPath's escapes: \' \" \` \\ \/ \f \n \r \t \u and four hex digits.
Token Lexer::string(char quote, std::size_t start, std::string& problem) {
  Token token{Token::Kind::kString, {}, start, false};
  for (++pos_; pos_ < text_.size(); ++pos_) {
    const char c = text_[pos_];
    if (c == quote) {
      ++pos_;
      return token;
    }
    if (c != '\\') {
      token.text += c;
      continue;
    }
    if (++pos_ >= text_.size()) {
      break;
    }
    switch (text_[pos_]) {
      case 'f':
        token.text += '\f';
        break;
      case 'n':
        token.text += '\n';
        break;
      case 'r':
        token.text += '\r';
        break;
      case 't':
        token.text += '\t';
        break;
      case 'u': {
        const std::string_view hex = text_.substr(pos_ + 1, 4);
        bool valid = hex.size() == 4;
        unsigned code = 0;
        for (const char h : hex) {
          valid = valid && isHex(h);
          code = code * 16 + static_cast<unsigned>(isDigit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        if (!valid) {
          problem = "\\u needs four hex digits";
          return {Token::Kind::kEnd, {}, pos_, false};
        }
        appendUtf8(token.text, code);
        pos_ += 4;
        break;
      }
      default:
        token.text += text_[pos_];  // \' \" \` \\ \/ and any other character as itself
    }
  }
  problem = "a string is not closed";
  return {Token::Kind::kEnd, {}, start, false};
}

Token Lexer::number(std::size_t start) {
  while (pos_ < text_.size() && isDigit(text_[pos_])) {
    ++pos_;
  }
  if (pos_ + 1 < text_.size() && text_[pos_] == '.' && isDigit(text_[pos_ + 1])) {
    for (++pos_; pos_ < text_.size() && isDigit(text_[pos_]);) {
      ++pos_;
    }
  }
  return {Token::Kind::kNumber, std::string(text_.substr(start, pos_ - start)), start, false};
}

// The characters a date, dateTime or time literal may hold; the value
// parser (fhirpath_values.cpp) decides whether they make one.
Token Lexer::dateTime(std::size_t start, std::string& problem) {
  ++pos_;
  const std::size_t body = pos_;
  while (pos_ < text_.size() &&
         (isDigit(text_[pos_]) || text_[pos_] == '-' || text_[pos_] == ':' || text_[pos_] == 'T' ||
          text_[pos_] == '.' || text_[pos_] == 'Z' || text_[pos_] == '+')) {
    ++pos_;
  }
  if (pos_ == body) {
    problem = "expected a date or time after '@' (@2024-11-01, @T10:30)";
    return {Token::Kind::kEnd, {}, start, false};
  }
  return {Token::Kind::kDateTime, std::string(text_.substr(body, pos_ - body)), start, false};
}

Token Lexer::symbol(std::size_t start, std::string& problem) {
  static constexpr std::string_view kTwo[] = {"!=", "<=", ">=", "!~"};
  for (const std::string_view two : kTwo) {
    if (text_.substr(pos_, 2) == two) {
      pos_ += 2;
      return {Token::Kind::kSymbol, std::string(two), start, false};
    }
  }
  static constexpr std::string_view kOne = ".[](),=<>|~+-*/&{}";
  if (kOne.find(text_[pos_]) != std::string_view::npos) {
    return {Token::Kind::kSymbol, std::string(1, text_[pos_++]), start, false};
  }
  problem = "unexpected '" + std::string(1, text_[pos_]) + "'";
  return {Token::Kind::kEnd, {}, start, false};
}

}  // namespace rtw::fhir::detail
