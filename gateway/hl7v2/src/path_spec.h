#pragma once
// The path grammar shared by reading (path.cpp) and writing (set.cpp):
// "SEG[occurrence]-field(repetition).component.subcomponent".

#include <optional>
#include <string_view>

#include "er7.h"

namespace rtw::hl7v2::detail {

inline constexpr int kEvery = 0;  // '*' as occurrence or repetition

struct PathSpec {
  std::string_view segment;
  int occurrence = 1;
  int field = 0;
  int repetition = 1;
  int component = 0;     // 0: the whole repetition
  int subcomponent = 0;  // 0: the whole component

  // MSH-1 / MSH-2 (and FHS, BHS) hold the delimiters themselves.
  bool namesDelimiterField() const { return field <= 2 && isHeaderSegment(segment); }
};

std::optional<PathSpec> parsePath(std::string_view text);

}  // namespace rtw::hl7v2::detail
