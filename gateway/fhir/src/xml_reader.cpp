// FHIR XML onto the JSON model (https://hl7.org/fhir/R4/xml.html and
// json.html): each element becomes the member of its name (attributes first,
// then elements, in R4's order), an array where R4 lets it repeat; a primitive's value attribute
// its value (numbers kept as their text, as the JSON reader keeps them) and its id and extensions
// the
// "_name" member beside it, arrays padded with null where only one of the two
// is there; contained resources unwrapped; the div written as its XHTML.

#include <algorithm>
#include <utility>
#include <vector>

#include <libxml/tree.h>

#include <rapidjson/document.h>

#include "r4_model.h"
#include "resource_access.h"
#include "rtw/fhir/xml.h"
#include "rtw/xml/handles.h"
#include "rtw/xml/untrusted.h"
#include "xhtml.h"

namespace rtw::fhir {
namespace {

using detail::R4Element;
using detail::R4Type;
using Kind = R4Element::Kind;
using Json = rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

constexpr std::string_view kFhirNamespace = "http://hl7.org/fhir";

std::string_view hrefOf(const xmlNs* ns) {
  return ns != nullptr && ns->href != nullptr ? xml::fromXmlChar(ns->href) : "";
}

// A name from the document as an error shows it: cut short, whole characters.
std::string shown(const xmlChar* name) {
  std::string text = name != nullptr ? xml::fromXmlChar(name) : "";
  if (text.size() > 64) {
    std::size_t cut = 64;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    text.resize(cut);
    text += "...";
  }
  return text;
}

std::string attributeName(const xmlAttr* attribute) {
  const std::string name = shown(attribute->name);
  return attribute->ns != nullptr && attribute->ns->prefix != nullptr
             ? shown(attribute->ns->prefix) + ":" + name
             : name;
}

std::string attributeValue(const xmlAttr* attribute) {
  const xml::XmlCharPtr value(xmlNodeGetContent(reinterpret_cast<const xmlNode*>(attribute)));
  return value ? std::string(xml::fromXmlChar(value.get())) : std::string();
}

bool isWhitespace(const xmlChar* text) {
  for (; text != nullptr && *text != '\0'; ++text) {
    if (*text != ' ' && *text != '\t' && *text != '\n' && *text != '\r') {
      return false;
    }
  }
  return true;
}

Json stringRef(std::string_view text) {
  return Json(rapidjson::StringRef(text.data(), text.size()));
}

// The occurrences of one element among its parent's children, in order.
struct Slot {
  const R4Element* element = nullptr;
  Json values{rapidjson::kArrayType};   // each occurrence's value (null: none)
  Json shadows{rapidjson::kArrayType};  // primitives: each one's id and extensions
  bool any_value = false;
  bool any_shadow = false;
};

class XmlReader {
 public:
  XmlReader(Allocator& allocator, const XmlLimits& limits, std::string& error)
      : allocator_(allocator), limits_(limits), error_(error) {}

  // `node` is a resource's element (<Patient>), `out` becomes its object.
  bool resource(const xmlNode* node, Json& out, int depth) {
    const R4Type* type = nullptr;
    if (hrefOf(node->ns) != kFhirNamespace) {
      return fail(node, "<" + shown(node->name) + "> is not in the FHIR namespace " +
                            std::string(kFhirNamespace));
    }
    type = detail::r4Model().resource(xml::fromXmlChar(node->name));
    if (type == nullptr) {
      return fail(node, "<" + shown(node->name) + "> is not an R4 resource type");
    }
    if (node->properties != nullptr) {
      return fail(node, "attribute '" + attributeName(node->properties) + "' of <" +
                            std::string(type->name) + "> is not R4 (a resource has none)");
    }
    const std::size_t path_size = path_.size();
    if (path_.empty()) {
      path_ = type->name;
    }
    out.SetObject();
    out.AddMember("resourceType", stringRef(type->name), allocator_);
    const bool read = children(node, *type, out, depth);
    path_.resize(path_size);
    return read;
  }

 private:
  bool fail(const xmlNode* node, std::string what) {
    error_ = "line " + std::to_string(xmlGetLineNo(node)) + ": " + std::move(what);
    return false;
  }

