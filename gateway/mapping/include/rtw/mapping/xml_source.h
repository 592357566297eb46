#pragma once
// An XML document as a mapping Source for "xpath" rules (libxml2 XPath 1.0).
// For the XML intakes to come (FHIR XML, PESC transcripts, college exports);
// the translate worker reads journal rows of format "xml" with it
// (pipeline/payload.h). Repeats over XML ("each") are not supported yet:
// count() is 0.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/mapping/evaluate.h"

namespace rtw::mapping {

class XmlSource final : public Source {
 public:
  /// Parses untrusted XML: no DTD, no entities, no network, at most 8 MiB.
  /// Nothing, with `error` set, when it does not parse or has a DOCTYPE.
  static std::unique_ptr<XmlSource> parse(std::string_view xml, std::string& error);
  ~XmlSource() override;
  XmlSource(const XmlSource&) = delete;
  XmlSource& operator=(const XmlSource&) = delete;

  bool serves(SourceKind kind) const override { return kind == SourceKind::kXPath; }
  /// string(path): the text of the first node selected, or "".
  std::string get(std::string_view path) const override;
  std::size_t count(std::string_view) const override { return 0; }
  /// The text of every node `path` selects, in document order (a path that
  /// gives a string, number or boolean: that one value).
  std::vector<std::string> getAll(std::string_view path) const;
  /// The root element's local name.
  std::string rootName() const;

 private:
  struct Document;
  explicit XmlSource(std::unique_ptr<Document> document);
  std::unique_ptr<Document> document_;
};

/// True when `path` is an XPath 1.0 expression libxml2 compiles.
bool isValidXPath(std::string_view path);

}  // namespace rtw::mapping
