#pragma once
// The host side of the plugin SDK: read-only views over our parsed messages
// and a builder over worksafe::Document that records every bad path.

#include <memory>
#include <string>
#include <vector>

#include "rtw/hl7v2/message.h"
#include "rtw/mapping/evaluate.h"
#include "rtw/sdk/plugin.h"
#include "rtw/worksafe/schema.h"

namespace rtw::pipeline {

class Hl7MessageView final : public sdk::Hl7View {
 public:
  explicit Hl7MessageView(const hl7v2::Message& message) : message_(message) {}
  std::string get(std::string_view path) const override { return message_.get(path); }
  std::vector<std::string> getAll(std::string_view path) const override {
    return message_.getAll(path);
  }
  std::string getEncoded(std::string_view path) const override { return message_.getEncoded(path); }
  std::string messageType() const override { return message_.messageType(); }
  std::string controlId() const override { return message_.controlId(); }

 private:
  const hl7v2::Message& message_;
};

class DocumentDraft final : public sdk::DocumentBuilder {
 public:
  DocumentDraft(sdk::DocumentKind kind, worksafe::Document document)
      : kind_(kind), document_(std::move(document)) {}
  void set(std::string_view path, std::string_view value) override;
  std::string get(std::string_view path) const override { return document_.get(path).value_or(""); }
  sdk::DocumentKind kind() const override { return kind_; }

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

/// The partner's mappings and the message as they read it.
struct MappingInput {
  std::shared_ptr<const mapping::MappingSet> mappings;  // nullptr: the partner has none
  const mapping::Source* source = nullptr;
  std::string message_type;                      // "REF^I12"
  mapping::Trace trace = mapping::Trace::kKeep;  // the translate worker skips it
};

class TranslationContextImpl final : public sdk::TranslationContext {
 public:
  TranslationContextImpl(std::string partner_id, const sdk::Hl7View* hl7,
                         const worksafe::SchemaSet& schemas, MappingInput mapping = {})
      : partner_id_(std::move(partner_id)),
        hl7_(hl7),
        schemas_(schemas),
        mapping_(std::move(mapping)) {}

  std::string_view partnerId() const override { return partner_id_; }
  const sdk::Hl7View* hl7() const override { return hl7_; }
  sdk::DocumentBuilder& newDocument(sdk::DocumentKind kind) override;
  void warn(std::string_view message) override { warnings_.emplace_back(message); }
  sdk::Status applyMapping(std::string_view message_type) override;
  std::size_t documentCount() const override { return drafts_.size(); }
  sdk::DocumentBuilder& document(std::size_t index) override { return *drafts_.at(index); }

  std::vector<std::unique_ptr<DocumentDraft>>& drafts() { return drafts_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::string partner_id_;
  const sdk::Hl7View* hl7_;
  const worksafe::SchemaSet& schemas_;
  MappingInput mapping_;
  std::vector<std::unique_ptr<DocumentDraft>> drafts_;
  std::vector<std::string> warnings_;
};

worksafe::DocumentType documentTypeOf(sdk::DocumentKind kind);
sdk::DocumentKind documentKindOf(worksafe::DocumentType type);

}  // namespace rtw::pipeline
