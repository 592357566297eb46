#pragma once
// Owning handles for the libxml2 objects the gateway creates, so that every
// early return and exception frees them (STYLE.md: RAII, unique_ptr first),
// and the few reads of a parsed tree every XML reader needs.

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include <memory>
#include <string>

namespace rtw::xml {

struct XmlDocFree {
  void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
struct XmlParserCtxtFree {
  void operator()(xmlParserCtxt* ctxt) const noexcept { xmlFreeParserCtxt(ctxt); }
};
struct XmlCharFree {
  void operator()(xmlChar* text) const noexcept { xmlFree(text); }
};

using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;
using XmlParserCtxtPtr = std::unique_ptr<xmlParserCtxt, XmlParserCtxtFree>;
using XmlCharPtr = std::unique_ptr<xmlChar, XmlCharFree>;

// libxml2 2.12 made the structured error callback take a const error.
#if LIBXML_VERSION >= 21200
using XmlErrorView = const xmlError*;
#else
using XmlErrorView = xmlError*;
#endif

inline const xmlChar* toXmlChar(const char* text) { return reinterpret_cast<const xmlChar*>(text); }
inline const char* fromXmlChar(const xmlChar* text) { return reinterpret_cast<const char*>(text); }

// The text of an attribute, empty when absent.
inline std::string attribute(const xmlNode* node, const char* name) {
  XmlCharPtr value(xmlGetProp(node, toXmlChar(name)));
  return value ? std::string(fromXmlChar(value.get())) : std::string();
}

inline bool hasAttribute(const xmlNode* node, const char* name) {
  return xmlHasProp(node, toXmlChar(name)) != nullptr;
}

// The concatenated text below a node (libxml2 resolves character references).
inline std::string textContent(const xmlNode* node) {
  XmlCharPtr value(xmlNodeGetContent(node));
  return value ? std::string(fromXmlChar(value.get())) : std::string();
}

inline std::string localName(const xmlNode* node) {
  return node->name != nullptr ? std::string(fromXmlChar(node->name)) : std::string();
}

inline std::string namespaceOf(const xmlNode* node) {
  return (node->ns != nullptr && node->ns->href != nullptr)
             ? std::string(fromXmlChar(node->ns->href))
             : std::string();
}

}  // namespace rtw::xml
