#pragma once
// Parsing XML that came from outside (a partner, the board, a file an
// engineer edited) without letting it reach anything but its own bytes: no
// DTD, no entities, no network, no XInclude, a size cap, and errors kept in
// the call instead of printed.

#include <string>
#include <string_view>
#include <vector>

#include "xml_handles.h"

namespace rtw::worksafe::detail {

struct ParsedXml {
  XmlDocPtr doc;  // null unless the text parsed and was accepted
  // Why it was not accepted, one line each; never the document's text.
  std::vector<std::string> errors;
  bool had_doctype = false;
};

// Parses at most kMaxDocumentBytes. Whatever the text declares, nothing
// outside it is read.
ParsedXml parseUntrusted(std::string_view xml);

// Whether a string may be the text of an XML 1.0 element: valid UTF-8 made of
// characters the Char production allows.
bool isXmlText(std::string_view text);

}  // namespace rtw::worksafe::detail
