#pragma once
// The ceiling for an ER7 parser: a pass that only finds the six delimiter
// characters (CR | ^ ~ \ &) and counts them. Any parser must at least look
// at every byte like this, so its speed bounds what parsing can reach.

#include <cstddef>
#include <string_view>

namespace rtw::bench {

/// One byte at a time; the reference the vector versions are checked against.
std::size_t countDelimitersScalar(std::string_view text);

/// 16 bytes at a time with SSE2 (every x86-64 CPU has it).
std::size_t countDelimitersSse2(std::string_view text);

/// 32 bytes at a time with AVX2. Only call when cpuHasAvx2().
std::size_t countDelimitersAvx2(std::string_view text);

bool cpuHasAvx2();

/// Compares the vector versions with the scalar one on edge cases (every
/// byte value, every tail length); false when one disagrees.
bool delimiterScanSelfCheck();

}  // namespace rtw::bench
