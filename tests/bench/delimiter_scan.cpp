#include "delimiter_scan.h"

#include <immintrin.h>

#include <cstdint>
#include <string>

namespace rtw::bench {
namespace {

constexpr char kDelimiters[] = {'\r', '|', '^', '~', '\\', '&'};

// Each matching byte adds one to its 8-bit lane, so lanes are folded into the
// 64-bit total (with SAD against zero) before 255 blocks can overflow them.
constexpr int kBlocksPerFlush = 255;

bool isDelimiter(char c) {
  for (char d : kDelimiters) {
    if (c == d) {
      return true;
    }
  }
  return false;
}

// 0xFF in every lane that holds one of the six delimiters.
__m128i matchSse2(__m128i bytes) {
  __m128i hit = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\r'));
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(bytes, _mm_set1_epi8('|')));
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(bytes, _mm_set1_epi8('^')));
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(bytes, _mm_set1_epi8('~')));
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\')));
  return _mm_or_si128(hit, _mm_cmpeq_epi8(bytes, _mm_set1_epi8('&')));
}

std::uint64_t foldSse2(__m128i lanes) {
  __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
  return static_cast<std::uint64_t>(_mm_cvtsi128_si64(sums)) +
         static_cast<std::uint64_t>(_mm_extract_epi16(sums, 4));
}

__attribute__((target("avx2"))) __m256i matchAvx2(__m256i bytes) {
  __m256i hit = _mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('\r'));
  hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('|')));
  hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('^')));
  hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('~')));
  hit = _mm256_or_si256(hit, _mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('\\')));
  return _mm256_or_si256(hit, _mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('&')));
}

__attribute__((target("avx2"))) std::uint64_t foldAvx2(__m256i lanes) {
  __m256i sums = _mm256_sad_epu8(lanes, _mm256_setzero_si256());
  return static_cast<std::uint64_t>(_mm256_extract_epi64(sums, 0)) +
         static_cast<std::uint64_t>(_mm256_extract_epi64(sums, 1)) +
         static_cast<std::uint64_t>(_mm256_extract_epi64(sums, 2)) +
         static_cast<std::uint64_t>(_mm256_extract_epi64(sums, 3));
}

}  // namespace

std::size_t countDelimitersScalar(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    count += isDelimiter(c) ? 1 : 0;
  }
  return count;
}

std::size_t countDelimitersSse2(std::string_view text) {
  const char* p = text.data();
  std::size_t blocks = text.size() / 16;
  std::uint64_t total = 0;
  while (blocks > 0) {
    std::size_t run = blocks < kBlocksPerFlush ? blocks : kBlocksPerFlush;
    __m128i lanes = _mm_setzero_si128();
    for (std::size_t i = 0; i < run; ++i, p += 16) {
      __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      lanes = _mm_sub_epi8(lanes, matchSse2(bytes));  // a match is -1
    }
    total += foldSse2(lanes);
    blocks -= run;
  }
  return total + countDelimitersScalar(std::string_view(p, text.data() + text.size() - p));
}

__attribute__((target("avx2"))) std::size_t countDelimitersAvx2(std::string_view text) {
  const char* p = text.data();
  std::size_t blocks = text.size() / 32;
  std::uint64_t total = 0;
  while (blocks > 0) {
    std::size_t run = blocks < kBlocksPerFlush ? blocks : kBlocksPerFlush;
    __m256i lanes = _mm256_setzero_si256();
    for (std::size_t i = 0; i < run; ++i, p += 32) {
      __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
      lanes = _mm256_sub_epi8(lanes, matchAvx2(bytes));
    }
    total += foldAvx2(lanes);
    blocks -= run;
  }
  // The tail (< 32 bytes) goes through SSE2, then bytes one at a time.
  return total + countDelimitersSse2(std::string_view(p, text.data() + text.size() - p));
}

bool cpuHasAvx2() { return __builtin_cpu_supports("avx2") != 0; }

bool delimiterScanSelfCheck() {
  // Every byte value, repeated past one flush (255 blocks of 32), then every
  // prefix length so each tail path runs.
  std::string text;
  for (int round = 0; round < 40; ++round) {
    for (int b = 0; b < 256; ++b) {
      text.push_back(static_cast<char>((b * 7 + round) & 0xFF));
    }
  }
  text += std::string(9000, '|');
  for (std::size_t length = 0; length <= text.size(); length += length < 300 ? 1 : 97) {
    std::string_view prefix(text.data(), length);
    std::size_t expected = countDelimitersScalar(prefix);
    if (countDelimitersSse2(prefix) != expected) {
      return false;
    }
    if (cpuHasAvx2() && countDelimitersAvx2(prefix) != expected) {
      return false;
    }
  }
  return true;
}

}  // namespace rtw::bench
