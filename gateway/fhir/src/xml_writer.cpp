// A Resource as FHIR XML: the inverse of xml_reader.cpp. Each object's
// members are written in R4's order, a primitive and its "_name" as one
// element, and whatever the reader would refuse is refused here too, so that
// what toXml() writes parseXml() reads back.

#include <algorithm>
#include <vector>

#include <rapidjson/document.h>

#include "r4_model.h"
#include "resource_access.h"
#include "rtw/fhir/xml.h"
#include "rtw/xml/escape.h"
#include "rtw/xml/untrusted.h"
#include "xhtml.h"

namespace rtw::fhir {
namespace {

using detail::R4Element;
using detail::R4Type;
using Kind = R4Element::Kind;
using Json = rapidjson::Value;

constexpr std::string_view kFhirNamespace = "http://hl7.org/fhir";

std::string_view textOf(const Json& value) { return {value.GetString(), value.GetStringLength()}; }

// One element of an object: its member and, for a primitive, its "_name".
struct Entry {
  const R4Element* element = nullptr;
  const Json* value = nullptr;
  const Json* shadow = nullptr;
};

// A member's items: an array's elements, or the value alone.
std::vector<const Json*> itemsOf(const Json* value) {
  std::vector<const Json*> items;
  if (value == nullptr || value->IsNull()) {
    return items;
  }
  if (!value->IsArray()) {
    items.push_back(value);
    return items;
  }
  for (const Json& item : value->GetArray()) {
    items.push_back(&item);
  }
  return items;
}

class XmlWriter {
 public:
  explicit XmlWriter(std::string& error) : error_(error) {}

  std::string& out() { return out_; }

  // `object` as the element `tag` of `type`; `value`, when not null, is a
  // primitive's value attribute. Only a resource may be empty.
  bool object(std::string_view tag, const Json* object, const R4Type& type, const Json* value,
              const R4Element* primitive, int depth) {
    std::vector<Entry> entries;
    if (object != nullptr && !entriesOf(*object, type, entries)) {
      return false;
    }
    out_ += '<';
    out_ += tag;
    if (depth == 1) {
      out_ += " xmlns=\"";
      out_ += kFhirNamespace;
      out_ += '"';
    }
    bool attributes = false;
    for (const Entry& entry : entries) {
      if (entry.element->attribute) {
        if (!attribute(entry.element->name, *entry.value)) {
          return false;
        }
        attributes = true;
      }
    }
    if (value != nullptr) {
      if (!valueAttribute(*value, *primitive)) {
        return false;
      }
      attributes = true;
    }
    const std::size_t open = out_.size();
    out_ += '>';
    for (const Entry& entry : entries) {
      if (!entry.element->attribute && !element(entry, depth)) {
        return false;
      }
    }
    if (out_.size() > open + 1) {
      out_ += "</";
      out_ += tag;
      out_ += '>';
      return true;
    }
    if (!attributes && !type.resource) {
      return fail("has nothing in it (R4: elements are never empty)");
    }
    out_.replace(open, 1, "/>");
    return true;
  }

  bool resource(const Json& object, int depth) {
    const R4Type* r4 = nullptr;
    if (object.IsObject()) {  // MemberEnd() of anything else reads past it
      const auto type = object.FindMember("resourceType");
      if (type != object.MemberEnd() && type->value.IsString()) {
        r4 = detail::r4Model().resource(textOf(type->value));
      }
    }
    if (r4 == nullptr) {
      if (path_.empty()) {
        error_ = "the resourceType is not an R4 resource type";
        return false;
      }
      return fail("is not a resource of an R4 type");
    }
    if (path_.empty()) {
      path_ = r4->name;
    }
    return this->object(r4->name, &object, *r4, nullptr, nullptr, depth);
  }

 private:
  bool fail(const std::string& what) {
    error_ = path_ + " " + what;
    return false;
  }

  bool entriesOf(const Json& object, const R4Type& type, std::vector<Entry>& entries) {
    if (!object.IsObject()) {
      return fail("is not an object");
    }
    for (const auto& member : object.GetObject()) {
      const std::string_view name = textOf(member.name);
      if (member.value.IsNull() || (type.resource && name == "resourceType")) {
        continue;  // null: absent
      }
      const bool shadow = !name.empty() && name.front() == '_';
      const R4Element* element = type.element(shadow ? name.substr(1) : name);
      // A "_name" goes with a primitive element, never with an attribute (id, url).
      if (element == nullptr ||
          (shadow && (element->kind != Kind::kPrimitive || element->attribute))) {
        return fail("has '" + std::string(name) + "', which R4 does not define there");
      }
      auto found = std::find_if(entries.begin(), entries.end(),
                                [&](const Entry& entry) { return entry.element == element; });
      if (found == entries.end()) {
        found = entries.insert(entries.end(), Entry{element});
      }
      const Json*& slot = shadow ? found->shadow : found->value;
      if (slot != nullptr) {
        return fail("has '" + std::string(name) + "' twice");
      }
      slot = &member.value;
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.element->order < b.element->order; });
    return true;
  }

