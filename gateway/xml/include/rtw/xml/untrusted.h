#pragma once
// Parsing XML that came from outside (a partner, the board, a file an
// engineer edited) without letting it reach anything but its own bytes: no
// DTD, no entities, no network, no XInclude, a size cap, and errors kept in
// the call instead of printed. Every reader of outside XML (WorkSafe
// documents, FHIR resources) parses through here.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/xml/handles.h"

namespace rtw::xml {

struct ParsedXml {
  XmlDocPtr doc;  // null unless the text parsed and was accepted
  // Why it was not accepted, one line each; never the document's text.
  std::vector<std::string> errors;
  bool had_doctype = false;
};

/// Parses at most `max_bytes` (below 2 GiB). Whatever the text declares,
/// nothing outside it is read.
ParsedXml parseUntrusted(std::string_view xml, std::size_t max_bytes);

/// Whether a string may be the text of an XML 1.0 element: valid UTF-8 made
/// of characters the Char production allows.
bool isXmlText(std::string_view text);

}  // namespace rtw::xml
