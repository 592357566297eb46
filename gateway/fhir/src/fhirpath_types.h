#pragma once
// FHIR R4's type names as FHIRPath's type operators (is, as, ofType) and
// choice elements (value[x]) see them. The gateway has no
// StructureDefinitions: an element's type is known when it is a resource,
// when it was found through its choice suffix (valueQuantity is a
// Quantity), or when an expression computed it.

#include <string_view>

#include "fhirpath_eval.h"

namespace rtw::fhir::detail {

/// Whether `name` is an R4 choice element's name ("value" of value[x]).
bool isChoiceName(std::string_view name);
/// The FHIR type a choice element's suffix names ("Quantity" → "Quantity",
/// "DateTime" → "dateTime"), or "" when it names none.
std::string_view choiceSuffixType(std::string_view suffix);
/// Whether `name` (optionally "FHIR." or "System." qualified) is a type
/// this engine knows: a FHIR R4 data type, resource type or System type.
bool isKnownType(std::string_view name);
/// Whether the item is of that type or a type derived from it
/// (Age is a Quantity, code is a string, every resource is a Resource).
bool isOfType(const Item& item, std::string_view name, const JsonDocument& document);
/// Whether `name` is an R4 resource type.
bool isResourceType(std::string_view name);

}  // namespace rtw::fhir::detail
