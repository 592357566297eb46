#include "rtw/pipeline/translation_context.h"

#include <stdexcept>
#include <utility>

#include "rtw/mapping/fhir_source.h"

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

std::shared_ptr<const fhir::Variables> boardVariables(const worksafe::BoardProfile* board) {
  if (board == nullptr) {
    return nullptr;
  }
  auto variables = std::make_shared<fhir::Variables>();
  (*variables)["boardNames"] = {board->board, board->name};
  if (!board->claim_number.system.empty()) {
    (*variables)["claimNumberSystem"] = {board->claim_number.system};
  }
  return variables;
}

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

namespace {

/// A plugin that declares no settings, or a partner that sets none.
class NoSettings final : public sdk::Settings {
 public:
  std::optional<std::string> text(std::string_view) const noexcept override { return {}; }
  std::optional<std::int64_t> integer(std::string_view) const noexcept override { return {}; }
  std::optional<bool> flag(std::string_view) const noexcept override { return {}; }
  std::vector<std::string> textList(std::string_view) const noexcept override { return {}; }
};

const NoSettings kNoSettings;

}  // namespace

sdk::Status DocumentDraft::set(std::string_view path, std::string_view value) noexcept {
  try {
    if (auto problem = document_.set(path, std::string(value))) {
      sdk::Status refused = sdk::Status::rejected(worksafe::format(*problem));
      problems_.push_back(std::move(*problem));
      return refused;
    }
    return sdk::Status::ok();
  } catch (...) {
    try {
      problems_.push_back(
          {worksafe::Problem::Severity::kError, std::string(path), "the host could not set it"});
      return sdk::Status::internal("cannot set " + std::string(path));
    } catch (...) {
      return sdk::Status::internal({});
    }
  }
}

std::string DocumentDraft::get(std::string_view path) const noexcept {
  try {
    return document_.get(path).value_or("");
  } catch (...) {
    return {};
  }
}

TranslationContextImpl::TranslationContextImpl(std::string partner_id, const Payload& payload,
                                               const worksafe::SchemaSet& schemas,
                                               MappingInput mapping, const sdk::Settings* settings)
    : partner_id_(std::move(partner_id)),
      payload_(payload),
      schemas_(schemas),
      mapping_(std::move(mapping)),
      settings_(settings != nullptr ? settings : &kNoSettings) {}

sdk::DocumentBuilder* TranslationContextImpl::newDocument(sdk::DocumentKind kind) noexcept {
  try {
    const worksafe::DocumentType type = documentTypeOf(kind);
    if (!schemas_.has(type)) {
      failure_ = "no schema for document type " + std::string(worksafe::toString(type));
      return nullptr;
    }
    drafts_.push_back(std::make_unique<DocumentDraft>(kind, schemas_.newDocument(type)));
    return drafts_.back().get();
  } catch (const std::exception& e) {
    failure_ = std::string("cannot start a document: ") + e.what();
    return nullptr;
  }
}

void TranslationContextImpl::warn(std::string_view message) noexcept {
  try {
    warnings_.emplace_back(message);
  } catch (...) {
    // A warning lost to memory exhaustion; the translation goes on.
  }
}

sdk::Status TranslationContextImpl::applyMapping(std::string_view message_type) noexcept {
  try {
    return mapping(message_type.empty() ? payload_.messageType() : std::string(message_type));
  } catch (const std::exception& e) {
    failure_ = std::string("the mapping failed: ") + e.what();
    return sdk::Status::internal(failure_);
  }
}

sdk::Status TranslationContextImpl::mapping(const std::string& type) {
  const mapping::MessageMapping* message_mapping =
      mapping_.mappings ? mapping_.mappings->find(type) : nullptr;
  if (message_mapping == nullptr) {
    return sdk::Status::unsupported("message type " + type + " is not mapped for this partner");
  }
  auto* draft = static_cast<DocumentDraft*>(newDocument(documentKindOf(message_mapping->document)));
  if (draft == nullptr) {
    return sdk::Status::internal(failure_);
  }
  // A FHIR resource reads the board's variables through a copy that holds them.
  const auto* fhir = dynamic_cast<const mapping::FhirSource*>(&payload_.source());
  if (fhir != nullptr && mapping_.fhir_variables != nullptr) {
    const mapping::FhirSource bound(fhir->resource().withVariables(mapping_.fhir_variables));
    draft->evaluation() = mapping::evaluate(*message_mapping, *mapping_.mappings, bound,
                                            draft->document(), mapping_.trace);
  } else {
    draft->evaluation() = mapping::evaluate(*message_mapping, *mapping_.mappings, payload_.source(),
                                            draft->document(), mapping_.trace);
  }
  std::string errors;
  for (const auto& finding : draft->evaluation().findings) {
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
