// Pattern: POSIX extended regular expressions for profile rules (the claim
// number). POSIX rather than std::regex: its matcher does not recurse per
// character, and regexec() is safe on one compiled pattern from many threads.

#include <regex.h>

#include <stdexcept>

#include "rtw/worksafe/board_profiles.h"

namespace rtw::worksafe {

struct Pattern::Compiled {
  regex_t regex{};
  bool ready = false;  // regcomp succeeded; only then is there anything to free
  Compiled() = default;
  Compiled(const Compiled&) = delete;
  Compiled& operator=(const Compiled&) = delete;
  ~Compiled() {
    if (ready) {
      regfree(&regex);
    }
  }
};

Pattern::Pattern(std::string expression) : expression_(std::move(expression)) {
  auto compiled = std::make_unique<Compiled>();
  const int status = regcomp(&compiled->regex, expression_.c_str(), REG_EXTENDED);
  if (status != 0) {
    char reason[256];
    regerror(status, &compiled->regex, reason, sizeof reason);
    throw std::invalid_argument(reason);
  }
  compiled->ready = true;
  compiled_ = std::move(compiled);
}

bool Pattern::matches(std::string_view text) const {
  if (!compiled_ || text.find('\0') != std::string_view::npos) {
    return false;
  }
  const std::string terminated(text);
  regmatch_t match{};
  if (regexec(&compiled_->regex, terminated.c_str(), 1, &match, 0) != 0) {
    return false;
  }
  // Leftmost-longest: when the whole text matches, the match found is it.
  return match.rm_so == 0 && static_cast<std::size_t>(match.rm_eo) == terminated.size();
}

}  // namespace rtw::worksafe