  bool attribute(std::string_view name, const Json& value) {
    if (!value.IsString()) {
      return fail("has a '" + std::string(name) + "' that is not a string");
    }
    if (!checkText(textOf(value), name)) {
      return false;
    }
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    xml::appendEscaped(out_, textOf(value), true);
    out_ += '"';
    return true;
  }

  bool valueAttribute(const Json& value, const R4Element& element) {
    std::string_view text;
    if (value.IsBool()) {
      text = value.GetBool() ? "true" : "false";
    } else if (value.IsString()) {
      text = textOf(value);
    }
    const bool typed =
        (value.IsBool() && element.value == R4Element::Value::kBoolean) ||
        (value.IsString() &&
         (element.value == R4Element::Value::kString ||
          (element.value == R4Element::Value::kBoolean && (text == "true" || text == "false")) ||
          (element.value == R4Element::Value::kInteger && detail::isJsonInteger(text)) ||
          (element.value == R4Element::Value::kDecimal && detail::isJsonDecimal(text))));
    if (!typed) {
      return fail("is not a value of its R4 type");
    }
    if (!checkText(text, "value")) {
      return false;
    }
    out_ += " value=\"";
    xml::appendEscaped(out_, text, true);
    out_ += '"';
    return true;
  }

  bool checkText(std::string_view text, std::string_view what) {
    if (text.empty()) {
      return fail("has an empty " + std::string(what) + " (R4: attributes are never empty)");
    }
    if (!xml::isXmlText(text)) {
      return fail("has a " + std::string(what) + " with a character XML 1.0 cannot carry");
    }
    return true;
  }

  bool element(const Entry& entry, int depth) {
    const R4Element& element = *entry.element;
    const std::vector<const Json*> values = itemsOf(entry.value);
    const std::vector<const Json*> shadows = itemsOf(entry.shadow);
    const std::size_t count = std::max(values.size(), shadows.size());
    const std::size_t path_size = path_.size();
    path_ += "." + std::string(element.name);
    if (!element.repeats && count > 1) {
      return fail("has several values (R4 allows one)");
    }
    const int inner = depth + (element.repeats ? 2 : 1);
    std::size_t written = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const Json* value = i < values.size() && !values[i]->IsNull() ? values[i] : nullptr;
      const Json* shadow = i < shadows.size() && !shadows[i]->IsNull() ? shadows[i] : nullptr;
      if (value == nullptr && shadow == nullptr) {
        continue;  // null in both arrays: no item
      }
      path_.resize(path_size + 1 + element.name.size());
      if (element.repeats) {
        path_ += "[" + std::to_string(written) + "]";
      }
      ++written;
      if (!item(element, value, shadow, inner)) {
        return false;
      }
    }
    path_.resize(path_size);
    return true;
  }

  bool item(const R4Element& element, const Json* value, const Json* shadow, int depth) {
    const bool nested = element.kind == Kind::kComplex || element.kind == Kind::kResource ||
                        (element.kind == Kind::kPrimitive && shadow != nullptr);
    if (nested && depth > kMaxJsonDepth) {
      return fail("nests deeper than " + std::to_string(kMaxJsonDepth));
    }
    switch (element.kind) {
      case Kind::kPrimitive:
        if (value != nullptr && (value->IsObject() || value->IsArray())) {
          return fail("is an object or an array where R4 has a value");
        }
        return object(element.name, shadow, detail::r4Model().element(), value, &element, depth);
      case Kind::kComplex:
        if (value == nullptr) {
          return fail("has a '_' member, but R4 has no value there");
        }
        return object(element.name, value, *element.type, nullptr, nullptr, depth);
      case Kind::kResource:
        if (value == nullptr) {
          return fail("has a '_' member, but R4 has a resource there");
        }
        out_ += "<" + std::string(element.name) + ">";
        if (!resource(*value, depth)) {
          return false;
        }
        out_ += "</" + std::string(element.name) + ">";
        return true;
      case Kind::kXhtml:
        return narrative(value);
    }
    return false;
  }

  bool narrative(const Json* value) {
    if (value == nullptr || !value->IsString()) {
      return fail("is not a string of XHTML");
    }
    std::string error;
    if (!detail::writeNarrativeText(textOf(*value), out_, error)) {
      return fail("is not an XHTML div: " + error);
    }
    return true;
  }

  std::string out_;
  std::string& error_;
  std::string path_;  // the FHIRPath of what is being written
};

}  // namespace

std::optional<std::string> toXml(const Resource& resource, std::string& error) {
  XmlWriter writer(error);
  if (!writer.resource(detail::ResourceAccess::json(resource), 1)) {
    return std::nullopt;
  }
  return std::move(writer.out());
}

}  // namespace rtw::fhir
