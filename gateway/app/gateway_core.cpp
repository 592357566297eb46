#include "gateway_core.h"

#include <map>
#include <stdexcept>

#include <Poco/Util/Application.h>

#include "rtw/transport/board_client.h"

namespace rtw::app {
namespace {

// The gateway application's logger, as the start-up lines always used.
Poco::Logger& logger() { return Poco::Util::Application::instance().logger(); }

mapping::MappingOptions mappingOptions(const Poco::Util::AbstractConfiguration& cfg) {
  mapping::MappingOptions options;
  options.max_value_bytes = static_cast<std::size_t>(cfg.getUInt64("mappings.maxValueBytes"));
  options.max_repeat_items = static_cast<std::size_t>(cfg.getUInt64("mappings.maxRepeatItems"));
  return options;
}

store::JournalOptions journalOptions(const Poco::Util::AbstractConfiguration& cfg) {
  store::JournalOptions options;
  options.group_commit = cfg.getBool("store.groupCommit");
  options.max_pages = cfg.getInt("store.maxPages");
  options.lease_ms = cfg.getInt("store.leaseMs");
  options.checkpoint_interval_ms = cfg.getInt("store.checkpointIntervalMs");
  options.wal_limit_pages = cfg.getInt("store.walLimitPages");
  options.translation_attempts = cfg.getInt("translate.maxAttempts");
  if (options.translation_attempts < 1) {
    throw std::runtime_error("translate.maxAttempts must be at least 1");
  }
  const std::string backend = cfg.getString("store.backend");
  if (backend == "postgresql") {
    options.backend = store::Backend::kPostgresql;
  } else if (backend != "sqlite") {
    throw std::runtime_error("store.backend must be sqlite or postgresql, not '" + backend + "'");
  }
  return options;
}

}  // namespace

GatewayCore::GatewayCore(const Poco::Util::AbstractConfiguration& cfg, const PathSetting& path)
    : plugins_(path("plugins.dir")),
      // Every partner file, plugin and plugin setting checked: an error stops start-up.
      partners_(path("partners.dir"), plugins_, path("mappings.dir")),
      schemas_(worksafe::SchemaSet::load(path("schemas.dir"))),
      profiles_(worksafe::BoardProfiles::load(path("boards.dir"))),
      mappings_(schemas_, mappingOptions(cfg)),
      reloader_(partners_, cfg.getInt("partners.pollMs"), mappings_,
                cfg.getInt("mappings.pollMs")) {
  for (const auto& [id, folder] : partners_.mappingFolders()) {
    logger().information("partner %s maps with %s", id, folder.string());
  }
  mappings_.load(partners_.mappingFolders());  // a broken mapping stops here
  partners_.useMappings(mappings_);            // a partner added later brings its mappings

  const store::JournalOptions journal_options = journalOptions(cfg);
  std::string target = path("store.path");
  journal_name_ = "SQLite " + target;
  if (journal_options.backend == store::Backend::kPostgresql) {
    target = cfg.getString("store.postgresql");
    journal_name_ = "PostgreSQL (store.postgresql)";  // the string may hold a password
  } else {
    journal_lock_.emplace(target, "the journal");  // a second gateway on the file stops here
  }
  journal_ = std::make_unique<store::Journal>(target, journal_options);

  server_tls_ = std::make_unique<security::ServerTls>(
      security::TlsFiles{path("tls.certificate"), path("tls.privateKey"), path("tls.ca")},
      path("tls.crlDir"));
  board_certificates_ = {path("board.certificate"), path("board.ca")};
  expiry_warning_days_ = cfg.getInt("tls.expiryWarningDays");
  reloader_.alsoOnHangup([this] { reloadTls(); });
  reloader_.daily([this] { warnOfExpiry(); });
  auto board_tls = security::clientContext(
      {path("board.certificate"), path("board.privateKey"), path("board.ca")});
  const std::string board_url = cfg.getString("board.url");
  const int board_timeout_ms = cfg.getInt("board.timeoutMs");
  const pipeline::RetryPolicy retry{
      cfg.getInt("delivery.maxAttempts"), cfg.getInt("delivery.baseBackoffMs"),
      cfg.getInt("delivery.maxBackoffMs"), cfg.getInt64("delivery.maxAgeSeconds")};
  delivery_ = std::make_unique<pipeline::DeliveryWorker>(
      *journal_,
      [board_url, board_tls, board_timeout_ms]() -> std::unique_ptr<pipeline::BoardClient> {
        return std::make_unique<transport::HttpsBoardClient>(board_url, board_tls,
                                                             board_timeout_ms);
      },
      retry, cfg.getInt("delivery.workers"));
  translate_ = std::make_unique<pipeline::TranslateWorker>(
      *journal_, partners_.registry(), plugins_, schemas_, profiles_, delivery_->wakeup(),
      cfg.getInt("translate.workers"));
  translate_->useMappings(mappings_);
  const auto priority = pipeline::WorkerPriority::parse(cfg.getString("workers.nice"));
  delivery_->runAt(priority);
  translate_->runAt(priority);
  intake_ =
      std::make_unique<pipeline::IntakeCore>(*journal_, [this] { translate_->wakeup().notify(); });
  translate_->onOutcome([this](std::int64_t id, const pipeline::TranslationOutcome& outcome) {
    intake_->translated(id, outcome);
  });
  fhir_ = std::make_unique<pipeline::FhirIntake>(*intake_, partners_.registry(), plugins_,
                                                 mappings_, schemas_, profiles_);
  fhir_->limitBundleEntries(static_cast<std::size_t>(cfg.getUInt64("fhir.maxBundleEntries")));
  fhir_->limitBundleBytes(static_cast<std::size_t>(cfg.getUInt64("fhir.maxBundleBytes")));
  retention_ =
      std::make_unique<pipeline::RetentionWorker>(*journal_, cfg.getInt("store.retentionDays"));
  if (cfg.getInt("translate.workers") <= 0 || cfg.getInt("delivery.workers") <= 0) {
    // An intake-only instance: with a shared PostgreSQL journal other
    // instances translate and deliver what it records; with SQLite, the next
    // start with workers does.
    logger().warning(
        "translate.workers=%d delivery.workers=%d: what this instance records waits for "
        "an instance with workers",
        cfg.getInt("translate.workers"), cfg.getInt("delivery.workers"));
  }
}

void GatewayCore::reloadTls() {
  try {
    server_tls_->reload();
    logger().information("SIGHUP: TLS certificate, key, CA and CRLs reloaded for new connections");
  } catch (const std::exception& e) {
    logger().error("SIGHUP: TLS reload failed, the previous certificates stay: %s",
                   std::string(e.what()));
  }
  warnOfExpiry();
}

void GatewayCore::warnOfExpiry() {
  std::vector<security::HeldCertificate> held = server_tls_->certificates();
  for (const std::string& file : board_certificates_) {
    try {
      const auto more = security::certificatesIn(file);
      held.insert(held.end(), more.begin(), more.end());
    } catch (const std::exception& e) {
      logger().warning("certificate expiry check: %s", std::string(e.what()));
    }
  }
  for (const std::string& warning : security::expiryWarnings(
           held, std::chrono::system_clock::now(), std::chrono::hours(24 * expiry_warning_days_))) {
    logger().warning("%s", warning);
  }
}

void GatewayCore::start() {
  warnOfExpiry();
  // Senders told when another instance translated their message (shared
  // PostgreSQL journal), and forgotten once their connection closed.
  intake_->startOutcomePolling(1000);
  delivery_->start();
  translate_->start();
  retention_->start();
  reloader_.start();
  memory_.start();
}

void GatewayCore::stop() {
  translate_->stop();
  delivery_->stop();
  retention_->stop();
  reloader_.stop();
  memory_.stop();
}

}  // namespace rtw::app
