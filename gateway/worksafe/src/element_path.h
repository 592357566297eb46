#pragma once
// Element paths as plugins and problems spell them: "worker/healthNumber/value",
// "injury[2]/side" (1-based index; no index means the first).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtw::worksafe::detail {

struct PathStep {
  std::string_view name;  // into the parsed path
  std::size_t index = 1;
  bool indexed = false;  // written with [n]
};

// Splits a path into steps (which point into `path`); nullopt when it is not of the form above
// (empty steps, names that are not XML-like, indexes that are not positive numbers).
std::optional<std::vector<PathStep>> parseElementPath(std::string_view path);

// "injury[2]" for an indexed step, "worker" otherwise.
std::string stepText(std::string_view name, std::size_t index, bool indexed);

}  // namespace rtw::worksafe::detail