  // The attributes R4 puts there (an element's id, an extension's url) as
  // the first members of `object`, in R4's order; a primitive's value into
  // `value` when it may have one.
  bool attributes(const xmlNode* node, const R4Type& type, Json& object, Json* value,
                  const R4Element* primitive) {
    std::vector<std::pair<const R4Element*, std::string>> members;
    for (const xmlAttr* attribute = node->properties; attribute != nullptr;
         attribute = attribute->next) {
      const std::string_view name = xml::fromXmlChar(attribute->name);
      const R4Element* element = attribute->ns == nullptr ? type.element(name) : nullptr;
      const bool is_value = value != nullptr && attribute->ns == nullptr && name == "value";
      if (!is_value && (element == nullptr || !element->attribute)) {
        return fail(node,
                    "attribute '" + attributeName(attribute) + "' of " + path_ + " is not R4");
      }
      const std::string text = attributeValue(attribute);
      if (text.empty()) {
        return fail(node, "attribute '" + attributeName(attribute) + "' of " + path_ +
                              " is empty (R4: attributes are never empty)");
      }
      if (is_value) {
        if (!primitiveValue(node, *primitive, text, *value)) {
          return false;
        }
        continue;
      }
      members.emplace_back(element, text);
    }
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.first->order < b.first->order; });
    for (const auto& [element, text] : members) {
      object.AddMember(stringRef(element->name),
                       Json(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator_),
                       allocator_);
    }
    return true;
  }

