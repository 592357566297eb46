#include <exception>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>

#include "rtw/pipeline/document_id.h"
#include "rtw/pipeline/error_codes.h"
#include "rtw/pipeline/fhir_intake.h"
#include "rtw/pipeline/kill_point.h"
#include "rtw/pipeline/payload.h"
#include "rtw/pipeline/translation.h"
#include "rtw/pipeline/workers.h"
#include "rtw/worksafe/rules.h"

namespace rtw::pipeline {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.translate"); }

/// Messages are claimed and their outcomes committed in batches: one commit
/// (one fdatasync) for the batch instead of one per message; a lone message
/// is a batch of one and waits for nothing. While messages are arriving, an
/// ACK may wait behind a worker's commit, so batches stay small (kBatch);
/// with intake idle (nothing recorded for kIntakeIdleMs) they grow to
/// kIdleBatch: fewer, larger commits, ≈ 20 % less CPU and WAL per message
/// while a backlog drains (BENCHMARKS.md).
constexpr std::size_t kBatch = 8;
constexpr std::size_t kIdleBatch = 16;
constexpr std::int64_t kIntakeIdleMs = 100;

/// A translation that throws (the journal failed, say) gives its messages
/// back, to be tried again; one that ends marks them translated or rejected.
class ReleaseOnThrow {
 public:
  ReleaseOnThrow(store::Journal& journal, std::vector<std::int64_t> message_ids)
      : journal_(journal),
        message_ids_(std::move(message_ids)),
        exceptions_(std::uncaught_exceptions()) {}
  ~ReleaseOnThrow() {
    if (std::uncaught_exceptions() > exceptions_) {
      try {
        for (const std::int64_t id : message_ids_) {
          journal_.releaseReceived(id);
        }
      } catch (...) {
        // The journal is down: the claims end with the process (or their leases).
      }
    }
  }
  ReleaseOnThrow(const ReleaseOnThrow&) = delete;
  ReleaseOnThrow& operator=(const ReleaseOnThrow&) = delete;

 private:
  store::Journal& journal_;
  std::vector<std::int64_t> message_ids_;
  int exceptions_;
};

/// The code and location of the first mapping error behind a rejection
/// (207 when the plugin refused it for another reason).
void classifyMappingError(const Translation& translation, TranslationOutcome& why) {
  for (const auto& document : translation.documents) {
    for (const auto& finding : document.evaluation.findings) {
      if (finding.severity != mapping::Finding::Severity::kError) {
        continue;
      }
      why.code = errorCodeFor(finding.kind);
      if (const auto location = hl7LocationOf(finding.source)) {
        why.segment = location->segment;
        why.occurrence = location->occurrence;
        why.field = location->field;
      }
      return;
    }
  }
}

}  // namespace

TranslateWorker::TranslateWorker(store::Journal& journal,
                                 const security::LivePartnerRegistry& partners,
                                 plugin::PluginHost& plugins,
                                 std::shared_ptr<const worksafe::SchemaSet> schemas,
                                 std::shared_ptr<const worksafe::BoardProfiles> profiles,
                                 Wakeup& delivery_wakeup, int threads)
    : journal_(journal),
      partners_(partners),
      plugins_(plugins),
      schemas_(std::move(schemas)),
      profiles_(std::move(profiles)),
      delivery_wakeup_(delivery_wakeup),
      pool_({"rtw-translate", std::max(threads, 0), 1000, {}}, logger()) {}

TranslateWorker::~TranslateWorker() { stop(); }

void TranslateWorker::start() {
  pool_.start([this]() -> WorkerPool::Round { return [this] { return translateBatch(); }; });
}

bool TranslateWorker::translateBatch() {
  const std::vector<store::JournalEntry> claimed =
      journal_.nextReceived(nowMs(), journal_.recordedWithin(kIntakeIdleMs) ? kBatch : kIdleBatch);
  if (claimed.empty()) {
    return false;
  }
  std::vector<const store::JournalEntry*> entries;
  std::vector<std::int64_t> ids;
  for (const auto& entry : claimed) {
    if (entry.state == store::MessageState::kDead) {
      // Out of attempts: set aside by the claim, not to be translated.
      logger().error("message %?d partner=%s %s", entry.id, entry.partner, entry.reason);
      finish(entry.id, {false, true, entry.reason, err::kApplicationError});
      continue;
    }
    entries.push_back(&entry);
    ids.push_back(entry.id);
  }
  const ReleaseOnThrow release(journal_, std::move(ids));
  std::vector<store::TranslationResult> results;
  std::vector<TranslationOutcome> outcomes;
  for (const store::JournalEntry* entry : entries) {
    TranslationOutcome why;
    if (std::optional<store::TranslationResult> result = attempt(*entry, why)) {
      results.push_back(std::move(*result));
      outcomes.push_back(std::move(why));
    }
  }
  journal_.finishTranslations(results, nowMs());
  reportOutcomes(results, outcomes);
  if (entries.size() == 1 && entries.front()->attempts > 1) {
    pool_.wakeup().notify();  // a suspect ran alone: the other threads may claim again
  }
  return true;
}

