// The one regular-expression engine for patterns from configuration: RE2,
// linear in the text, no recursion, compiled once and shared by threads.

#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "rtw/regex/pattern.h"

using rtw::regex::Pattern;
using rtw::regex::PatternError;

TEST_CASE("full match, search and group 1 mean what a mapping author expects") {
  const Pattern ability("^([^:]+):");
  CHECK(ability.search("lift: 10 kg"));
  CHECK_FALSE(ability.fullMatch("lift: 10 kg"));
  CHECK(ability.firstGroup("lift: 10 kg") == "lift");
  CHECK_FALSE(ability.firstGroup("no colon"));
  CHECK(ability.groups() == 1);

  const Pattern eight("[0-9]{8}");
  CHECK(eight.fullMatch("12345678"));
  CHECK_FALSE(eight.fullMatch("123456789"));
  CHECK_FALSE(eight.firstGroup("12345678"));          // no group: nothing to take
  CHECK(Pattern("a(b*)c").firstGroup("xacx") == "");  // an empty group is a value
}

TEST_CASE("a value of megabytes is matched without recursion or backtracking") {
  // std::regex recursed per character here (SIGSEGV at ~100 KB); a
  // backtracking engine takes exponential time on (x+x+)+y.
  const std::string text(8 << 20, 'x');
  CHECK_FALSE(Pattern("^(x+x+)+y$").fullMatch(text));
  CHECK(Pattern("^([^:]+)").firstGroup(text)->size() == text.size());
}

TEST_CASE("patterns RE2 cannot run in linear time are refused with RE2's reason") {
  CHECK_THROWS_AS(Pattern("(a)\\1"), PatternError);   // backreference
  CHECK_THROWS_AS(Pattern("a(?=b)"), PatternError);   // lookahead
  CHECK_THROWS_AS(Pattern("(?<!a)b"), PatternError);  // lookbehind
  CHECK_THROWS_WITH(Pattern("[0-9"), Catch::Contains("missing ]"));
}

TEST_CASE("a pattern whose program passes the memory budget is refused, not built") {
  CHECK_THROWS_AS(Pattern("((((a{100}){100}){100}){100})", 1 << 20), PatternError);
  CHECK_NOTHROW(Pattern("a{100}", 1 << 20));
}

TEST_CASE("one compiled pattern serves many threads, and copies share it") {
  const Pattern pattern("^([0-9]+)-");
  const Pattern copy = pattern;
  std::vector<std::thread> threads;
  std::vector<int> matched(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string text = std::to_string(i) + "-x";
        matched[static_cast<std::size_t>(t)] +=
            (t % 2 == 0 ? pattern : copy).firstGroup(text) == std::to_string(i) ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (int count : matched) {
    CHECK(count == 2000);
  }
  CHECK(copy.expression() == "^([0-9]+)-");
}
