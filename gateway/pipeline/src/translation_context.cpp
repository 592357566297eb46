#include "rtw/pipeline/translation_context.h"

#include <stdexcept>
#include <utility>

namespace rtw::pipeline {

namespace {

// The SDK's document kinds and the WorkSafe document types, one for one.
constexpr std::pair<sdk::DocumentKind, worksafe::DocumentType> kKinds[] = {
    {sdk::DocumentKind::kReferral, worksafe::DocumentType::kReferral},
    {sdk::DocumentKind::kReport, worksafe::DocumentType::kReport},
    {sdk::DocumentKind::kInvoice, worksafe::DocumentType::kInvoice},
    {sdk::DocumentKind::kTrainingReport, worksafe::DocumentType::kTrainingReport},
};

}  // namespace

worksafe::DocumentType documentTypeOf(sdk::DocumentKind kind) {
  for (const auto& [k, type] : kKinds) {
    if (k == kind) {
      return type;
    }
  }
  throw std::invalid_argument("unknown document kind");
}

sdk::DocumentKind documentKindOf(worksafe::DocumentType type) {
  for (const auto& [kind, t] : kKinds) {
    if (t == type) {
      return kind;
    }
  }
  throw std::invalid_argument("unknown document type");
}

void DocumentDraft::set(std::string_view path, std::string_view value) {
  if (auto problem = document_.set(path, std::string(value))) {
    problems_.push_back(std::move(*problem));
  }
}

sdk::DocumentBuilder& TranslationContextImpl::newDocument(sdk::DocumentKind kind) {
  const worksafe::DocumentType type = documentTypeOf(kind);
  if (!schemas_.has(type)) {
    throw std::runtime_error("no schema for document type " +
                             std::string(worksafe::toString(type)));
  }
  drafts_.push_back(std::make_unique<DocumentDraft>(kind, schemas_.newDocument(type)));
  return *drafts_.back();
}

sdk::Status TranslationContextImpl::applyMapping(std::string_view message_type) {
  const std::string type(message_type.empty() ? mapping_.message_type : message_type);
  const mapping::MessageMapping* message_mapping =
      mapping_.mappings ? mapping_.mappings->find(type) : nullptr;
  if (message_mapping == nullptr || mapping_.source == nullptr) {
    return sdk::Status::unsupported("message type " + type + " is not mapped for this partner");
  }
  auto& draft = static_cast<DocumentDraft&>(newDocument(documentKindOf(message_mapping->document)));
  draft.evaluation() = mapping::evaluate(*message_mapping, *mapping_.mappings, *mapping_.source,
                                         draft.document(), mapping_.trace);
  std::string errors;
  for (const auto& finding : draft.evaluation().findings) {
    const std::string text =
        finding.target + ": " + finding.message + " (" + finding.rule.rule + ")";
    if (finding.severity == mapping::Finding::Severity::kError) {
      errors += (errors.empty() ? "" : "; ") + text;
    } else {
      warn(text);
    }
  }
  return errors.empty() ? sdk::Status::ok() : sdk::Status::rejected("mapping: " + errors);
}

}  // namespace rtw::pipeline