std::optional<store::TranslationResult> TranslateWorker::attempt(const store::JournalEntry& entry,
                                                                 TranslationOutcome& why) {
  // Test-only: a message that kills the process while it is translated.
  killPoint("during-translation", entry.control_id);
  std::string failure;
  try {
    throwPoint("after-plugin", entry.control_id);
    return translate(entry, why);
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "an exception that is not a std::exception";
  }
  // Not the message's content (that is a rejection): the translation itself
  // broke. Tried again alone while it has attempts left, then set aside.
  const int limit = journal_.translationAttempts();
  if (entry.attempts < limit) {
    logger().error(
        "message %?d partner=%s: translation failed (attempt %d of %d); it is tried again alone",
        entry.id, entry.partner, entry.attempts, limit);
    journal_.releaseReceived(entry.id);
    return std::nullopt;
  }
  logger().error("message %?d partner=%s: translation failed in its last attempt (%d); set aside",
                 entry.id, entry.partner, limit);
  why = {false, true, {}, err::kApplicationError};
  return store::TranslationResult{entry.id,
                                  {},
                                  store::TranslationResult::Kind::kSetAside,
                                  "set aside: translation failed in all " + std::to_string(limit) +
                                      " attempts, the last with: " + failure.substr(0, 300) +
                                      "; fix the cause, then rtwctl messages reprocess"};
}

void TranslateWorker::reportOutcomes(const std::vector<store::TranslationResult>& results,
                                     std::vector<TranslationOutcome>& outcomes) {
  bool queued = false;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const store::TranslationResult& result = results[i];
    if (result.kind != store::TranslationResult::Kind::kTranslated) {
      logger().warning(
          "message %?d %s: %s", result.message_id,
          result.kind == store::TranslationResult::Kind::kRejected ? "rejected" : "set aside",
          result.reason);
      outcomes[i].accepted = false;
      outcomes[i].reason = result.reason;
      finish(result.message_id, outcomes[i]);
    } else {
      if (logger().information()) {  // spelled out: see the intake's line
        logger().information("message " + std::to_string(result.message_id) + " translated into " +
                             std::to_string(result.documents.size()) + " document(s)");
      }
      finish(result.message_id, {true});
      queued = true;
    }
  }
  if (queued) {
    delivery_wakeup_.notify();
  }
}

store::TranslationResult TranslateWorker::translate(const store::JournalEntry& entry,
                                                    TranslationOutcome& why) {
  auto reject = [&](const std::string& reason, int code = err::kApplicationError) {
    why.code = code;
    return store::TranslationResult{
        entry.id, {}, store::TranslationResult::Kind::kRejected, reason};
  };
  // One snapshot of the registry for the whole message, as for its mappings.
  const std::shared_ptr<const security::PartnerRegistry> registry = partners_.current();
  const security::Partner* partner = registry->byId(entry.partner);
  if (partner == nullptr) {
    return reject("partner '" + entry.partner + "' is no longer configured");
  }
  // The reader of the row's format, with the same options as at intake: the
  // journal keeps the bytes as received.
  const std::optional<sdk::Format> format = formatNamed(entry.format);
  if (!format) {
    return reject("journaled message has a format this gateway does not read: " + entry.format);
  }
  std::string error;
  PayloadContext context = payloadContextFor(*partner, entry.message_type, entry.control_id);
  if (entry.channel == "fhir") {
    context.held = heldResources(journal_, entry.partner);
  }
  const std::unique_ptr<Payload> payload = readPayload(*format, entry.payload, context, error);
  if (!payload) {
    return reject("journaled message no longer parses: " + error);
  }
  // One snapshot for the whole message: a reload cannot change it midway.
  const auto mappings = mappings_ ? mappings_->forPartner(partner->id) : nullptr;
  const plugin::LoadedPlugin plugin = plugins_.load(partner->plugin);
  const TranslationSetup setup{
      *partner, plugin, mappings, *schemas_, *profiles_, nullptr, mapping::Trace::kSkip};
  HostFields host;
  host.document_id = [&](std::size_t index) {
    return stableDocumentId(journal_.instanceId(), entry, index);
  };
  host.created_at =
      Poco::DateTimeFormatter::format(Poco::DateTime(), Poco::DateTimeFormat::ISO8601_FORMAT);
  const Translation translation = pipeline::translate(setup, *payload, host);
  if (translation.status.code() == sdk::Status::Code::kUnsupported) {
    why.reject = true;
    return reject(translation.status.reason(),
                  unsupportedCodeFor(mappings.get(), entry.message_type));
  }
  if (!translation.status.isOk()) {
    classifyMappingError(translation, why);
    return reject(translation.status.reason(), why.code);
  }
  if (!translation.accepted()) {
    return reject(translation.rejection());
  }
  for (const auto& warning : translation.warnings) {
    // Paths and rule names only: mapping findings carry no message content.
    logger().warning("message %?d partner=%s: %s", entry.id, entry.partner, warning);
  }
  std::vector<store::OutboundDocument> documents;
  for (const TranslatedDocument& document : translation.documents) {
    for (const auto& warning : document.validation) {
      logger().warning("message %?d %s warning %s", entry.id,
                       std::string(worksafe::toString(document.type)), worksafe::format(warning));
    }
    documents.push_back({document.document_id, std::string(worksafe::toString(document.type)),
                         document.xml, document.claim_number,
                         security::deliveryOrderKey(*partner, document.claim_number)});
  }
  return {entry.id, std::move(documents)};
}

void TranslateWorker::finish(std::int64_t message_id, const TranslationOutcome& outcome) {
  if (on_outcome_) {
    on_outcome_(message_id, outcome);
  }
}

}  // namespace rtw::pipeline
