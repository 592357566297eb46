#pragma once
// Output of the benchmark: one JSON object per line for machines (the peer
// runners print the same keys), and a table for people.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "timing.h"

namespace rtw::bench {

/// Facts printed with every line: how the binary was built and where it ran.
struct RunContext {
  std::string build_type;  // CMAKE_BUILD_TYPE
  std::string compiler;
  int cpus = 0;  // CPUs this process may run on (1 under taskset -c N)
};

/// `text` as a JSON string literal, quotes included.
std::string jsonString(std::string_view text);

void printJsonLine(std::ostream& out, const Measurement& m, const RunContext& context);

void printTable(std::ostream& out, const std::vector<Measurement>& measurements);

}  // namespace rtw::bench
