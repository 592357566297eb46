#pragma once
// Regular expressions from configuration (mapping rules, board profiles),
// applied to data from outside. They run on RE2: matching is linear in the
// text and uses no recursion, so no pattern and no value can overflow the
// stack or take exponential time (libstdc++'s std::regex recursed once per
// character and crashed on a 100 KB value). RE2 has no backreferences and no
// lookaround; a pattern that uses them is refused when it is compiled.

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace rtw::regex {

/// A pattern RE2 refuses; what() is RE2's reason.
class PatternError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// One compiled pattern (RE2 syntax, UTF-8). Copies share the compiled form;
/// every method may run on many threads at once.
class Pattern {
 public:
  /// Compiled once, here. Throws PatternError with RE2's reason. A pattern
  /// whose compiled form would need more than `max_program_bytes` is
  /// refused too (RE2 bounds its memory; a pathological pattern from a
  /// config file is a load error, not a gateway using gigabytes).
  explicit Pattern(std::string_view expression, std::size_t max_program_bytes = 8 << 20);

  /// Whether the whole text matches.
  bool fullMatch(std::string_view text) const;
  /// Whether the pattern matches anywhere in the text (ECMAScript's search).
  bool search(std::string_view text) const;
  /// The text of capture group 1 of the leftmost match; nothing when the
  /// pattern does not match (or has no group). A group that matched nothing
  /// gives "".
  std::optional<std::string> firstGroup(std::string_view text) const;

  /// How many capture groups the pattern has.
  int groups() const;
  const std::string& expression() const { return expression_; }

 private:
  std::string expression_;
  std::shared_ptr<const re2::RE2> re_;
};

}  // namespace rtw::regex
