#include "er7.h"

#include <cstring>

namespace rtw::hl7v2::detail {
namespace {

// memchr over a string_view range; npos when absent.
std::size_t findByte(std::string_view text, char c, std::size_t from) {
  if (from >= text.size()) {
    return std::string_view::npos;
  }
  const void* hit =
      std::memchr(text.data() + from, static_cast<unsigned char>(c), text.size() - from);
  if (hit == nullptr) {
    return std::string_view::npos;
  }
  return static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
}

}  // namespace

std::optional<std::string_view> pieceOf(std::string_view text, int n, char sep) {
  if (n < 1) {
    return std::nullopt;
  }
  std::size_t begin = 0;
  for (int i = 1; i < n; ++i) {
    std::size_t hit = findByte(text, sep, begin);
    if (hit == std::string_view::npos) {
      return std::nullopt;
    }
    begin = hit + 1;
  }
  std::size_t end = findByte(text, sep, begin);
  if (end == std::string_view::npos) {
    end = text.size();
  }
  return text.substr(begin, end - begin);
}

std::optional<std::string_view> fieldOf(std::string_view segment, int n, char field_sep) {
  if (n < 1 || segment.size() <= 3 || segment[3] != field_sep) {
    return std::nullopt;
  }
  std::string_view after_id = segment.substr(3);
  if (isHeaderSegment(segment)) {
    if (n == 1) {
      return segment.substr(3, 1);
    }
    // MSH-2 is the first piece after the separator at offset 3, like field 1
    // of an ordinary segment.
    --n;
  }
  // after_id starts with a separator, so piece n+1 is field n.
  return pieceOf(after_id, n + 1, field_sep);
}

std::string_view encodingCharacters(std::string_view segment) {
  std::string_view rest = segment.substr(4);
  std::size_t end = findByte(rest, segment[3], 0);
  return end == std::string_view::npos ? rest : rest.substr(0, end);
}

std::optional<DelimiterProblem> readDelimiters(char field_sep, std::string_view encoding,
                                               Delimiters& out) {
  if (!isDelimiterCandidate(field_sep)) {
    return DelimiterProblem{
        1, "MSH-1 (field separator) must be a printable character other than a letter or digit"};
  }
  if (encoding.size() < 4) {
    return DelimiterProblem{
        2, "MSH-2 must hold the encoding characters (component, repetition, escape, subcomponent)"};
  }
  if (encoding.size() > 5) {
    return DelimiterProblem{2, "MSH-2 holds more than 5 encoding characters"};
  }
  char seen[6] = {field_sep};
  for (std::size_t i = 0; i < encoding.size(); ++i) {
    char c = encoding[i];
    if (!isDelimiterCandidate(c)) {
      return DelimiterProblem{
          2, "MSH-2 encoding characters must be printable and not letters or digits"};
    }
    for (std::size_t j = 0; j <= i; ++j) {
      if (seen[j] == c) {
        return DelimiterProblem{
            2, "MSH-2 encoding characters must differ from each other and from MSH-1"};
      }
    }
    seen[i + 1] = c;
  }
  out.field = field_sep;
  out.component = encoding[0];
  out.repetition = encoding[1];
  out.escape = encoding[2];
  out.subcomponent = encoding[3];
  out.truncation = encoding.size() == 5 ? encoding[4] : '\0';
  return std::nullopt;
}

}  // namespace rtw::hl7v2::detail
