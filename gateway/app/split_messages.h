#pragma once
// Splits a file of HL7 v2 messages: one message per file, or several
// separated by blank lines (or each starting with its own MSH).

#include <string>
#include <string_view>
#include <vector>

namespace rtw::app {

std::vector<std::string> splitMessages(std::string_view text);

}  // namespace rtw::app
