#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>
#include <Poco/UUIDGenerator.h>

#include "rtw/hl7v2/message.h"
#include "rtw/pipeline/translation_context.h"
#include "rtw/pipeline/workers.h"
#include "rtw/worksafe/rules.h"

namespace rtw::pipeline {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.translate"); }

/// The same message always yields the same document ids, so a translation
/// repeated after a crash is recognised by the board's Idempotency-Key.
std::string stableDocumentId(const std::string& journal_instance, const store::JournalEntry& entry,
                             std::size_t index) {
  const std::string name = journal_instance + "/" + entry.partner + "/" + entry.channel + "/" +
                           std::to_string(entry.id) + "/" + entry.control_id + "/" +
                           std::to_string(index);
  return Poco::UUIDGenerator::defaultGenerator().createFromName(Poco::UUID::oid(), name).toString();
}

std::string joinProblems(const std::vector<worksafe::Problem>& problems) {
  std::string text;
  for (const auto& problem : problems) {
    text += (text.empty() ? "" : "; ") + worksafe::format(problem);
  }
  return text;
}

}  // namespace

TranslateWorker::TranslateWorker(store::Journal& journal, const security::PartnerRegistry& partners,
                                 plugin::PluginHost& plugins,
                                 std::shared_ptr<const worksafe::SchemaSet> schemas,
                                 std::shared_ptr<const worksafe::BoardProfiles> profiles,
                                 Wakeup& delivery_wakeup)
    : journal_(journal),
      partners_(partners),
      plugins_(plugins),
      schemas_(std::move(schemas)),
      profiles_(std::move(profiles)),
      delivery_wakeup_(delivery_wakeup) {}

TranslateWorker::~TranslateWorker() { stop(); }

void TranslateWorker::start() {
  thread_ = std::thread([this] { run(); });
}

void TranslateWorker::stop() {
  wakeup_.stop();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void TranslateWorker::run() {
  while (!wakeup_.stopping()) {
    try {
      while (!wakeup_.stopping() && translateOne()) {
      }
    } catch (const std::exception& e) {
      // Typically the journal refusing a write (disk full): the message stays
      // received and is translated again on the next round.
      logger().error("translate loop: %s; the message stays received and is tried again",
                     std::string(e.what()));
    }
    wakeup_.wait(1000);
  }
}

bool TranslateWorker::translateOne() {
  std::optional<store::JournalEntry> entry = journal_.nextReceived();
  if (!entry) {
    return false;
  }
  auto reject = [&](const std::string& reason, bool unsupported = false) {
    logger().warning("message %?d partner=%s rejected: %s", entry->id, entry->partner, reason);
    journal_.markRejected(entry->id, reason);
    finish(entry->id, {false, unsupported, reason});
    return true;
  };

  const security::Partner* partner = partners_.byId(entry->partner);
  if (partner == nullptr) {
    return reject("partner '" + entry->partner + "' is no longer configured");
  }
  // The same options as at intake: the journal keeps the bytes as received.
  hl7v2::ParseOutcome parsed = hl7v2::Message::parse(entry->payload, parseOptionsFor(*partner));
  if (!parsed.message) {
    return reject("journaled message no longer parses: " + parsed.error->message);
  }
  Hl7MessageView view(*parsed.message);
  TranslationContextImpl context(partner->id, &view, *schemas_);
  const sdk::Status status = plugin::translateSafely(plugins_.load(partner->plugin), context);
  if (!status.isOk()) {
    return reject(status.reason(), status.code() == sdk::Status::Code::kUnsupported);
  }
  if (context.drafts().empty()) {
    return reject("the plugin produced no document for " + entry->message_type);
  }

  std::vector<store::OutboundDocument> documents;
  const std::string created_at =
      Poco::DateTimeFormatter::format(Poco::DateTime(), Poco::DateTimeFormat::ISO8601_FORMAT);
  for (std::size_t i = 0; i < context.drafts().size(); ++i) {
    DocumentDraft& draft = *context.drafts()[i];
    const std::string document_id = stableDocumentId(journal_.instanceId(), *entry, i);
    draft.set("header/documentId", document_id);
    draft.set("header/sourcePartner", partner->id);
    draft.set("header/sourceMessageId", entry->control_id);
    draft.set("header/createdAt", created_at);
    if (!draft.problems().empty()) {
      return reject("mapping error: " + joinProblems(draft.problems()));
    }
    std::string xml = draft.document().toXml();
    const worksafe::DocumentType type = draft.document().type();
    // The XSD and the board's rules, as the board will check them.
    worksafe::ValidationOptions options;
    options.expected_type = type;
    std::vector<worksafe::Problem> problems =
        worksafe::validateDocument(*schemas_, *profiles_, xml, options);
    if (worksafe::hasErrors(problems)) {
      return reject("invalid " + std::string(worksafe::toString(type)) + ": " +
                    joinProblems(problems));
    }
    for (const auto& warning : problems) {
      logger().warning("message %?d %s warning %s", entry->id,
                       std::string(worksafe::toString(type)), worksafe::format(warning));
    }
    documents.push_back({document_id, std::string(worksafe::toString(type)), std::move(xml),
                         draft.document().get("header/claimNumber").value_or("")});
  }
  journal_.markTranslated(entry->id, documents, nowMs());
  logger().information("message %?d partner=%s translated into %z document(s)", entry->id,
                       entry->partner, documents.size());
  delivery_wakeup_.notify();
  finish(entry->id, {true, false, {}});
  return true;
}

void TranslateWorker::finish(std::int64_t message_id, const TranslationOutcome& outcome) {
  if (on_outcome_) {
    on_outcome_(message_id, outcome);
  }
}

}  // namespace rtw::pipeline
