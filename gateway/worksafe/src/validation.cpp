// SchemaSet's data-plane side: validating, recognising and reading documents
// that came from outside. Every call builds its own parser and validation
// contexts; only the compiled schema is shared.

#include <algorithm>
#include <stdexcept>

#include "compiled_schema.h"
#include "document_builder.h"
#include "element_path.h"
#include "rtw/worksafe/schema.h"
#include "schema_problems.h"
#include "untrusted_xml.h"

namespace rtw::worksafe {
namespace {

using detail::DocumentBuilder;
using Element = SchemaModel::Element;

// Codes as in rtw/worksafe/rules.h (problem_code), spelled here to keep the
// schema layer free of the rule layer.
constexpr const char* kXmlCode = "XML";
constexpr const char* kDocumentTypeCode = "DOCUMENT_TYPE";
constexpr const char* kSchemaCode = "SCHEMA";

Problem documentProblem(std::string message, const char* code) {
  return Problem{Problem::Severity::kError, "", std::move(message), code};
}

struct ValidationRun {
  const SchemaModel* model = nullptr;
  std::vector<Problem> problems;
  bool lost_problem = false;
};

void onValidationError(void* context, detail::XmlErrorView error) {
  auto* run = static_cast<ValidationRun*>(context);
  if (error == nullptr) {
    return;
  }
  try {
    run->problems.push_back(detail::problemFromSchemaError(error, *run->model));
  } catch (...) {
    // No exception may unwind through libxml2; the caller reports the loss.
    run->lost_problem = true;
  }
}

std::optional<Problem> rootProblem(const xmlNode* root, const SchemaModel& model) {
  if (detail::localName(root) == model.root_name &&
      detail::namespaceOf(root) == model.namespace_uri) {
    return std::nullopt;
  }
  const std::string found_ns = detail::namespaceOf(root);
  return documentProblem("the root element must be '" + model.root_name + "' in namespace '" +
                             model.namespace_uri + "', found '" + detail::localName(root) +
                             "' in " +
                             (found_ns.empty() ? "no namespace" : "namespace '" + found_ns + "'"),
                         kDocumentTypeCode);
}

bool hasElementChild(const xmlNode* node) {
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) {
      return true;
    }
  }
  return false;
}

// Copies one element's children into its node, checking them as
// Document::set would; paths are spelled only for problems.
void readChildren(DocumentBuilder::Node& node, const xmlNode* parent, const Element& model,
                  const std::string& prefix, const std::string& schema_name) {
  for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
    if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      const std::string text = detail::textContent(child);
      if (text.find_first_not_of(" \t\r\n") != std::string::npos) {
        const std::string where = prefix.empty() ? model.name : prefix.substr(0, prefix.size() - 1);
        throw std::runtime_error("'" + where + "' holds text where only elements belong");
      }
      continue;
    }
    if (child->type != XML_ELEMENT_NODE) {
      continue;  // comments and processing instructions carry no fields
    }
    const std::string_view name(reinterpret_cast<const char*>(child->name));
    const auto found = std::find_if(model.children.begin(), model.children.end(),
                                    [&](const Element& element) { return element.name == name; });
    const bool same_namespace =
        child->ns == parent->ns || detail::namespaceOf(child) == detail::namespaceOf(parent);
    if (found == model.children.end() || !same_namespace) {
      throw std::runtime_error("unexpected element '" + std::string(name) + "' under '" +
                               model.name + "'");
    }
    const auto rank = static_cast<std::size_t>(found - model.children.begin());
    const DocumentBuilder::Appended added =
        DocumentBuilder::appendChild(node, model, rank, schema_name);
    // "injury[2]", or "worker" for a once-only element's first instance.
    const auto path = [&] {
      return prefix +
             detail::stepText(name, added.index, found->max_occurs != 1 || added.index > 1);
    };
    if (added.node == nullptr) {
      throw std::runtime_error(format(Problem{Problem::Severity::kError, path(), added.problem}));
    }
    if (found->children.empty()) {
      if (hasElementChild(child)) {
        throw std::runtime_error("'" + path() + "' holds elements where a value belongs");
      }
      added.node->value = detail::textContent(child);
      if (!detail::isXmlText(added.node->value)) {
        throw std::runtime_error(format(Problem{
            Problem::Severity::kError, path(),
            "the value is not UTF-8 text that XML allows (invalid bytes or control characters)"}));
      }
    } else {
      readChildren(*added.node, child, *found, path() + "/", schema_name);
    }
  }
}

}  // namespace

