#include "rtw/mapping/xml_source.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>

namespace rtw::mapping {
namespace {

constexpr std::size_t kMaxXmlBytes = std::size_t{8} * 1024 * 1024;

// libxml2 reports to stderr by default; a mapping keeps errors to itself.
void ignoreXmlError(void*, const char*, ...) {}

class QuietErrors {
 public:
  QuietErrors() { xmlSetGenericErrorFunc(nullptr, ignoreXmlError); }
  ~QuietErrors() { xmlSetGenericErrorFunc(nullptr, nullptr); }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;
};

}  // namespace

struct XmlSource::Document {
  xmlDocPtr doc = nullptr;
  ~Document() { xmlFreeDoc(doc); }
};

XmlSource::XmlSource(std::unique_ptr<Document> document) : document_(std::move(document)) {}
XmlSource::~XmlSource() = default;

std::unique_ptr<XmlSource> XmlSource::parse(std::string_view xml, std::string& error) {
  if (xml.size() > kMaxXmlBytes) {
    error = "the XML is larger than 8 MiB";
    return nullptr;
  }
  const QuietErrors quiet;
  auto document = std::make_unique<Document>();
  // No NOENT, DTDLOAD, XINCLUDE or HUGE: entities stay unexpanded, nothing is fetched.
  document->doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "source.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (document->doc == nullptr) {
    error = "not well-formed XML";
    return nullptr;
  }
  if (document->doc->intSubset != nullptr) {
    error = "a DOCTYPE is not accepted";
    return nullptr;
  }
  return std::unique_ptr<XmlSource>(new XmlSource(std::move(document)));
}

std::string XmlSource::get(std::string_view path) const {
  const QuietErrors quiet;
  xmlXPathContextPtr context = xmlXPathNewContext(document_->doc);
  if (context == nullptr) {
    return {};
  }
  const std::string expression = "string(" + std::string(path) + ")";
  xmlXPathObjectPtr result =
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expression.c_str()), context);
  std::string value;
  if (result != nullptr && result->type == XPATH_STRING && result->stringval != nullptr) {
    value = reinterpret_cast<const char*>(result->stringval);
  }
  xmlXPathFreeObject(result);
  xmlXPathFreeContext(context);
  return value;
}

std::vector<std::string> XmlSource::getAll(std::string_view path) const {
  const QuietErrors quiet;
  std::vector<std::string> values;
  xmlXPathContextPtr context = xmlXPathNewContext(document_->doc);
  if (context == nullptr) {
    return values;
  }
  const std::string expression(path);
  xmlXPathObjectPtr result =
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expression.c_str()), context);
  if (result != nullptr && result->type == XPATH_NODESET && result->nodesetval != nullptr) {
    for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
      xmlChar* text = xmlNodeGetContent(result->nodesetval->nodeTab[i]);
      values.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
      xmlFree(text);
    }
  } else if (result != nullptr) {
    xmlChar* text = xmlXPathCastToString(result);
    values.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    xmlFree(text);
  }
  xmlXPathFreeObject(result);
  xmlXPathFreeContext(context);
  return values;
}

std::string XmlSource::rootName() const {
  const xmlNode* root = xmlDocGetRootElement(document_->doc);
  return root != nullptr && root->name != nullptr ? reinterpret_cast<const char*>(root->name) : "";
}

bool isValidXPath(std::string_view path) {
  const QuietErrors quiet;
  const std::string text(path);
  xmlXPathCompExprPtr compiled = xmlXPathCompile(reinterpret_cast<const xmlChar*>(text.c_str()));
  xmlXPathFreeCompExpr(compiled);
  return compiled != nullptr;
}

}  // namespace rtw::mapping