  bool primitiveValue(const xmlNode* node, const R4Element& element, const std::string& text,
                      Json& value) {
    switch (element.value) {
      case R4Element::Value::kBoolean:
        if (text != "true" && text != "false") {
          return fail(node, path_ + " is not a boolean (true or false)");
        }
        value.SetBool(text == "true");
        return true;
      case R4Element::Value::kInteger:
        if (!detail::isJsonInteger(text)) {
          return fail(node, path_ + " is not an integer");
        }
        break;
      case R4Element::Value::kDecimal:
        if (!detail::isJsonDecimal(text)) {
          return fail(node, path_ + " is not a decimal");
        }
        break;
      case R4Element::Value::kString:
        break;
    }
    value.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator_);
    return true;
  }

  // The child elements of `node` as members of `object`, by `type`.
  bool children(const xmlNode* node, const R4Type& type, Json& object, int depth) {
    std::vector<Slot> slots;
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      switch (child->type) {
        case XML_ELEMENT_NODE:
          if (!element(child, type, slots, depth)) {
            return false;
          }
          break;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
          if (!isWhitespace(child->content)) {
            return fail(child, path_ + " holds text (FHIR XML has values in value attributes)");
          }
          break;
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
          break;
        default:
          return fail(child, path_ + " holds an entity reference");
      }
    }
    // In R4's order, as toXml() writes them: the same JSON whatever the XML's order.
    std::sort(slots.begin(), slots.end(),
              [](const Slot& a, const Slot& b) { return a.element->order < b.element->order; });
    for (Slot& slot : slots) {
      const R4Element& element = *slot.element;
      if (slot.any_value || element.kind != Kind::kPrimitive) {
        object.AddMember(
            stringRef(element.name),
            element.repeats ? slot.values.Move() : slot.values[rapidjson::SizeType{0}].Move(),
            allocator_);
      }
      if (slot.any_shadow) {
        const std::string name = "_" + std::string(element.name);
        object.AddMember(
            Json(name.data(), static_cast<rapidjson::SizeType>(name.size()), allocator_),
            element.repeats ? slot.shadows.Move() : slot.shadows[rapidjson::SizeType{0}].Move(),
            allocator_);
      }
    }
    return true;
  }

  bool element(const xmlNode* node, const R4Type& type, std::vector<Slot>& slots, int depth) {
    const std::string_view name = xml::fromXmlChar(node->name);
    const R4Element* element = type.element(name);
    const std::string_view ns = hrefOf(node->ns);
    const std::string_view expected = element != nullptr && element->kind == Kind::kXhtml
                                          ? detail::kXhtmlNamespace
                                          : kFhirNamespace;
    if (ns != expected) {
      return fail(node, "<" + shown(node->name) + "> in " + path_ + " is not in the " +
                            (expected == kFhirNamespace ? "FHIR" : "XHTML") + " namespace " +
                            std::string(expected));
    }
    if (element == nullptr || element->attribute) {
      return fail(node, "<" + shown(node->name) + "> is not an R4 element of " + path_ +
                            (element != nullptr ? " (it is an attribute in FHIR XML)" : ""));
    }
    Slot* slot = nullptr;
    for (Slot& existing : slots) {
      slot = existing.element == element ? &existing : slot;
    }
    if (slot == nullptr) {
      slot = &slots.emplace_back();
      slot->element = element;
    }
    const rapidjson::SizeType index = slot->values.Size();
    const std::size_t path_size = path_.size();
    path_ += "." + std::string(name);
    if (element->repeats) {
      path_ += "[" + std::to_string(index) + "]";
    } else if (index > 0) {
      return fail(node, path_ + " appears twice (R4 allows one)");
    }
    const int inner = depth + (element->repeats ? 2 : 1);
    Json value;
    Json shadow;
    if (!occurrence(node, *element, value, shadow, inner)) {
      return false;
    }
    slot->any_value = slot->any_value || !value.IsNull();
    slot->any_shadow = slot->any_shadow || !shadow.IsNull();
    slot->values.PushBack(value, allocator_);
    slot->shadows.PushBack(shadow, allocator_);
    path_.resize(path_size);
    return true;
  }

  // One occurrence of `element`: its value, and for a primitive its shadow.
  bool occurrence(const xmlNode* node, const R4Element& element, Json& value, Json& shadow,
                  int depth) {
    // A primitive's value is no level of its own; its "_name" object is.
    if (depth > limits_.max_depth && element.kind != Kind::kPrimitive &&
        element.kind != Kind::kXhtml) {
      return tooDeep(node);
    }
    switch (element.kind) {
      case Kind::kPrimitive:
        return primitive(node, element, value, shadow, depth);
      case Kind::kComplex:
        value.SetObject();
        if (!attributes(node, *element.type, value, nullptr, nullptr) ||
            !children(node, *element.type, value, depth)) {
          return false;
        }
        return !value.ObjectEmpty() ||
               fail(node, path_ + " is empty (R4: elements are never empty)");
      case Kind::kResource:
        return contained(node, value, depth);
      case Kind::kXhtml:
        return narrative(node, value);
    }
    return false;
  }

  bool primitive(const xmlNode* node, const R4Element& element, Json& value, Json& shadow,
                 int depth) {
    shadow.SetObject();
    if (!attributes(node, detail::r4Model().element(), shadow, &value, &element) ||
        !children(node, detail::r4Model().element(), shadow, depth)) {
      return false;
    }
    if (shadow.ObjectEmpty()) {
      shadow.SetNull();
      if (value.IsNull()) {
        return fail(node, path_ + " has no value and no extension");
      }
    } else if (depth > limits_.max_depth) {
      return tooDeep(node);
    }
    return true;
  }

  bool tooDeep(const xmlNode* node) {
    return fail(node, "the FHIR resource nests deeper than " + std::to_string(limits_.max_depth));
  }

  // <contained>, <resource>, <outcome>: one resource's element inside.
  bool contained(const xmlNode* node, Json& value, int depth) {
    if (node->properties != nullptr) {
      return fail(node,
                  "attribute '" + attributeName(node->properties) + "' of " + path_ + " is not R4");
    }
    const xmlNode* inner = nullptr;
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      if (child->type == XML_ELEMENT_NODE) {
        if (inner != nullptr) {
          return fail(child, path_ + " holds more than one resource");
        }
        inner = child;
      } else if ((child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) &&
                 !isWhitespace(child->content)) {
        return fail(child, path_ + " holds text where a resource belongs");
      }
    }
    if (inner == nullptr) {
      return fail(node, path_ + " holds no resource");
    }
    return resource(inner, value, depth);
  }

  bool narrative(const xmlNode* node, Json& value) {
    std::string text;
    std::string error;
    if (!detail::writeNarrative(node, text, error)) {
      error_ = error + " (" + path_ + ")";
      return false;
    }
    value.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator_);
    return true;
  }

  Allocator& allocator_;
  const XmlLimits& limits_;
  std::string& error_;
  std::string path_;  // the FHIRPath of what is being read: Patient.contact[0].name
};

}  // namespace

std::optional<Resource> parseXml(std::string_view xml, std::string& error,
                                 const XmlLimits& limits) {
  if (xml.size() > limits.max_bytes) {
    error = "the FHIR resource is larger than " + std::to_string(limits.max_bytes) + " bytes";
    return std::nullopt;
  }
  const xml::ParsedXml parsed = xml::parseUntrusted(xml, limits.max_bytes);
  if (!parsed.doc) {
    error = parsed.had_doctype
                ? "a DOCTYPE is not accepted (FHIR XML has none)"
                : "not well-formed XML: " +
                      (parsed.errors.empty() ? std::string("no document") : parsed.errors.front());
    return std::nullopt;
  }
  auto document = std::make_shared<rapidjson::Document>();
  XmlReader reader(document->GetAllocator(), limits, error);
  if (!reader.resource(xmlDocGetRootElement(parsed.doc.get()), *document, 1)) {
    return std::nullopt;
  }
  return detail::ResourceAccess::adopt(std::move(document));
}

}  // namespace rtw::fhir