ParsedDocument::ParsedDocument(std::string_view xml)
    : xml_(std::make_unique<detail::ParsedXml>(detail::parseUntrusted(xml))) {}
ParsedDocument::~ParsedDocument() = default;
ParsedDocument::ParsedDocument(ParsedDocument&&) noexcept = default;
ParsedDocument& ParsedDocument::operator=(ParsedDocument&&) noexcept = default;
bool ParsedDocument::parsed() const { return xml_->doc != nullptr; }
const std::vector<std::string>& ParsedDocument::errors() const { return xml_->errors; }

std::vector<Problem> SchemaSet::validate(DocumentType type, std::string_view xml) const {
  return validate(type, ParsedDocument(xml));
}

std::vector<Problem> SchemaSet::validate(DocumentType type, const ParsedDocument& parsed) const {
  const Compiled* compiled = find(type);
  if (compiled == nullptr) {
    return {documentProblem("no schema is loaded for " + std::string(toString(type)) + " documents",
                            kDocumentTypeCode)};
  }
  if (!parsed.parsed()) {
    std::vector<Problem> problems;
    for (const std::string& error : parsed.errors()) {
      problems.push_back(documentProblem(error, kXmlCode));
    }
    return problems;
  }
  xmlDoc* doc = parsed.xml().doc.get();
  if (auto problem = rootProblem(xmlDocGetRootElement(doc), *compiled->model)) {
    return {std::move(*problem)};
  }
  ValidationRun run;
  run.model = compiled->model.get();
  detail::XmlSchemaValidCtxtPtr context(xmlSchemaNewValidCtxt(compiled->schema.get()));
  if (!context) {
    return {documentProblem("cannot create a schema validation context", kSchemaCode)};
  }
  xmlSchemaSetValidStructuredErrors(context.get(), onValidationError, &run);
  // Options 0: validation adds no defaulted attributes, so the tree stays
  // as parsed for read().
  const int result = xmlSchemaValidateDoc(context.get(), doc);
  if (run.lost_problem || (result != 0 && run.problems.empty())) {
    run.problems.push_back(
        documentProblem("the document could not be validated completely", kSchemaCode));
  }
  return std::move(run.problems);
}

std::optional<DocumentType> SchemaSet::detectType(std::string_view xml) const {
  return detectType(ParsedDocument(xml));
}

std::optional<DocumentType> SchemaSet::detectType(const ParsedDocument& parsed) const {
  if (!parsed.parsed()) {
    return std::nullopt;
  }
  return typeForNamespace(detail::namespaceOf(xmlDocGetRootElement(parsed.xml().doc.get())));
}

Document SchemaSet::read(std::string_view xml) const { return read(ParsedDocument(xml)); }

Document SchemaSet::read(const ParsedDocument& parsed) const {
  if (!parsed.parsed()) {
    throw std::runtime_error("cannot read the WorkSafe document: " + parsed.errors().front());
  }
  const xmlNode* root = xmlDocGetRootElement(parsed.xml().doc.get());
  const std::string ns = detail::namespaceOf(root);
  const auto type = typeForNamespace(ns);
  if (!type) {
    throw std::runtime_error("cannot read the WorkSafe document: unknown namespace '" + ns + "'");
  }
  const SchemaModel& model = *find(*type)->model;
  if (auto problem = rootProblem(root, model)) {
    throw std::runtime_error("cannot read the WorkSafe document: " + problem->message);
  }
  Document document(*type, find(*type)->model);
  try {
    readChildren(DocumentBuilder::root(document), root, model.root, "", model.root_name);
  } catch (const std::runtime_error& error) {
    throw std::runtime_error("cannot read the " + model.root_name + " document: " + error.what());
  }
  return document;
}

}  // namespace rtw::worksafe
