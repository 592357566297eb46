#pragma once
// The untrusted-XML reader of gateway/xml (no DTD, no entities, no network)
// with the size cap of a WorkSafe document.

#include <string_view>

#include "rtw/worksafe/schema.h"
#include "rtw/xml/untrusted.h"
#include "xml_handles.h"

namespace rtw::worksafe::detail {

using xml::isXmlText;
using xml::ParsedXml;

// Parses at most kMaxDocumentBytes. Whatever the text declares, nothing
// outside it is read.
inline ParsedXml parseUntrusted(std::string_view text) {
  return xml::parseUntrusted(text, kMaxDocumentBytes);
}

}  // namespace rtw::worksafe::detail
