// A Resource as FHIR JSON. Both readers keep numbers as their text, so which
// strings are numbers comes from R4: an integer or decimal element whose
// text is a JSON number is written as one.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "r4_model.h"
#include "resource_access.h"
#include "rtw/fhir/json.h"

namespace rtw::fhir {
namespace {

using detail::R4Element;
using detail::R4Type;
using Kind = R4Element::Kind;
using Json = rapidjson::Value;

class JsonWriter {
 public:
  explicit JsonWriter(rapidjson::Writer<rapidjson::StringBuffer>& out) : out_(out) {
    shadow_.kind = Kind::kComplex;
    shadow_.type = &detail::r4Model().element();
  }

  void resource(const Json& object) {
    const auto type = object.FindMember("resourceType");
    const R4Type* r4 =
        type != object.MemberEnd() && type->value.IsString()
            ? detail::r4Model().resource({type->value.GetString(), type->value.GetStringLength()})
            : nullptr;
    members(object, r4);
  }

 private:
  void members(const Json& object, const R4Type* type) {
    out_.StartObject();
    for (const auto& member : object.GetObject()) {
      const std::string_view name(member.name.GetString(), member.name.GetStringLength());
      out_.Key(member.name.GetString(), member.name.GetStringLength());
      value(member.value, elementOf(type, name));
    }
    out_.EndObject();
  }

  // What R4 says member `name` of `type` is; null when it does not say.
  const R4Element* elementOf(const R4Type* type, std::string_view name) const {
    if (type == nullptr) {
      return nullptr;
    }
    if (!name.empty() && name.front() == '_') {
      const R4Element* base = type->element(name.substr(1));
      return base != nullptr && base->kind == Kind::kPrimitive ? &shadow_ : nullptr;
    }
    return type->element(name);
  }

  void value(const Json& value, const R4Element* element) {
    if (element == nullptr) {
      value.Accept(out_);
      return;
    }
    if (value.IsArray()) {
      out_.StartArray();
      for (const Json& item : value.GetArray()) {
        this->value(item, element);
      }
      out_.EndArray();
      return;
    }
    if (value.IsObject()) {
      if (element->kind == Kind::kResource) {
        resource(value);
      } else {
        members(value, element->kind == Kind::kComplex ? element->type : nullptr);
      }
      return;
    }
    if (value.IsString() && isNumber(value, *element)) {
      out_.RawValue(value.GetString(), value.GetStringLength(), rapidjson::kNumberType);
      return;
    }
    value.Accept(out_);
  }

  static bool isNumber(const Json& text, const R4Element& element) {
    const std::string_view number(text.GetString(), text.GetStringLength());
    return element.kind == Kind::kPrimitive &&
           ((element.value == R4Element::Value::kInteger && detail::isJsonInteger(number)) ||
            (element.value == R4Element::Value::kDecimal && detail::isJsonDecimal(number)));
  }

  rapidjson::Writer<rapidjson::StringBuffer>& out_;
  R4Element shadow_;  // what a "_name" member is: an Element (id, extension)
};

}  // namespace

std::string toJson(const Resource& resource) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  JsonWriter(writer).resource(detail::ResourceAccess::json(resource));
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace rtw::fhir
