#include "xsd_model.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "untrusted_xml.h"
#include "xml_handles.h"

namespace rtw::worksafe::detail {
namespace {

namespace fs = std::filesystem;
using Element = SchemaModel::Element;

constexpr std::string_view kXsdNamespace = "http://www.w3.org/2001/XMLSchema";
// Far more than any board document; a schema past these limits is a
// mistake (or an attack on start-up), not a document shape.
constexpr int kMaxTypeDepth = 32;
constexpr std::size_t kMaxModelElements = 10000;
// Built-in types that are plain values (xs:anyType and friends are not).
constexpr std::array<std::string_view, 14> kBuiltinLeafTypes = {"string",
                                                                "token",
                                                                "normalizedString",
                                                                "date",
                                                                "dateTime",
                                                                "time",
                                                                "gYear",
                                                                "decimal",
                                                                "integer",
                                                                "boolean",
                                                                "anyURI",
                                                                "positiveInteger",
                                                                "nonNegativeInteger",
                                                                "base64Binary"};

struct NamedType {
  const xmlNode* node = nullptr;
  fs::path file;
};

bool isXsd(const xmlNode* node, std::string_view local) {
  return node->type == XML_ELEMENT_NODE && namespaceOf(node) == kXsdNamespace &&
         localName(node) == local;
}

class XsdModelReader {
 public:
  explicit XsdModelReader(const fs::path& dir) : dir_(fs::weakly_canonical(dir)) {}

  SchemaModel read(const std::string& file_name, DocumentType type) {
    const fs::path main_file = fs::weakly_canonical(dir_ / file_name);
    if (!isInsideDir(main_file)) {
      throw std::runtime_error((dir_ / file_name).string() + ": resolves to a file outside " +
                               dir_.string());
    }
    loadFile(main_file, true);
    if (globals_.size() != 1) {
      throw std::runtime_error(main_file.string() +
                               ": expected exactly one global xs:element, found " +
                               std::to_string(globals_.size()));
    }
    SchemaModel model;
    model.type = type;
    model.namespace_uri = target_namespace_;
    model.root = buildElement(globals_.front().node, globals_.front().file, 0);
    model.root_name = model.root.name;
    if (model.root.children.empty()) {
      fail(globals_.front().file, globals_.front().node,
           "the root element must have child elements");
    }
    return model;
  }

 private:
  [[noreturn]] static void fail(const fs::path& file, const xmlNode* node,
                                const std::string& what) {
    std::string where = file.string();
    if (node != nullptr) {
      where += ":" + std::to_string(xmlGetLineNo(node));
    }
    throw std::runtime_error(where + ": " + what);
  }

  // XSD children of a node, without annotations; anything foreign is refused.
  static std::vector<const xmlNode*> xsdChildren(const xmlNode* parent, const fs::path& file) {
    std::vector<const xmlNode*> result;
    for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
      if (child->type != XML_ELEMENT_NODE) {
        continue;
      }
      if (namespaceOf(child) != kXsdNamespace) {
        fail(file, child, "element '" + localName(child) + "' is not part of XML Schema");
      }
      if (localName(child) != "annotation") {
        result.push_back(child);
      }
    }
    return result;
  }

  // weakly_canonical has resolved symlinks, so a link pointing out fails too.
  bool isInsideDir(const fs::path& file) const {
    const fs::path relative = file.lexically_relative(dir_);
    return !relative.empty() && *relative.begin() != ".." && *relative.begin() != ".";
  }

  fs::path resolveInclude(const fs::path& including, const xmlNode* node) {
    const std::string location = attribute(node, "schemaLocation");
    if (location.empty() || location.find(':') != std::string::npos || location.front() == '/' ||
        location.front() == '\\') {
      fail(including, node,
           "xs:include must name a file beside the schema (got '" + location + "')");
    }
    const fs::path resolved = fs::weakly_canonical(including.parent_path() / location);
    if (!isInsideDir(resolved)) {
      fail(including, node, "xs:include '" + location + "' points outside " + dir_.string());
    }
    return resolved;
  }

  static std::string readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      throw std::runtime_error(file.string() + ": cannot read the file");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  void loadFile(const fs::path& file, bool is_main) {
    if (!visited_.insert(file).second) {
      return;  // included twice, or a cycle: its declarations are in already
    }
    ParsedXml parsed = parseUntrusted(readText(file));
    if (!parsed.doc) {
      throw std::runtime_error(file.string() + ": " + parsed.errors.front());
    }
    const xmlNode* root = xmlDocGetRootElement(parsed.doc.get());
    docs_.push_back(std::move(parsed.doc));
    if (!isXsd(root, "schema")) {
      fail(file, root, "the root element is not xs:schema");
    }
    readSchemaNamespace(file, root, is_main);
    for (const xmlNode* child : xsdChildren(root, file)) {
      readTopLevel(file, child, is_main);
    }
  }

