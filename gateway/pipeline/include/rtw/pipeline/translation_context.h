#pragma once
// The host side of the plugin SDK: the context a plugin translates in and a
// builder over worksafe::Document that records every bad path. Every call a
// plugin makes is noexcept: what fails comes back as a Status or nullptr.

#include <memory>
#include <string>
#include <vector>

#include "rtw/fhir/resource.h"
#include "rtw/mapping/evaluate.h"
#include "rtw/pipeline/payload.h"
#include "rtw/sdk/plugin.h"
#include "rtw/worksafe/board_profiles.h"
#include "rtw/worksafe/schema.h"

namespace rtw::pipeline {

class DocumentDraft final : public sdk::DocumentBuilder {
 public:
  DocumentDraft(sdk::DocumentKind kind, worksafe::Document document)
      : kind_(kind), document_(std::move(document)) {}
  sdk::Status set(std::string_view path, std::string_view value) noexcept override;
  std::string get(std::string_view path) const noexcept override;
  sdk::DocumentKind kind() const noexcept override { return kind_; }

  worksafe::Document& document() { return document_; }
  const std::vector<worksafe::Problem>& problems() const { return problems_; }
  /// What the mapping did, when a mapping built this document.
  mapping::Evaluation& evaluation() { return evaluation_; }

 private:
  sdk::DocumentKind kind_;
  worksafe::Document document_;
  std::vector<worksafe::Problem> problems_;
  mapping::Evaluation evaluation_;
};

/// The partner's mappings.
struct MappingInput {
  std::shared_ptr<const mapping::MappingSet> mappings;  // nullptr: the partner has none
  mapping::Trace trace = mapping::Trace::kKeep;         // the translate worker skips it
  /// What FHIRPath rules read as the gateway's variables (%claimNumberSystem
  /// and %boardNames of the partner's board); nullptr: none.
  std::shared_ptr<const fhir::Variables> fhir_variables = {};
};

/// The gateway's FHIRPath variables for a partner of `board`
/// (rtw/fhir/naming_systems.h, kGatewayVariables); nullptr without a profile.
std::shared_ptr<const fhir::Variables> boardVariables(const worksafe::BoardProfile* board);

class TranslationContextImpl final : public sdk::TranslationContext {
 public:
  /// `settings`: the partner's plugin settings; nullptr gives none.
  TranslationContextImpl(std::string partner_id, const Payload& payload,
                         const worksafe::SchemaSet& schemas, MappingInput mapping = {},
                         const sdk::Settings* settings = nullptr);

  std::string_view partnerId() const noexcept override { return partner_id_; }
  const sdk::MessageView& message() const noexcept override { return payload_; }
  const sdk::Settings& settings() const noexcept override { return *settings_; }
  sdk::DocumentBuilder* newDocument(sdk::DocumentKind kind) noexcept override;
  void warn(std::string_view message) noexcept override;
  sdk::Status applyMapping(std::string_view message_type) noexcept override;
  std::size_t documentCount() const noexcept override { return drafts_.size(); }
  sdk::DocumentBuilder* document(std::size_t index) noexcept override {
    return index < drafts_.size() ? drafts_[index].get() : nullptr;
  }

  std::vector<std::unique_ptr<DocumentDraft>>& drafts() { return drafts_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// What the host could not do for the plugin ("" when nothing failed):
  /// the translation fails with it whatever the plugin returned.
  const std::string& failure() const { return failure_; }

 private:
  sdk::Status mapping(const std::string& type);

  std::string partner_id_;
  const Payload& payload_;
  const worksafe::SchemaSet& schemas_;
  MappingInput mapping_;
  const sdk::Settings* settings_;
  std::vector<std::unique_ptr<DocumentDraft>> drafts_;
  std::vector<std::string> warnings_;
  std::string failure_;
};

worksafe::DocumentType documentTypeOf(sdk::DocumentKind kind);
sdk::DocumentKind documentKindOf(worksafe::DocumentType type);

}  // namespace rtw::pipeline
