#include "rtw/worksafe/document.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "document_builder.h"
#include "element_path.h"
#include "rtw/worksafe/schema.h"
#include "rtw/xml/escape.h"
#include "untrusted_xml.h"

namespace rtw::worksafe {

using xml::appendEscaped;
namespace {

using Element = SchemaModel::Element;
using Node = Document::Node;
using detail::PathStep;

// An unbounded element still gets a ceiling, so that one bad index in a
// mapping ("line[4000000000]") cannot make the gateway allocate millions of
// nodes.
constexpr std::size_t kMaxRepeatIndex = 10000;

Problem errorAt(std::string_view path, std::string message) {
  return Problem{Problem::Severity::kError, std::string(path), std::move(message)};
}

std::size_t rankOf(const Element& parent, std::string_view name) {
  const auto found = std::find_if(parent.children.begin(), parent.children.end(),
                                  [&](const Element& child) { return child.name == name; });
  return static_cast<std::size_t>(found - parent.children.begin());
}

const Element* findChild(const Element& parent, std::string_view name) {
  const std::size_t rank = rankOf(parent, name);
  return rank < parent.children.size() ? &parent.children[rank] : nullptr;
}

// Children are kept sorted by their element's rank in the schema, and
// repeats of one element are adjacent: [first, last) is that run.
struct Run {
  std::size_t first = 0;
  std::size_t last = 0;
};

Run runOf(const Node& parent, std::size_t rank) {
  const auto& children = parent.children;
  const auto first = std::partition_point(children.begin(), children.end(),
                                          [&](const Node& child) { return child.rank < rank; });
  const auto last = std::partition_point(first, children.end(),
                                         [&](const Node& child) { return child.rank == rank; });
  return Run{static_cast<std::size_t>(first - children.begin()),
             static_cast<std::size_t>(last - children.begin())};
}

// The index-th instance of a child, creating it and any missing earlier
// repeats ("injury[2]" before "injury[1]" creates both).
Node& ensureChild(Node& parent, const Element& parent_model, std::size_t rank, std::size_t index) {
  const Run run = runOf(parent, rank);
  const std::size_t have = run.last - run.first;
  if (have < index) {
    Node fresh;
    fresh.name = parent_model.children[rank].name;
    fresh.rank = rank;
    parent.children.insert(parent.children.begin() + static_cast<std::ptrdiff_t>(run.last),
                           index - have, fresh);
  }
  return parent.children[run.first + index - 1];
}

const Node* findInstance(const Node& parent, std::size_t rank, std::size_t index) {
  const Run run = runOf(parent, rank);
  return index <= run.last - run.first ? &parent.children[run.first + index - 1] : nullptr;
}

// The node at the end of `steps` and its model, or nullptr when it was not set.
std::pair<const Node*, const Element*> findNode(const Node& root, const Element& root_model,
                                                const std::vector<PathStep>& steps) {
  const Node* node = &root;
  const Element* model = &root_model;
  for (const PathStep& step : steps) {
    const std::size_t rank = rankOf(*model, step.name);
    if (rank == model->children.size()) {
      return {nullptr, nullptr};
    }
    node = findInstance(*node, rank, step.index);
    if (node == nullptr) {
      return {nullptr, nullptr};
    }
    model = &model->children[rank];
  }
  return {node, model};
}

std::optional<std::string> occurrenceProblem(const Element& element, std::size_t index,
                                             std::string_view schema) {
  if (element.max_occurs < 0 && index > kMaxRepeatIndex) {
    return "index " + std::to_string(index) + " of '" + element.name +
           "' is beyond the gateway's limit of " + std::to_string(kMaxRepeatIndex);
  }
  if (element.max_occurs >= 0 && index > static_cast<std::size_t>(element.max_occurs)) {
    const std::string times = element.max_occurs == 1
                                  ? "once"
                                  : "at most " + std::to_string(element.max_occurs) + " times";
    return "'" + element.name + "' occurs " + times + " in the " + std::string(schema) +
           " schema; index " + std::to_string(index) + " is out of range";
  }
  return std::nullopt;
}

// One element and what it holds, indented two spaces a level. The model,
// not the node, says whether an element holds a value: an instance created
// only as an earlier repeat ("injury[1]" when only "injury[2]/side" was
// set) is an empty container, not an empty value.
void appendElement(std::string& out, const Node& node, const Element& model, std::size_t depth,
                   const std::string& attributes) {
  out.append(2 * depth, ' ');
  out += '<';
  out += node.name;
  out += attributes;
  if (model.children.empty()) {
    out += '>';
    appendEscaped(out, node.value);
  } else if (node.children.empty()) {
    out += "/>\n";
    return;
  } else {
    out += ">\n";
    for (const Node& child : node.children) {
      appendElement(out, child, model.children[child.rank], depth + 1, {});
    }
    out.append(2 * depth, ' ');
  }
  out += "</";
  out += node.name;
  out += ">\n";
}

}  // namespace

namespace detail {

DocumentBuilder::Appended DocumentBuilder::appendChild(Node& parent, const Element& model,
                                                       std::size_t rank,
                                                       const std::string& schema_name) {
  const Run run = runOf(parent, rank);
  Appended appended;
  appended.index = run.last - run.first + 1;
  if (auto occurrence = occurrenceProblem(model.children[rank], appended.index, schema_name)) {
    appended.problem = std::move(*occurrence);
    return appended;
  }
  appended.node = &ensureChild(parent, model, rank, appended.index);
  return appended;
}

}  // namespace detail

std::string_view toString(DocumentType type) {
  switch (type) {
    case DocumentType::kReferral:
      return "referral";
    case DocumentType::kReport:
      return "report";
    case DocumentType::kInvoice:
      return "invoice";
    case DocumentType::kTrainingReport:
      return "training-report";
  }
  return "unknown";
}

std::optional<DocumentType> documentTypeFromName(std::string_view name) {
  for (DocumentType type : {DocumentType::kReferral, DocumentType::kReport, DocumentType::kInvoice,
                            DocumentType::kTrainingReport}) {
    if (toString(type) == name) {
      return type;
    }
  }
  return std::nullopt;
}

std::string format(const Problem& problem) {
  std::string text = problem.severity == Problem::Severity::kError ? "ERROR" : "WARNING";
  if (!problem.path.empty()) {
    text += " " + problem.path;
  }
  return text + ": " + problem.message;
}

Document::Document(DocumentType type, std::shared_ptr<const SchemaModel> schema)
    : type_(type), schema_(std::move(schema)) {
  if (!schema_ || schema_->type != type_) {
    throw std::invalid_argument("Document needs the schema model of its own type");
  }
  root_.name = schema_->root_name;
}

std::optional<Problem> Document::set(std::string_view path, std::string value) {
  const auto steps = detail::parseElementPath(path);
  if (!steps) {
    return errorAt(path, "malformed path; expected names like 'worker/family' or 'injury[2]/side'");
  }
  // Check the whole path before creating anything, so a rejected set leaves
  // the document as it was.
  const Element* model = &schema_->root;
  for (const PathStep& step : *steps) {
    const Element* child = findChild(*model, step.name);
    if (child == nullptr) {
      return errorAt(path, "no element '" + std::string(step.name) + "' under '" + model->name +
                               "' in the " + schema_->root_name + " schema");
    }
    if (auto problem = occurrenceProblem(*child, step.index, schema_->root_name)) {
      return errorAt(path, std::move(*problem));
    }
    model = child;
  }
  if (!model->children.empty()) {
    return errorAt(path,
                   "'" + model->name +
                       "' has child elements and no value of its own; set one of them, e.g. '" +
                       std::string(path) + "/" + model->children.front().name + "'");
  }
  if (!detail::isXmlText(value)) {
    return errorAt(
        path, "the value is not UTF-8 text that XML allows (invalid bytes or control characters)");
  }
  Node* node = &root_;
  model = &schema_->root;
  for (const PathStep& step : *steps) {
    const std::size_t rank = rankOf(*model, step.name);
    node = &ensureChild(*node, *model, rank, step.index);
    model = &model->children[rank];
  }
  node->value = std::move(value);
  return std::nullopt;
}

std::optional<std::string> Document::get(std::string_view path) const {
  const auto steps = detail::parseElementPath(path);
  if (!steps) {
    return std::nullopt;
  }
  const auto [node, model] = findNode(root_, schema_->root, *steps);
  if (node == nullptr || !model->children.empty()) {
    return std::nullopt;
  }
  return node->value;
}

std::size_t Document::count(std::string_view path) const {
  auto steps = detail::parseElementPath(path);
  if (!steps) {
    return 0;
  }
  const PathStep last = steps->back();
  steps->pop_back();
  const auto [node, model] = findNode(root_, schema_->root, *steps);
  if (node == nullptr) {
    return 0;
  }
  const std::size_t rank = rankOf(*model, last.name);
  if (rank == model->children.size()) {
    return 0;
  }
  const Run run = runOf(*node, rank);
  const std::size_t have = run.last - run.first;
  if (last.indexed) {
    return last.index <= have ? 1 : 0;
  }
  return have;
}

std::string Document::toXml() const {
  // Written directly, as libxml2's formatted output would be (the document
  // tests hold that format); a tree built for the writer cost more than
  // everything else about the document.
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml.reserve(4096);
  std::string ns = " xmlns=\"";
  appendEscaped(ns, schema_->namespace_uri, true);
  ns += '"';
  appendElement(xml, root_, schema_->root, 0, ns);
  return xml;
}

}  // namespace rtw::worksafe
