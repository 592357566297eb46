#pragma once
// The FHIRPath subset mappings use (mappings/README.md, "FHIR sources"):
// a path from the resource root ("ServiceRequest.subject.reference"),
// member steps that flatten arrays as FHIRPath does, indexers "[n]" (from 0),
// first(), last(), count(), exists() and where(field = 'literal' and ...).
// Anything else (resolve(), ofType(), operators outside where) is a syntax
// error at load, so a mapping never meets an expression it cannot run.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtw::fhir::detail {

struct FhirStep {
  enum class Kind { kMember, kIndex, kEvery, kFirst, kLast, kCount, kExists, kWhere };
  Kind kind = Kind::kMember;
  std::string name;       // kMember
  std::size_t index = 0;  // kIndex
  // kWhere: every (relative member path, literal) pair must hold ("and").
  std::vector<std::pair<std::vector<std::string>, std::string>> tests;
};

struct FhirPath {
  std::string resource_type;  // the first step: "ServiceRequest"
  std::vector<FhirStep> steps;
  /// The position of the "[*]" step of a repeat's "each", or nullopt.
  std::optional<std::size_t> every() const;
};

/// Parses `text`; nothing, with `error` saying what and where, when it is
/// not in the subset. `allow_every` accepts one "[*]" (a repeat's "each").
std::optional<FhirPath> parseFhirPath(std::string_view text, std::string& error,
                                      bool allow_every = false);

}  // namespace rtw::fhir::detail
