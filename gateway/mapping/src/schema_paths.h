#pragma once
// Looking up a mapping's target paths in a document's schema model.

#include <string>
#include <string_view>

#include "rtw/worksafe/schema.h"

namespace rtw::mapping::detail {

using Element = worksafe::SchemaModel::Element;

/// The element a path names below `from` ("worker/family", "line[2]/units";
/// indexes are allowed and ignored), or nullptr with `missing` set to the
/// first step that is not in the schema.
const Element* findElement(const Element& from, std::string_view path, std::string& missing);

/// Why `value` cannot be written into `leaf`, or "" when it can.
std::string valueMismatch(const Element& leaf, std::string_view value);

/// True when the leaf holds a date ("date") or a timestamp ("dateTime").
bool isDateType(const Element& leaf);
bool isNumberType(const Element& leaf);

}  // namespace rtw::mapping::detail
