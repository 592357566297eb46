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

  struct Appended {
    Node* node = nullptr;   // nullptr when refused, with the reason in `problem`
    std::size_t index = 0;  // 1-based among its element's instances (the refused one's too)
    std::string problem;
  };
  /// The next instance of `model.children[rank]` under `parent` (whose
  /// element is `model`), kept in schema order; refused when the schema
  /// allows no further instance of it.
  static Appended appendChild(Node& parent, const Element& model, std::size_t rank,
                              const std::string& schema_name);
};

}  // namespace rtw::worksafe::detail
