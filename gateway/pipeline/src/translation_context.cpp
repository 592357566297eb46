#include "rtw/pipeline/translation_context.h"

#include <stdexcept>

namespace rtw::pipeline {

worksafe::DocumentType toDocumentType(sdk::DocumentKind kind) {
  switch (kind) {
    case sdk::DocumentKind::kReferral:
      return worksafe::DocumentType::kReferral;
    case sdk::DocumentKind::kReport:
      return worksafe::DocumentType::kReport;
    case sdk::DocumentKind::kInvoice:
      return worksafe::DocumentType::kInvoice;
    case sdk::DocumentKind::kTrainingReport:
      return worksafe::DocumentType::kTrainingReport;
  }
  throw std::invalid_argument("unknown document kind");
}

sdk::DocumentKind toDocumentKind(worksafe::DocumentType type) {
  switch (type) {
    case worksafe::DocumentType::kReferral:
      return sdk::DocumentKind::kReferral;
    case worksafe::DocumentType::kReport:
      return sdk::DocumentKind::kReport;
    case worksafe::DocumentType::kInvoice:
      return sdk::DocumentKind::kInvoice;
    case worksafe::DocumentType::kTrainingReport:
      return sdk::DocumentKind::kTrainingReport;
  }
  throw std::invalid_argument("unknown document type");
}

void DocumentDraft::set(std::string_view path, std::string_view value) {
  if (auto problem = document_.set(path, std::string(value))) {
    problems_.push_back(std::move(*problem));
  }
}

sdk::DocumentBuilder& TranslationContextImpl::newDocument(sdk::DocumentKind kind) {
  const worksafe::DocumentType type = toDocumentType(kind);
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
  auto& draft = static_cast<DocumentDraft&>(newDocument(toDocumentKind(message_mapping->document)));
  draft.evaluation() =
      mapping::evaluate(*message_mapping, *mapping_.mappings, *mapping_.source, draft.document());
  std::string errors;
  for (const auto& finding : draft.evaluation().findings) {
    if (finding.severity == mapping::Finding::Severity::kError) {
      errors += (errors.empty() ? "" : "; ") + finding.target + ": " + finding.message + " (" +
                finding.rule.rule + ")";
    } else {
      warn(finding.target + ": " + finding.message + " (" + finding.rule.rule + ")");
    }
  }
  return errors.empty() ? sdk::Status::ok() : sdk::Status::rejected("mapping: " + errors);
}

}  // namespace rtw::pipeline
