#include "rtw/pipeline/dry_run.h"

#include <algorithm>

#include <Poco/UUIDGenerator.h>

#include "rtw/pipeline/translation_context.h"

namespace rtw::pipeline {

bool DryRun::accepted() const {
  return status.isOk() && !documents.empty() &&
         std::all_of(documents.begin(), documents.end(),
                     [](const DryRunDocument& d) { return d.valid(); });
}

namespace {

// The host's header fields and the validation, as the translate worker does.
void finish(const DryRunSetup& setup, TranslationContextImpl& context,
            const std::string& source_message_id, const HostFields& host, DryRun& run) {
  run.warnings = context.warnings();
  for (std::size_t i = 0; i < context.drafts().size(); ++i) {
    DocumentDraft& draft = *context.drafts()[i];
    const std::string seed = host.document_id_seed + "/" + std::to_string(i);
    draft.set(
        "header/documentId",
        Poco::UUIDGenerator::defaultGenerator().createFromName(Poco::UUID::oid(), seed).toString());
    draft.set("header/sourcePartner", setup.partner.id);
    draft.set("header/sourceMessageId", source_message_id);
    draft.set("header/createdAt", host.created_at);
    DryRunDocument document;
    document.type = draft.document().type();
    document.xml = draft.document().toXml();
    document.problems = draft.problems();
    worksafe::ValidationOptions options;
    options.expected_type = document.type;
    options.today = host.today;
    for (auto& problem :
         worksafe::validateDocument(setup.schemas, setup.profiles, document.xml, options)) {
      document.problems.push_back(std::move(problem));
    }
    document.evaluation = std::move(draft.evaluation());
    run.documents.push_back(std::move(document));
  }
}

}  // namespace

DryRun dryRun(const DryRunSetup& setup, const hl7v2::Message& message, const HostFields& host) {
  Hl7MessageView view(message);
  const mapping::Hl7Source source(message);
  TranslationContextImpl context(setup.partner.id, &view, setup.schemas,
                                 {setup.mappings, &source, message.messageType()});
  DryRun run;
  run.status = plugin::translateSafely(setup.plugin, context);
  finish(setup, context, message.controlId(), host, run);
  return run;
}

DryRun dryRunMapping(const DryRunSetup& setup, const mapping::Source& source,
                     const std::string& message_type, const std::string& source_message_id,
                     const HostFields& host) {
  TranslationContextImpl context(setup.partner.id, nullptr, setup.schemas,
                                 {setup.mappings, &source, message_type});
  DryRun run;
  try {
    run.status = context.applyMapping(message_type);
  } catch (const std::exception& e) {
    run.status = sdk::Status::rejected(std::string("mapping failed: ") + e.what());
  }
  finish(setup, context, source_message_id, host, run);
  return run;
}

}  // namespace rtw::pipeline
