#include "xhtml.h"

#include <algorithm>

#include "rtw/fhir/resource.h"
#include "rtw/xml/escape.h"
#include "rtw/xml/handles.h"
#include "rtw/xml/untrusted.h"

namespace rtw::fhir::detail {
namespace {

constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

std::string_view hrefOf(const xmlNs* ns) {
  return ns != nullptr && ns->href != nullptr ? xml::fromXmlChar(ns->href) : "";
}

std::string lineOf(const xmlNode* node) {
  return "line " + std::to_string(xmlGetLineNo(node)) + ": ";
}

bool writeAttributes(const xmlNode* element, std::string& out, std::string& error) {
  for (const xmlAttr* attribute = element->properties; attribute != nullptr;
       attribute = attribute->next) {
    const std::string_view ns = hrefOf(attribute->ns);
    if (!ns.empty() && ns != kXmlNamespace) {
      error = lineOf(element) + "the narrative's attribute '" + xml::fromXmlChar(attribute->name) +
              "' is in a namespace XHTML does not use";
      return false;
    }
    out += ns.empty() ? " " : " xml:";
    out += xml::fromXmlChar(attribute->name);
    out += "=\"";
    const xml::XmlCharPtr value(xmlNodeGetContent(reinterpret_cast<const xmlNode*>(attribute)));
    xml::appendEscaped(out, value ? xml::fromXmlChar(value.get()) : "", true);
    out += '"';
  }
  return true;
}

bool writeElement(const xmlNode* element, bool root, std::string& out, std::string& error) {
  if (hrefOf(element->ns) != kXhtmlNamespace) {
    error = lineOf(element) + "the narrative holds <" + xml::fromXmlChar(element->name) +
            ">, which is not in the XHTML namespace";
    return false;
  }
  const char* name = xml::fromXmlChar(element->name);
  out += '<';
  out += name;
  if (root) {
    out += " xmlns=\"";
    out += kXhtmlNamespace;
    out += '"';
  }
  if (!writeAttributes(element, out, error)) {
    return false;
  }
  const std::size_t open_end = out.size();
  out += '>';
  bool content = false;
  for (const xmlNode* child = element->children; child != nullptr; child = child->next) {
    switch (child->type) {
      case XML_ELEMENT_NODE:
        if (!writeElement(child, false, out, error)) {
          return false;
        }
        content = true;
        break;
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        if (child->content != nullptr && child->content[0] != '\0') {
          xml::appendEscaped(out, xml::fromXmlChar(child->content));
          content = true;
        }
        break;
      case XML_COMMENT_NODE:
      case XML_PI_NODE:
        break;
      default:
        error = lineOf(child) + "the narrative holds an entity reference";
        return false;
    }
  }
  if (content) {
    out += "</";
    out += name;
    out += '>';
  } else {
    out.replace(open_end, 1, "/>");
  }
  return true;
}

}  // namespace

bool writeNarrative(const xmlNode* div, std::string& out, std::string& error) {
  if (xmlStrcmp(div->name, xml::toXmlChar("div")) != 0) {
    error = lineOf(div) + "the narrative is <" + xml::fromXmlChar(div->name) + ">, not a <div>";
    return false;
  }
  return writeElement(div, true, out, error);
}

bool writeNarrativeText(std::string_view text, std::string& out, std::string& error) {
  // No cap of its own: the text is part of a resource already read, and
  // escaping can make it longer than the XML it came from.
  const xml::ParsedXml parsed = xml::parseUntrusted(text, std::max(text.size(), kMaxJsonBytes));
  if (!parsed.doc) {
    error = "the narrative is not XHTML: " +
            (parsed.errors.empty() ? std::string("not well-formed") : parsed.errors.front());
    return false;
  }
  return writeNarrative(xmlDocGetRootElement(parsed.doc.get()), out, error);
}

}  // namespace rtw::fhir::detail
