#include "rtw/pipeline/translation.h"

#include <algorithm>

#include <Poco/UUIDGenerator.h>

#include "rtw/pipeline/translation_context.h"
#include "rtw/plugin/settings.h"

namespace rtw::pipeline {
namespace {

std::string joinProblems(const std::vector<worksafe::Problem>& problems) {
  std::string text;
  for (const auto& problem : problems) {
    text += (text.empty() ? "" : "; ") + worksafe::format(problem);
  }
  return text;
}

}  // namespace

std::function<std::string(std::size_t)> seededDocumentIds(std::string seed) {
  return [seed = std::move(seed)](std::size_t index) {
    return Poco::UUIDGenerator::defaultGenerator()
        .createFromName(Poco::UUID::oid(), seed + "/" + std::to_string(index))
        .toString();
  };
}

std::vector<worksafe::Problem> TranslatedDocument::problems() const {
  std::vector<worksafe::Problem> all = build_problems;
  all.insert(all.end(), validation.begin(), validation.end());
  return all;
}

bool Translation::accepted() const {
  return status.isOk() && !documents.empty() &&
         std::all_of(documents.begin(), documents.end(),
                     [](const TranslatedDocument& d) { return d.valid(); });
}

std::string Translation::rejection() const {
  if (!status.isOk()) {
    return status.reason();
  }
  if (documents.empty()) {
    return "the plugin produced no document for " + message_type;
  }
  for (const auto& document : documents) {
    if (!document.build_problems.empty()) {
      return "mapping error: " + joinProblems(document.build_problems);
    }
    if (worksafe::hasErrors(document.validation)) {
      // Errors and warnings both, as the board would list them.
      return "invalid " + std::string(worksafe::toString(document.type)) + ": " +
             joinProblems(document.validation);
    }
  }
  return {};
}

std::vector<TranslatedDocument> finishDocuments(const TranslationSetup& setup,
                                                TranslationContextImpl& context,
                                                const std::string& source_message_id,
                                                const HostFields& host) {
  std::vector<TranslatedDocument> documents;
  for (std::size_t i = 0; i < context.drafts().size(); ++i) {
    DocumentDraft& draft = *context.drafts()[i];
    TranslatedDocument document;
    document.document_id = host.document_id(i);
    draft.set("header/documentId", document.document_id);
    draft.set("header/sourcePartner", setup.partner.id);
    draft.set("header/sourceMessageId", source_message_id);
    draft.set("header/createdAt", host.created_at);
    document.type = draft.document().type();
    document.xml = draft.document().toXml();
    document.build_problems = draft.problems();
    worksafe::ValidationOptions options;
    options.expected_type = document.type;
    options.today = host.today;
    options.written_from = &draft.document();  // the rules need not read the XML back
    document.validation =
        worksafe::validateDocument(setup.schemas, setup.profiles, document.xml, options);
    document.claim_number = draft.document().get("header/claimNumber").value_or("");
    document.evaluation = std::move(draft.evaluation());
    documents.push_back(std::move(document));
  }
  return documents;
}

Translation translate(const TranslationSetup& setup, const Payload& payload,
                      const HostFields& host) {
  if (!translatedEntries(payload, setup.mappings.get()).empty()) {
    Translation run;
    run.message_type = payload.messageType();
    for (EntryTranslation& entry : translateEntries(setup, payload, host)) {
      if (run.status.isOk() && !entry.translation.status.isOk()) {
        run.status = entry.translation.status;
      }
      for (std::string& warning : entry.translation.warnings) {
        run.warnings.push_back(std::move(warning));
      }
      for (TranslatedDocument& document : entry.translation.documents) {
        run.documents.push_back(std::move(document));
      }
    }
    return run;
  }
  // The plugin reads its partner's "settings" (checked when the registry loaded).
  const plugin::PartnerSettings partner_settings(setup.partner.settings);
  TranslationContextImpl context(setup.partner.id, payload, setup.schemas,
                                 {setup.mappings, setup.trace,
                                  payload.source().serves(mapping::SourceKind::kFhirPath)
                                      ? boardVariables(setup.profiles.find(setup.partner.board))
                                      : nullptr},
                                 setup.settings != nullptr ? setup.settings : &partner_settings);
  Translation run;
  run.message_type = payload.messageType();
  run.status = plugin::translateSafely(setup.plugin, context);
  if (run.status.isOk() && !context.failure().empty()) {
    run.status = sdk::Status::internal(context.failure());  // the host could not do what it asked
  }
  run.warnings = context.warnings();
  run.documents = finishDocuments(setup, context, payload.sourceMessageId(), host);
  return run;
}

}  // namespace rtw::pipeline
