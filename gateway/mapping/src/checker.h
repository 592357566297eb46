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

/// The fields the host fills in every document (translate worker, rtwctl map).
bool filledByHost(std::string_view path);

/// Throws MappingError (at the mapping's key) when an element the document's
/// XSD requires is written by no rule (coverage.cpp): required children of
/// the root, and of every element some rule writes into.
void checkRequiredElements(const MessageMapping& mapping, const worksafe::SchemaSet& schemas);

}  // namespace rtw::mapping::detail
