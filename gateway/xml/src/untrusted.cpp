#include "rtw/xml/untrusted.h"

#include <climits>
#include <cstdint>

#include <libxml/parserInternals.h>

namespace rtw::xml {
namespace {

// Only NONET: no NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE, so entities stay
// unexpanded, no external subset is fetched and libxml2 keeps its depth and
// size limits.
constexpr int kParseOptions = XML_PARSE_NONET;

// libxml2 wants its globals set up once before threads parse.
void initialiseOnce() {
  static const bool initialised = [] {
    xmlInitParser();
    return true;
  }();
  (void)initialised;
}

ParsedXml& stateOf(void* sax_user_data) {
  // libxml2 passes ctxt->userData, which is the parser context itself.
  auto* ctxt = static_cast<xmlParserCtxt*>(sax_user_data);
  return *static_cast<ParsedXml*>(ctxt->_private);
}

// libxml2 may end a message with the bytes it could not decode; those bytes
// are document content, so they are cut off.
std::string parserMessage(XmlErrorView error) {
  std::string text = error->message != nullptr ? error->message : "unknown XML error";
  if (auto bytes = text.find("Bytes:"); bytes != std::string::npos) {
    text.erase(bytes);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return "line " + std::to_string(error->line) + ": " + text;
}

void onParseError(void* sax_user_data, XmlErrorView error) {
  if (error == nullptr || error->level < XML_ERR_ERROR) {
    return;
  }
  try {
    stateOf(sax_user_data).errors.push_back(parserMessage(error));
  } catch (...) {
    // Out of memory inside a C callback: the parse already failed, and an
    // exception must not unwind through libxml2.
  }
}

// Called when the parser meets <!DOCTYPE, before any declaration inside it is
// read; stopping here is what keeps entity bombs and external entities out.
void onDoctype(void* sax_user_data, const xmlChar*, const xmlChar*, const xmlChar*) {
  stateOf(sax_user_data).had_doctype = true;
  xmlStopParser(static_cast<xmlParserCtxt*>(sax_user_data));
}

std::uint32_t decodeAt(std::string_view text, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  int length = 0;
  std::uint32_t code = 0;
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code = lead & 0x07;
  } else {
    return UINT32_MAX;
  }
  if (pos + static_cast<std::size_t>(length) > text.size()) {
    return UINT32_MAX;
  }
  for (int i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + static_cast<std::size_t>(i)]);
    if ((next & 0xC0) != 0x80) {
      return UINT32_MAX;
    }
    code = (code << 6) | (next & 0x3F);
  }
  constexpr std::uint32_t kShortest[] = {0, 0, 0x80, 0x800, 0x10000};
  pos += static_cast<std::size_t>(length);
  return code < kShortest[length] ? UINT32_MAX : code;  // overlong forms are invalid
}

bool isXmlChar(std::uint32_t code) {
  return code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code <= 0xD7FF) ||
         (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF);
}

}  // namespace

ParsedXml parseUntrusted(std::string_view xml, std::size_t max_bytes) {
  ParsedXml result;
  if (xml.size() > max_bytes || xml.size() >= INT_MAX) {
    result.errors.push_back("document is larger than " + std::to_string(max_bytes) + " bytes");
    return result;
  }
  if (xml.empty()) {
    result.errors.push_back("empty document");
    return result;
  }
  initialiseOnce();
  XmlParserCtxtPtr ctxt(xmlCreateMemoryParserCtxt(xml.data(), static_cast<int>(xml.size())));
  if (!ctxt) {
    result.errors.push_back("cannot create an XML parser");
    return result;
  }
  xmlCtxtUseOptions(ctxt.get(), kParseOptions);
  // Per-call handlers on this context's own SAX block: nothing global is
  // touched, so parses on other threads are unaffected.
  ctxt->_private = &result;
  ctxt->sax->serror = onParseError;
  ctxt->sax->internalSubset = onDoctype;

  xmlParseDocument(ctxt.get());
  XmlDocPtr doc(ctxt->myDoc);
  ctxt->myDoc = nullptr;

  if (result.had_doctype) {
    result.errors = {"DOCTYPE not allowed"};  // the one thing worth saying
    return result;
  }
  if (ctxt->wellFormed == 0 && result.errors.empty()) {
    result.errors.push_back("not well-formed XML");
  }
  if (result.errors.empty() && (!doc || xmlDocGetRootElement(doc.get()) == nullptr)) {
    result.errors.push_back("no document element");
  }
  if (result.errors.empty()) {
    result.doc = std::move(doc);
  }
  return result;
}

bool isXmlText(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (!isXmlChar(decodeAt(text, pos))) {
      return false;
    }
  }
  return true;
}

}  // namespace rtw::xml
