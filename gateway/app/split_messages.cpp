#include "split_messages.h"

namespace rtw::app {
namespace {

bool isBlank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

}  // namespace

std::vector<std::string> splitMessages(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  std::vector<std::string> messages;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) {
      messages.push_back(std::move(current));
      current.clear();
    }
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const std::string_view line = text.substr(pos, end - pos);
    // A CRLF pair is one line end; a lone CR or LF too.
    pos = end + ((end + 1 < text.size() && text[end] == '\r' && text[end + 1] == '\n') ? 2 : 1);
    if (isBlank(line)) {
      flush();
      continue;
    }
    if (line.substr(0, 3) == "MSH") {
      flush();
    }
    current.append(line);
    current.push_back('\r');
  }
  flush();
  return messages;
}

}  // namespace rtw::app
