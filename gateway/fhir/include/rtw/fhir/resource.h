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
#include <functional>
#include <map>
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

/// The values of the FHIRPath environment variables the gateway sets per
/// translation rather than once for all (the partner's board:
/// %claimNumberSystem, kGatewayVariables in naming_systems.h), by name
/// without '%'.
using Variables = std::map<std::string, std::vector<std::string>, std::less<>>;

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

  /// The same resource (sharing the parsed text), its paths reading
  /// `variables` for the gateway's variables; without them such a variable
  /// is empty. A Bundle's entries() keep them.
  Resource withVariables(std::shared_ptr<const Variables> variables) const;

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
  explicit Resource(std::shared_ptr<const Node> node,
                    std::shared_ptr<const Variables> variables = {})
      : node_(std::move(node)), variables_(std::move(variables)) {}
  std::shared_ptr<const Node> node_;
  std::shared_ptr<const Variables> variables_;  // nullptr: none set
};

/// Whether a partner has a mapping for a resource type.
using MappedType = std::function<bool(std::string_view resource_type)>;

/// What a mapping translates: the resource itself; of a `document` Bundle
/// its Composition, the first entry (FHIR's document is the Composition; the
/// other entries are what it references, read through resolve()); of
/// another Bundle each entry or, given `mapped`, each entry of a type the
/// partner maps (a transaction's Patient and Coverage are read through the
/// ServiceRequest's references). Empty, with `error` saying why, when a
/// Bundle has no such entry or a document Bundle does not start with a
/// Composition.
std::vector<Resource> translationUnits(const Resource& resource, std::string& error,
                                       const MappedType& mapped = {});

/// Empty when `path` is FHIRPath this engine runs, else what is wrong and
/// where ("... (at character 12)").
/// `allow_every` accepts the one "[*]" of a repeat's "each".
std::string checkPath(std::string_view path, bool allow_every = false);
/// The resource type a valid path starts with ("ServiceRequest"), or "".
std::string pathResourceType(std::string_view path);

}  // namespace rtw::fhir
