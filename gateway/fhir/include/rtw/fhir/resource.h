#pragma once
// A FHIR R4 resource read from untrusted JSON, and the FHIRPath that
// mappings and plugins read it with (mappings/README.md, "FHIRPath"):
// paths from the resource type, indexers, comparisons and boolean
// operators, where()/select()/exists(), ofType() and choice elements,
// extension('url'), resolve() within the Bundle and to contained
// resources, text functions, and the Canadian identifier systems as
// %bcPhnSystems / %onHcnSystems (rtw/fhir/naming_systems.h). Immutable once
// read: copies share the parsed text and may be read from any number of
// threads.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtw::fhir {

namespace detail {
struct ResourceAccess;  // src/resource_access.h: the XML reader and the writers
}  // namespace detail

/// Limits checked before anything is parsed (RapidJSON's DOM parser
/// recurses once per level).
inline constexpr std::size_t kMaxJsonBytes = std::size_t{8} * 1024 * 1024;
inline constexpr int kMaxJsonDepth = 64;

/// What an expression selects, as text, or the error that stopped it (a
/// syntax error, or at run time e.g. '<' between collections of several
/// items; the message names the place in the expression, never a value).
struct PathResult {
  std::vector<std::string> values;
  std::string error;
};

class Resource {
 public:
  /// The resource a JSON text holds (a Bundle is one resource too). Nothing,
  /// with `error` set, when the text is too large, nests too deep, does not
  /// parse or is not an object with a string resourceType. Numbers keep
  /// their text ("100.00" stays "100.00").
  static std::optional<Resource> parseJson(std::string_view json, std::string& error);

  std::string resourceType() const;
  std::string id() const;
  bool isBundle() const { return resourceType() == "Bundle"; }
  /// A Bundle's entry[].resource, in order (entries without a resource, or
  /// whose resource has no resourceType, are left out); empty otherwise.
  std::vector<Resource> entries() const;

  /// Every item `path` selects, as text (objects as ""), or the error. A
  /// path names its resource type first ("ServiceRequest.subject.reference");
  /// another type selects nothing. resolve() looks in the Bundle this
  /// resource is an entry of.
  PathResult evaluate(std::string_view path) const;
  /// The first item `path` selects, as text ("" when none, on an error, or
  /// when the item is an object).
  std::string first(std::string_view path) const;
  /// Every item `path` selects, as text (none on an error).
  std::vector<std::string> select(std::string_view path) const;
  /// How many items a path with one "[*]" selects up to that step
  /// ("Claim.item[*]"): the size of a mapping repeat (0 on an error).
  std::size_t count(std::string_view each) const;
  /// The same, with the error that stopped the evaluation (0 items then).
  std::size_t count(std::string_view each, std::string& error) const;

 private:
  friend struct detail::ResourceAccess;
  struct Node;
  explicit Resource(std::shared_ptr<const Node> node) : node_(std::move(node)) {}
  std::shared_ptr<const Node> node_;
};

/// What a mapping translates: the resource itself, or each entry of a
/// Bundle (an error when the Bundle has none).
std::vector<Resource> translationUnits(const Resource& resource, std::string& error);

/// Empty when `path` is FHIRPath this engine runs, else what is wrong and
/// where ("... (at character 12)").
/// `allow_every` accepts the one "[*]" of a repeat's "each".
std::string checkPath(std::string_view path, bool allow_every = false);
/// The resource type a valid path starts with ("ServiceRequest"), or "".
std::string pathResourceType(std::string_view path);

}  // namespace rtw::fhir
