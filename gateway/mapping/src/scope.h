#pragma once
// Where a rule reads inside a repeat: the source item (its paths rewritten
// to the current occurrence or repetition) and the document item.

#include <cstddef>
#include <string>
#include <string_view>

namespace rtw::mapping::detail {

/// An HL7 path with one '*' split around it: "OBX[*]-5" → {"OBX", '[', "-5"}.
struct StarPath {
  std::string head;
  char open = '[';  // '[' for a segment occurrence, '(' for a field repetition
  std::string tail;
  bool fhir = false;  // a FHIRPath: indexers count from 0, an item continues with '.'
  static StarPath split(std::string_view path);  // path holds exactly one '*'
  std::string at(std::size_t index) const;       // "OBX[3]-5"
  std::string itemAt(std::size_t index) const;   // "OBX[3]" (no tail)
  std::string everyItem() const;                 // "OBX[*]" / "PV1-7(*)"
};

struct Scope {
  const StarPath* each = nullptr;  // nullptr at the top level
  std::size_t index = 0;           // 1-based item of `each`
  std::string document_prefix;     // "line[2]/" inside a repeat, "" at the top level

  /// "OBX-5" inside a repeat over OBX[*] at item 3 → "OBX[3]-5"; other paths unchanged.
  std::string resolve(std::string_view path) const;
  /// A document path relative to the item ("." is the item itself).
  std::string target(std::string_view relative) const;
};

}  // namespace rtw::mapping::detail
