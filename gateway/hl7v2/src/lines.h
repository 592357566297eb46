#pragma once
// Splitting ER7 text into lines ended by CR, LF or CRLF, shared by the
// message parser and the batch reader.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace rtw::hl7v2::detail {

// Keeps the next CR and LF positions so each byte is searched at most once
// per terminator kind (memchr speed, no per-byte branching).
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}

  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) {
      return false;
    }
    next_cr_ = refresh(next_cr_, '\r');
    next_lf_ = refresh(next_lf_, '\n');
    std::size_t end = std::min({next_cr_, next_lf_, text_.size()});
    line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    if (end < text_.size() && text_[end] == '\r' && pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
    }
    return true;
  }

 private:
  // The cached position of `c` if still ahead of pos_, else a fresh search.
  std::size_t refresh(std::size_t cached, char c) const {
    if (cached != kUnknown && cached >= pos_) {  // npos (none left) stays npos
      return cached;
    }
    const void* hit = std::memchr(text_.data() + pos_, c, text_.size() - pos_);
    return hit == nullptr ? std::string_view::npos
                          : static_cast<std::size_t>(static_cast<const char*>(hit) - text_.data());
  }

  static constexpr std::size_t kUnknown = std::string_view::npos - 1;

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t next_cr_ = kUnknown;
  std::size_t next_lf_ = kUnknown;
};

inline bool isBlankLine(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; });
}

}  // namespace rtw::hl7v2::detail
