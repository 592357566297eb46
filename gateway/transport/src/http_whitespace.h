#pragma once
// RFC 9110 §5.6.3: the optional whitespace (spaces and tabs) around field
// values and their parts, which a reader of a header field drops.

#include <string_view>

namespace rtw::transport::detail {

inline std::string_view withoutOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace rtw::transport::detail
