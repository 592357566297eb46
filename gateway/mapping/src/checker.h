#pragma once
// The checks a mapping needs the document schema and the code tables for:
// targets that exist and are leaves, repeats over repeating elements, code
// tables that exist, and values whose type the target cannot hold.

#include "rtw/mapping/mapping.h"
#include "rtw/worksafe/schema.h"

namespace rtw::mapping::detail {

/// Throws MappingError naming the file, line and rule of the first problem.
void checkMapping(const MessageMapping& mapping, const MappingSet& set,
                  const worksafe::SchemaSet& schemas);

}  // namespace rtw::mapping::detail
