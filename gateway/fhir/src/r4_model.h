#pragma once
// The R4 types and their elements, read once from r4_elements.cpp: what the
// XML reader and both writers look up for each element they meet.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace rtw::fhir::detail {

struct R4Type;

struct R4Element {
  enum class Kind : std::uint8_t { kPrimitive, kComplex, kResource, kXhtml };
  // The JSON shape of a primitive's value.
  enum class Value : std::uint8_t { kString, kBoolean, kInteger, kDecimal };

  std::string_view name;
  Kind kind = Kind::kPrimitive;
  Value value = Value::kString;  // kPrimitive
  const R4Type* type = nullptr;  // kComplex
  bool repeats = false;
  bool attribute = false;  // an element's id, an extension's url
  std::size_t order = 0;   // its place among its type's elements
};

struct R4Type {
  std::string_view name;
  bool resource = false;
  std::vector<R4Element> elements;  // in XML order

  /// The element called `element_name`, or null.
  const R4Element* element(std::string_view element_name) const;

 private:
  friend class R4Model;
  std::vector<const R4Element*> by_name_;
};

class R4Model {
 public:
  /// A resource type by name ("Patient"), or null (also for a datatype).
  const R4Type* resource(std::string_view type_name) const;
  /// Element: what a primitive's id and extensions are read as (the "_name"
  /// of FHIR JSON).
  const R4Type& element() const { return *element_; }
  std::size_t typeCount() const { return types_.size(); }
  const std::vector<R4Type>& types() const { return types_; }

 private:
  friend const R4Model& r4Model();
  R4Model();
  void readElements(std::string_view line, R4Type& type) const;
  const R4Type* type(std::string_view name) const;

  std::vector<R4Type> types_;  // sorted by name
  const R4Type* element_ = nullptr;
};

/// The one model, read on first use (thread-safe).
const R4Model& r4Model();

/// Whether `text` is a FHIR integer / decimal as JSON writes it
/// (-?(0|[1-9][0-9]*), with a fraction and an exponent for a decimal).
bool isJsonInteger(std::string_view text);
bool isJsonDecimal(std::string_view text);

}  // namespace rtw::fhir::detail
