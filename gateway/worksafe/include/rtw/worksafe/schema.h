#pragma once
// The WorkSafe XSDs, loaded once: compiled for validation (libxml2) and read
// into a SchemaModel (element names, order, cardinality) that drives the
// Document builder and writer. The XSD is the one source of truth for a
// document's shape.

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/worksafe/document.h"

namespace rtw::xml {
struct ParsedXml;  // rtw/xml/untrusted.h
}  // namespace rtw::xml

namespace rtw::worksafe {

/// The largest document validate(), detectType() and read() accept (8 MiB).
inline constexpr std::size_t kMaxDocumentBytes = std::size_t{8} * 1024 * 1024;

/// The shape of one document type as the XSD declares it.
class SchemaModel {
 public:
  struct Element {
    std::string name;
    int min_occurs = 1;
    int max_occurs = 1;             // -1 for unbounded
    std::vector<Element> children;  // empty for a simple-typed leaf
    // Leaves only: the XSD built-in type the value restricts ("date",
    // "decimal", "string", ...) and its enumeration, if it has one.
    std::string value_type = {};
    std::vector<std::string> enumeration = {};
  };

  DocumentType type;
  std::string namespace_uri;  // e.g. "urn:rtw:worksafe:referral:v1"
  std::string root_name;      // e.g. "Referral"
  Element root;
};

namespace detail {
using ParsedXml = xml::ParsedXml;
}

/// XML text parsed once under validate()'s rules (no DTD, no entities, the
/// size cap), so that validating, recognising and reading it do not parse
/// it again. Move-only; holds the parsed tree or why it did not parse.
class ParsedDocument {
 public:
  explicit ParsedDocument(std::string_view xml);
  ~ParsedDocument();
  ParsedDocument(ParsedDocument&&) noexcept;
  ParsedDocument& operator=(ParsedDocument&&) noexcept;

  bool parsed() const;
  /// Why it did not parse, one line each (never the document's text).
  const std::vector<std::string>& errors() const;
  const detail::ParsedXml& xml() const { return *xml_; }

 private:
  std::unique_ptr<detail::ParsedXml> xml_;
};

/// All document XSDs of one directory (mappings/worksafe/), compiled once.
/// validate() is safe to call from several threads at once.
class SchemaSet {
 public:
  /// Loads <dir>/referral-v1.xsd (and the other document XSDs present).
  /// Throws std::runtime_error naming the file on a missing or broken XSD.
  static std::shared_ptr<const SchemaSet> load(const std::filesystem::path& dir);

  ~SchemaSet();
  SchemaSet(const SchemaSet&) = delete;
  SchemaSet& operator=(const SchemaSet&) = delete;

  std::shared_ptr<const SchemaModel> model(DocumentType type) const;
  bool has(DocumentType type) const;

  /// A new empty document of a type.
  Document newDocument(DocumentType type) const;

  /// Validates XML against the XSD of its type; every problem, with the path
  /// of the element. Rejects DOCTYPEs and never loads external entities.
  std::vector<Problem> validate(DocumentType type, std::string_view xml) const;
  std::vector<Problem> validate(DocumentType type, const ParsedDocument& parsed) const;

  /// The type of a document from its root element's namespace, if known.
  std::optional<DocumentType> detectType(std::string_view xml) const;
  std::optional<DocumentType> detectType(const ParsedDocument& parsed) const;

  /// Reads XML of a known type back into a Document (for the board
  /// simulator and the reverse direction). Throws on XML that does not parse.
  Document read(std::string_view xml) const;
  Document read(const ParsedDocument& parsed) const;

 private:
  SchemaSet() = default;
  struct Compiled;
  const Compiled* find(DocumentType type) const;
  std::optional<DocumentType> typeForNamespace(std::string_view namespace_uri) const;

  std::map<DocumentType, std::unique_ptr<Compiled>> compiled_;
};

}  // namespace rtw::worksafe
