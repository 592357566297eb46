#pragma once
// The transforms of a value rule, applied in the documented order.

#include <optional>
#include <string>

#include "rtw/mapping/mapping.h"

namespace rtw::mapping::detail {

/// The transformed value, or an error message (no PHI) when a transform
/// cannot apply (a code not in its table, a date that is not one).
struct Transformed {
  std::string value;
  std::string error;
  bool not_in_table = false;  // the error is a code its table does not have
};

/// trim → extract → split → case → table → date → money / scale.
/// An empty value stays empty (defaults are the caller's).
Transformed applyTransforms(const ValueRule& rule, std::string value, const MappingSet& set);

}  // namespace rtw::mapping::detail
