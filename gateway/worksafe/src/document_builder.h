#pragma once
// Building a Document's tree element by element, as a reader walking parsed
// XML in document order meets them (SchemaSet::read): the checks of
// Document::set without a path to parse and walk for every leaf.

#include <string>

#include "rtw/worksafe/document.h"
#include "rtw/worksafe/schema.h"

namespace rtw::worksafe::detail {

struct DocumentBuilder {
  using Node = Document::Node;
  using Element = SchemaModel::Element;

  static Node& root(Document& document) { return document.root_; }

  /// The next instance of `model.children[rank]` under `parent` (whose
  /// element is `model`), kept in schema order; nullptr with `problem` set
  /// when the schema allows no further instance of it.
  static Node* appendChild(Node& parent, const Element& model, std::size_t rank,
                           const std::string& schema_name, std::string& problem);
};

}  // namespace rtw::worksafe::detail
