#include "rtw/regex/pattern.h"

#include <re2/re2.h>

namespace rtw::regex {
namespace {

re2::RE2::Options optionsFor(std::size_t max_program_bytes) {
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingUTF8);
  options.set_log_errors(false);  // the reason goes into PatternError, not to stderr
  options.set_max_mem(static_cast<std::int64_t>(max_program_bytes));
  return options;
}

re2::StringPiece piece(std::string_view text) { return {text.data(), text.size()}; }

}  // namespace

Pattern::Pattern(std::string_view expression, std::size_t max_program_bytes)
    : expression_(expression) {
  auto re = std::make_shared<re2::RE2>(piece(expression_), optionsFor(max_program_bytes));
  if (!re->ok()) {
    throw PatternError(re->error());
  }
  re_ = std::move(re);
}

bool Pattern::fullMatch(std::string_view text) const {
  return re2::RE2::FullMatch(piece(text), *re_);
}

bool Pattern::search(std::string_view text) const {
  return re2::RE2::PartialMatch(piece(text), *re_);
}

std::optional<std::string> Pattern::firstGroup(std::string_view text) const {
  if (re_->NumberOfCapturingGroups() < 1) {
    return std::nullopt;
  }
  re2::StringPiece group;
  if (!re2::RE2::PartialMatch(piece(text), *re_, &group)) {
    return std::nullopt;
  }
  return std::string(group.data(), group.size());
}

int Pattern::groups() const { return re_->NumberOfCapturingGroups(); }

}  // namespace rtw::regex