  void readSchemaNamespace(const fs::path& file, const xmlNode* root, bool is_main) {
    const std::string target = attribute(root, "targetNamespace");
    if (is_main) {
      if (target.empty()) {
        fail(file, root, "a document schema needs a targetNamespace");
      }
      target_namespace_ = target;
    } else if (!target.empty() && target != target_namespace_) {
      fail(file, root,
           "an included schema must have no targetNamespace or '" + target_namespace_ + "'");
    }
    // The writer puts every element in the document namespace; a schema
    // with unqualified local elements would reject what it writes.
    if (attribute(root, "elementFormDefault") != "qualified") {
      fail(file, root, "elementFormDefault must be \"qualified\"");
    }
  }

  // Attributes that would change what an element means to the model
  // (form, ref, nillable, default, substitutionGroup, ...) are refused.
  static void checkAttributes(const fs::path& file, const xmlNode* node,
                              std::initializer_list<std::string_view> allowed) {
    for (const xmlAttr* attr = node->properties; attr != nullptr; attr = attr->next) {
      const std::string_view name = fromXmlChar(attr->name);
      if (attr->ns == nullptr && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        fail(
            file, node,
            "attribute '" + std::string(name) + "' on xs:" + localName(node) + " is not supported");
      }
    }
  }

  void readTopLevel(const fs::path& file, const xmlNode* child, bool is_main) {
    const std::string kind = localName(child);
    if (kind == "include") {
      loadFile(resolveInclude(file, child), false);
    } else if (kind == "complexType" || kind == "simpleType") {
      registerType(file, child, kind == "complexType" ? complex_types_ : simple_types_);
    } else if (kind == "element" && is_main) {
      globals_.push_back({child, file});
    } else if (kind == "element") {
      fail(file, child, "global elements belong in the document schema, not in an included one");
    } else {
      fail(file, child, "unsupported XSD construct 'xs:" + kind + "'");
    }
  }

  void registerType(const fs::path& file, const xmlNode* node,
                    std::map<std::string, NamedType>& into) {
    const std::string name = attribute(node, "name");
    if (name.empty()) {
      fail(file, node, "a top-level type needs a name");
    }
    if (complex_types_.count(name) != 0 || simple_types_.count(name) != 0) {
      fail(file, node, "type '" + name + "' is declared twice");
    }
    into[name] = {node, file};
  }

  static int parseOccurs(const fs::path& file, const xmlNode* node, const char* which,
                         bool allow_unbounded) {
    if (!hasAttribute(node, which)) {
      return 1;
    }
    const std::string text = attribute(node, which);
    if (allow_unbounded && text == "unbounded") {
      return -1;
    }
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
      fail(file, node, std::string(which) + " '" + text + "' is not a supported number");
    }
    return value;
  }

  Element buildElement(const xmlNode* decl, const fs::path& file, int depth) {
    if (hasAttribute(decl, "ref")) {
      fail(file, decl, "xs:element ref is not supported; give the element a name and a type");
    }
    checkAttributes(file, decl, {"name", "type", "minOccurs", "maxOccurs"});
    if (++element_count_ > kMaxModelElements) {
      fail(file, decl,
           "the schema expands to more than " + std::to_string(kMaxModelElements) + " elements");
    }
    Element element;
    element.name = attribute(decl, "name");
    if (element.name.empty()) {
      fail(file, decl, "xs:element without a name");
    }
    element.min_occurs = parseOccurs(file, decl, "minOccurs", false);
    element.max_occurs = parseOccurs(file, decl, "maxOccurs", true);
    if (element.max_occurs == 0 ||
        (element.max_occurs > 0 && element.min_occurs > element.max_occurs)) {
      fail(file, decl, "element '" + element.name + "' has minOccurs above maxOccurs");
    }
    const std::vector<const xmlNode*> inline_types = xsdChildren(decl, file);
    if (hasAttribute(decl, "type")) {
      if (!inline_types.empty()) {
        fail(file, decl,
             "element '" + element.name + "' has both a type attribute and an inline type");
      }
      resolveNamedType(decl, file, depth, element);
    } else if (inline_types.size() == 1 && isXsd(inline_types.front(), "complexType")) {
      element.children = buildComplexType(inline_types.front(), file, depth + 1);
    } else if (inline_types.size() != 1 || !isXsd(inline_types.front(), "simpleType")) {
      fail(file, decl, "element '" + element.name + "' needs a type (xs:anyType is not allowed)");
    } else {
      describeSimpleType(inline_types.front(), file, element, 0);
    }
    return element;
  }

