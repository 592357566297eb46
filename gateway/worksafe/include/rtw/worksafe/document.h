#pragma once
// A WorkSafe document (Referral, Report, Invoice, TrainingReport) as a tree of
// elements whose shape and order come from the document's XSD in
// mappings/worksafe/. Fields are set by path; the writer emits them in
// schema order, so a document that was built field by field serialises the
// same way every time.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtw::worksafe {

enum class DocumentType { kReferral, kReport, kInvoice, kTrainingReport };

/// "referral", "report", "invoice", "training-report": the board's URL
/// segment (spec §4) and our config name.
std::string_view toString(DocumentType type);
std::optional<DocumentType> documentTypeFromName(std::string_view name);

/// One problem found in a document, with the path of the field.
struct Problem {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  std::string path;     // e.g. "worker/healthNumber/value", "injury[2]/side"
  std::string message;  // must not contain PHI (no values of the document)
  // The rule that found it, stable across releases: "SCHEMA" for the XSD,
  // "BC_PHN_CHECK", "MONEY_TOTAL", ... for board rules (rtw/worksafe/rules.h).
  std::string code = {};
};
std::string format(const Problem& problem);  // "ERROR worker/family: ..."

class SchemaModel;  // see schema.h
namespace detail {
struct DocumentBuilder;  // SchemaSet::read builds the tree straight from parsed XML
}

/// An element tree being built for one document.
class Document {
 public:
  Document(DocumentType type, std::shared_ptr<const SchemaModel> schema);

  DocumentType type() const { return type_; }

  /// Sets a leaf value. Path: element names from the root's child separated
  /// by '/', with a 1-based index on repeating elements ("injury[2]/side";
  /// no index means 1). Returns a problem when the path is not in the schema
  /// or names an element that has children.
  std::optional<Problem> set(std::string_view path, std::string value);

  /// The value at a path, if set.
  std::optional<std::string> get(std::string_view path) const;

  /// How many instances of a repeating element exist under a path ("injury").
  std::size_t count(std::string_view path) const;

  /// The document as XML in schema order, UTF-8, with the document's namespace.
  std::string toXml() const;

  struct Node {
    std::string name;
    std::string value;
    std::vector<Node> children;  // kept in schema order by set()
    std::size_t rank = 0;        // the element's place among its parent's in the schema
  };
  const Node& root() const { return root_; }

 private:
  friend struct detail::DocumentBuilder;

  DocumentType type_;
  std::shared_ptr<const SchemaModel> schema_;
  Node root_;
};

}  // namespace rtw::worksafe
