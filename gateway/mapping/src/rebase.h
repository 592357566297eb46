#pragma once
// "extends" with "through": another resource type's rules, read through a
// path of this one. A Task that answers a referral inherits the
// ServiceRequest mapping through "Task.focus.resolve()": every FHIRPath of
// the inherited rules, conditions and repeats starts there instead of at
// ServiceRequest, so the referral's fields are written once.

#include <string>
#include <string_view>
#include <vector>

#include "rtw/mapping/mapping.h"

namespace rtw::mapping::detail {

/// Rewrites each FHIRPath of `rules` / `repeats` from the root `from`
/// ("ServiceRequest") onto `through` ("Task.focus.resolve()"). Returns the
/// first path that cannot be rebased and why ("" when all were): a path
/// that names `from` again after its start would read the wrong resource.
std::string rebaseFhirPaths(std::vector<ValueRule>& rules, std::string_view from,
                            std::string_view through);
std::string rebaseFhirPaths(std::vector<RepeatRule>& repeats, std::string_view from,
                            std::string_view through);

}  // namespace rtw::mapping::detail
