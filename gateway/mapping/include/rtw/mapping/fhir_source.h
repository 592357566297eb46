#pragma once
// A FHIR R4 resource (JSON) as a mapping Source for "fhirpath" rules. The
// paths are the FHIRPath subset of mappings/README.md; resolve() is not in
// it: references are read as written (subject.reference), contained
// resources through "contained.where(...)".

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/mapping/evaluate.h"

namespace rtw::mapping {

class FhirSource final : public Source {
 public:
  /// Parses untrusted JSON (at most 8 MiB, nested at most 64 deep, checked
  /// before parsing). A resource gives one source; a Bundle one per
  /// entry.resource, in order. Nothing, with `error` set, when it is not a
  /// FHIR resource.
  static std::vector<std::unique_ptr<FhirSource>> parse(std::string_view json, std::string& error);
  ~FhirSource() override;
  FhirSource(const FhirSource&) = delete;
  FhirSource& operator=(const FhirSource&) = delete;

  std::string resourceType() const;
  std::string id() const;

  bool serves(SourceKind kind) const override { return kind == SourceKind::kFhirPath; }
  /// The first item of the collection `path` selects, as text; "" when empty.
  std::string get(std::string_view path) const override;
  /// The size of the collection `each` ("Claim.item[*]") selects.
  std::size_t count(std::string_view each) const override;
  /// Every item `path` selects, as text (for tests and traces).
  std::vector<std::string> getAll(std::string_view path) const;

 private:
  struct Resource;
  explicit FhirSource(std::unique_ptr<Resource> resource);
  std::unique_ptr<Resource> resource_;
};

/// Empty when `path` is in the FHIRPath subset, else what is wrong.
/// `allow_every` accepts the one "[*]" of a repeat's "each".
std::string checkFhirPath(std::string_view path, bool allow_every = false);
/// The resource type a valid path starts with ("ServiceRequest").
std::string fhirPathResourceType(std::string_view path);

}  // namespace rtw::mapping
