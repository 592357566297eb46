#pragma once
// Shared pieces of the board-rule tests: the valid example documents of
// tests/data/worksafe, the shipped board profiles of conf/boards, a fixed
// "today", and documents derived from an example by removing or setting
// fields, so that each test breaks exactly one rule.

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "referral_fixture.h"
#include "rtw/worksafe/board_profiles.h"
#include "rtw/worksafe/date.h"
#include "rtw/worksafe/rules.h"

namespace rtw::worksafe::test {

std::filesystem::path dataDir();    // tests/data/worksafe
std::filesystem::path boardsDir();  // conf/boards

// The shipped profiles, loaded once for the test binary.
std::shared_ptr<const BoardProfiles> profiles();

// The day the examples are checked on (a Monday).
Date exampleToday();

std::string readText(const std::filesystem::path& file);

// Every valid example file name, sorted.
std::vector<std::string> exampleNames();
std::string example(const std::string& name);

// The leaves of a document as (path, value), in document order, with paths
// as Document::set() takes them ("line[2]/feeCode").
std::vector<Field> fieldsOf(const Document& document);

// An example with the fields under `remove` dropped (a path and everything
// below it) and `set` applied after, as XML. Fails the test on a bad path.
std::string variant(const std::string& name, const std::set<std::string>& remove,
                    const std::vector<Field>& set = {});

// validateDocument() with the shared schemas and profiles as of exampleToday().
std::vector<Problem> check(const std::string& xml);

struct Expected {
  Problem::Severity severity;
  std::string code;
  std::string path;
  std::string message;
};
inline Expected error(std::string code, std::string path, std::string message) {
  return {Problem::Severity::kError, std::move(code), std::move(path), std::move(message)};
}
inline Expected warning(std::string code, std::string path, std::string message) {
  return {Problem::Severity::kWarning, std::move(code), std::move(path), std::move(message)};
}

// The document has exactly these problems, in this order.
void requireProblems(const std::string& xml, const std::vector<Expected>& expected);
// The document has exactly this one problem.
void requireOnly(const std::string& xml, const Expected& expected);

}  // namespace rtw::worksafe::test
