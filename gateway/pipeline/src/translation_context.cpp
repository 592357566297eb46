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
  drafts_.push_back(std::make_unique<DocumentDraft>(schemas_.newDocument(type)));
  return *drafts_.back();
}

}  // namespace rtw::pipeline
