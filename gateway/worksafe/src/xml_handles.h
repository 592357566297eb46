#pragma once
// The libxml2 handles of gateway/xml, and those of the XSD objects only this
// library creates (STYLE.md: RAII, unique_ptr first).

#include <libxml/xmlschemas.h>

#include <memory>

#include "rtw/xml/handles.h"

namespace rtw::worksafe::detail {

using xml::attribute;
using xml::fromXmlChar;
using xml::hasAttribute;
using xml::localName;
using xml::namespaceOf;
using xml::textContent;
using xml::toXmlChar;
using xml::XmlCharPtr;
using xml::XmlDocPtr;
using xml::XmlErrorView;
using xml::XmlParserCtxtPtr;

struct XmlSchemaParserCtxtFree {
  void operator()(xmlSchemaParserCtxt* ctxt) const noexcept { xmlSchemaFreeParserCtxt(ctxt); }
};
struct XmlSchemaFree {
  void operator()(xmlSchema* schema) const noexcept { xmlSchemaFree(schema); }
};
struct XmlSchemaValidCtxtFree {
  void operator()(xmlSchemaValidCtxt* ctxt) const noexcept { xmlSchemaFreeValidCtxt(ctxt); }
};

using XmlSchemaParserCtxtPtr = std::unique_ptr<xmlSchemaParserCtxt, XmlSchemaParserCtxtFree>;
using XmlSchemaPtr = std::unique_ptr<xmlSchema, XmlSchemaFree>;
using XmlSchemaValidCtxtPtr = std::unique_ptr<xmlSchemaValidCtxt, XmlSchemaValidCtxtFree>;

}  // namespace rtw::worksafe::detail
