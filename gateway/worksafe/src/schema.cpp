#include "rtw/worksafe/schema.h"

#include <cstdarg>
#include <cstdio>
#include <stdexcept>

#include "compiled_schema.h"
#include "xml_handles.h"
#include "xsd_model.h"

namespace rtw::worksafe {
namespace {

namespace fs = std::filesystem;

struct SchemaFile {
  DocumentType type;
  const char* name;
};

// The Referral is what every partner sends first; the others arrive as
// their XSDs are written.
constexpr SchemaFile kSchemaFiles[] = {
    {DocumentType::kReferral, "referral-v1.xsd"},
    {DocumentType::kReport, "report-v1.xsd"},
    {DocumentType::kInvoice, "invoice-v1.xsd"},
    {DocumentType::kTrainingReport, "training-report-v1.xsd"},
};

std::string located(detail::XmlErrorView error) {
  std::string text = error->message != nullptr ? error->message : "schema error";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  if (error->file != nullptr) {
    text = std::string(error->file) + ":" + std::to_string(error->line) + ": " + text;
  }
  return text;
}

void collectError(void* errors, detail::XmlErrorView error) {
  if (error == nullptr || error->level < XML_ERR_ERROR) {
    return;
  }
  try {
    static_cast<std::vector<std::string>*>(errors)->push_back(located(error));
  } catch (...) {
    // An exception must not unwind through libxml2; the load fails anyway.
  }
}

void collectGenericError(void* errors, const char* format, ...) {
  char buffer[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  try {
    static_cast<std::vector<std::string>*>(errors)->emplace_back(buffer);
  } catch (...) {
    // As above.
  }
}

// xmlSchemaParse reads included files with a parser of its own whose errors
// go to this thread's default handlers, not to the schema parser's. Those
// handlers are per thread in libxml2; they are redirected for the duration
// of one compile and put back, so nothing reaches stderr.
class ThreadErrorCapture {
 public:
  explicit ThreadErrorCapture(std::vector<std::string>& errors)
      : structured_(xmlStructuredError),
        structured_context_(xmlStructuredErrorContext),
        generic_(xmlGenericError),
        generic_context_(xmlGenericErrorContext) {
    xmlSetStructuredErrorFunc(&errors, collectError);
    xmlSetGenericErrorFunc(&errors, collectGenericError);
  }
  ~ThreadErrorCapture() {
    xmlSetStructuredErrorFunc(structured_context_, structured_);
    xmlSetGenericErrorFunc(generic_context_, generic_);
  }
  ThreadErrorCapture(const ThreadErrorCapture&) = delete;
  ThreadErrorCapture& operator=(const ThreadErrorCapture&) = delete;

 private:
  xmlStructuredErrorFunc structured_;
  void* structured_context_;
  xmlGenericErrorFunc generic_;
  void* generic_context_;
};

detail::XmlSchemaPtr compileXsd(const fs::path& file) {
  std::vector<std::string> errors;
  detail::XmlSchemaPtr schema;
  {
    ThreadErrorCapture capture(errors);
    detail::XmlSchemaParserCtxtPtr ctxt(xmlSchemaNewParserCtxt(file.c_str()));
    if (!ctxt) {
      throw std::runtime_error(file.string() + ": cannot create a schema parser");
    }
    xmlSchemaSetParserStructuredErrors(ctxt.get(), collectError, &errors);
    schema.reset(xmlSchemaParse(ctxt.get()));
  }
  if (!schema || !errors.empty()) {
    std::string text = file.string() + ": the schema does not compile";
    for (const std::string& error : errors) {
      text += "\n  " + error;
    }
    throw std::runtime_error(text);
  }
  return schema;
}

}  // namespace

std::shared_ptr<const SchemaSet> SchemaSet::load(const fs::path& dir) {
  // Once, before any thread validates (libxml2 asks for this).
  xmlInitParser();
  std::shared_ptr<SchemaSet> set(new SchemaSet());
  for (const SchemaFile& file : kSchemaFiles) {
    const fs::path path = dir / file.name;
    std::error_code ignored;
    if (file.type != DocumentType::kReferral && !fs::exists(path, ignored)) {
      continue;
    }
    if (!fs::is_regular_file(path, ignored)) {
      throw std::runtime_error(path.string() + ": the schema file is missing");
    }
    auto compiled = std::make_unique<Compiled>();
    // The model reader runs first: it refuses DOCTYPEs and includes that
    // leave dir, so that libxml2's own reading below stays inside dir.
    compiled->model =
        std::make_shared<const SchemaModel>(detail::readXsdModel(dir, file.name, file.type));
    if (set->typeForNamespace(compiled->model->namespace_uri)) {
      throw std::runtime_error(path.string() + ": namespace '" + compiled->model->namespace_uri +
                               "' is already used by another document schema");
    }
    compiled->schema = compileXsd(path);
    set->compiled_.emplace(file.type, std::move(compiled));
  }
  return set;
}

SchemaSet::~SchemaSet() = default;

const SchemaSet::Compiled* SchemaSet::find(DocumentType type) const {
  const auto found = compiled_.find(type);
  return found != compiled_.end() ? found->second.get() : nullptr;
}

std::optional<DocumentType> SchemaSet::typeForNamespace(std::string_view namespace_uri) const {
  for (const auto& [type, compiled] : compiled_) {
    if (compiled->model->namespace_uri == namespace_uri) {
      return type;
    }
  }
  return std::nullopt;
}

bool SchemaSet::has(DocumentType type) const { return find(type) != nullptr; }

std::shared_ptr<const SchemaModel> SchemaSet::model(DocumentType type) const {
  const Compiled* compiled = find(type);
  if (compiled == nullptr) {
    throw std::invalid_argument("no schema is loaded for " + std::string(toString(type)) +
                                " documents");
  }
  return compiled->model;
}

Document SchemaSet::newDocument(DocumentType type) const { return Document(type, model(type)); }

}  // namespace rtw::worksafe