  void resolveNamedType(const xmlNode* decl, const fs::path& file, int depth, Element& element) {
    const std::string qname = attribute(decl, "type");
    const auto colon = qname.find(':');
    const std::string prefix = colon == std::string::npos ? std::string() : qname.substr(0, colon);
    const std::string local = colon == std::string::npos ? qname : qname.substr(colon + 1);
    const xmlNs* ns = xmlSearchNs(decl->doc, const_cast<xmlNode*>(decl),
                                  prefix.empty() ? nullptr : toXmlChar(prefix.c_str()));
    if (ns == nullptr && !prefix.empty()) {
      fail(file, decl, "type '" + qname + "' uses an undeclared prefix");
    }
    const std::string ns_uri = ns != nullptr ? fromXmlChar(ns->href) : "";
    if (ns_uri == kXsdNamespace) {
      if (std::find(kBuiltinLeafTypes.begin(), kBuiltinLeafTypes.end(), local) ==
          kBuiltinLeafTypes.end()) {
        fail(file, decl, "built-in type '" + qname + "' is not supported");
      }
      element.value_type = local;
      return;
    }
    // Unqualified names in a chameleon include belong to the includer.
    if (!ns_uri.empty() && ns_uri != target_namespace_) {
      fail(file, decl,
           "type '" + qname + "' is from namespace '" + ns_uri +
               "', which no loaded schema defines");
    }
    if (auto complex = complex_types_.find(local); complex != complex_types_.end()) {
      if (std::find(expanding_.begin(), expanding_.end(), local) != expanding_.end()) {
        fail(file, decl,
             "type '" + local + "' contains itself (recursive types are not supported)");
      }
      expanding_.push_back(local);
      element.children = buildComplexType(complex->second.node, complex->second.file, depth + 1);
      expanding_.pop_back();
    } else if (auto simple = simple_types_.find(local); simple != simple_types_.end()) {
      describeSimpleType(simple->second.node, simple->second.file, element, 0);
    } else {
      fail(file, decl, "unknown type '" + qname + "'");
    }
  }

  // The built-in base and the enumeration of a simple type (xs:restriction),
  // for mappings to check what they write. Anything else leaves them empty.
  void describeSimpleType(const xmlNode* type, const fs::path& file, Element& element, int depth) {
    if (depth > kMaxTypeDepth) {
      fail(file, type, "simple types nest deeper than " + std::to_string(kMaxTypeDepth));
    }
    for (const xmlNode* part : xsdChildren(type, file)) {
      if (!isXsd(part, "restriction")) {
        continue;
      }
      for (const xmlNode* facet : xsdChildren(part, file)) {
        if (isXsd(facet, "enumeration")) {
          element.enumeration.push_back(attribute(facet, "value"));
        }
      }
      const std::string base = attribute(part, "base");
      const auto colon = base.find(':');
      const std::string local = colon == std::string::npos ? base : base.substr(colon + 1);
      if (auto named = simple_types_.find(local); named != simple_types_.end()) {
        describeSimpleType(named->second.node, named->second.file, element, depth + 1);
      } else {
        element.value_type = local;
      }
    }
  }

  std::vector<Element> buildComplexType(const xmlNode* type, const fs::path& file, int depth) {
    if (depth > kMaxTypeDepth) {
      fail(file, type,
           "types nest deeper than " + std::to_string(kMaxTypeDepth) +
               " levels (a recursive type?)");
    }
    checkAttributes(file, type, {"name"});
    const std::vector<const xmlNode*> parts = xsdChildren(type, file);
    if (parts.size() != 1 || !isXsd(parts.front(), "sequence")) {
      const std::string found = parts.empty() ? "nothing" : "xs:" + localName(parts.front());
      fail(file, type, "a complex type must hold exactly one xs:sequence (found " + found + ")");
    }
    const xmlNode* sequence = parts.front();
    checkAttributes(file, sequence, {});
    std::vector<Element> children;
    for (const xmlNode* item : xsdChildren(sequence, file)) {
      if (!isXsd(item, "element")) {
        fail(file, item, "unsupported XSD construct 'xs:" + localName(item) + "' in a sequence");
      }
      Element child = buildElement(item, file, depth);
      const bool duplicate =
          std::any_of(children.begin(), children.end(),
                      [&](const Element& other) { return other.name == child.name; });
      if (duplicate) {
        fail(file, item, "element '" + child.name + "' appears twice in one sequence");
      }
      children.push_back(std::move(child));
    }
    if (children.empty()) {
      fail(file, sequence, "an empty xs:sequence is not supported");
    }
    return children;
  }

  fs::path dir_;
  std::string target_namespace_;
  std::vector<XmlDocPtr> docs_;  // owns every node the maps below point into
  std::set<fs::path> visited_;
  std::map<std::string, NamedType> complex_types_;
  std::map<std::string, NamedType> simple_types_;
  std::vector<NamedType> globals_;
  std::vector<std::string> expanding_;  // named complex types being built, outermost first
  std::size_t element_count_ = 0;
};

}  // namespace

SchemaModel readXsdModel(const fs::path& dir, const std::string& file_name, DocumentType type) {
  return XsdModelReader(dir).read(file_name, type);
}

}  // namespace rtw::worksafe::detail
