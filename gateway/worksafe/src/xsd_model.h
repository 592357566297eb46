#pragma once
// Reads a document XSD (and the files it includes) into a SchemaModel: the
// element names, order and cardinality that Document::set and toXml follow.
// Only the XSD subset described in mappings/worksafe/common-v1.xsd is
// understood; anything else is refused by name rather than guessed at.

#include <filesystem>
#include <string>

#include "rtw/worksafe/schema.h"

namespace rtw::worksafe::detail {

// Reads <dir>/<file_name>. Every file read must lie inside dir. Throws
// std::runtime_error whose message starts with the offending file's path.
SchemaModel readXsdModel(const std::filesystem::path& dir, const std::string& file_name,
                         DocumentType type);

}  // namespace rtw::worksafe::detail
