// rtw-gateway: the MLLP/TLS listener, the journal and the translate and
// delivery workers, wired from configuration.

#include <iostream>
#include <map>

#include <Poco/Exception.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include "config_reloader.h"
#include "gateway_config.h"
#include "instance_lock.h"
#include "logging.h"
#include "memory_releaser.h"
#include "partner_reloader.h"
#include "rtw/pipeline/intake.h"
#include "rtw/pipeline/retention.h"
#include "rtw/pipeline/workers.h"
#include "rtw/plugin/host.h"
#include "rtw/security/partners.h"
#include "rtw/security/tls.h"
#include "rtw/store/journal.h"
#include "rtw/transport/board_client.h"
#include "rtw/transport/mllp_server.h"
#include "rtw/worksafe/schema.h"
#include "status_file.h"

namespace rtw::app {
namespace {

using Poco::Util::Option;

class GatewayApplication final : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(Option("help", "h", "print this help")
                          .callback(Poco::Util::OptionCallback<GatewayApplication>(
                              this, &GatewayApplication::onHelp)));
    options.addOption(Option("home", "", "gateway home: relative paths start here (default: cwd)")
                          .argument("DIR")
                          .callback(Poco::Util::OptionCallback<GatewayApplication>(
                              this, &GatewayApplication::onHome)));
    options.addOption(
        Option("config", "c", "properties file (default: HOME/conf/gateway.properties)")
            .argument("FILE")
            .callback(Poco::Util::OptionCallback<GatewayApplication>(
                this, &GatewayApplication::onConfig)));
    options.addOption(Option("define", "D", "override a setting: -Dkey=value")
                          .argument("KEY=VALUE")
                          .repeatable(true)
                          .callback(Poco::Util::OptionCallback<GatewayApplication>(
                              this, &GatewayApplication::onDefine)));
  }

  int main(const std::vector<std::string>&) override {
    if (help_) {
      return EXIT_OK;
    }
    const LogFlushOnExit flush_log;
    try {
      return serve();
    } catch (const std::exception& e) {
      // Control plane: fail fast, loudly, with the file or key in the message.
      std::cerr << "rtw-gateway: " << e.what() << std::endl;
      return EXIT_CONFIG;
    }
  }

 private:
  void onHelp(const std::string&, const std::string&) {
    help_ = true;
    Poco::Util::HelpFormatter formatter(options());
    formatter.setCommand(commandName());
    formatter.setUsage("[--home DIR] [--config FILE] [-Dkey=value]...");
    formatter.setHeader("RTW gateway: HL7 v2 over MLLP/TLS to WorkSafe documents at the board.");
    formatter.format(std::cout);
    stopOptionsProcessing();
  }
  void onHome(const std::string&, const std::string& value) { home_ = value; }
  void onConfig(const std::string&, const std::string& value) { config_file_ = value; }
  void onDefine(const std::string&, const std::string& value) {
    const auto equals = value.find('=');
    if (equals == std::string::npos) {
      throw Poco::InvalidArgumentException("-D needs key=value: " + value);
    }
    definitions_[value.substr(0, equals)] = value.substr(equals + 1);
  }

  int serve();

  bool help_ = false;
  std::filesystem::path home_ = std::filesystem::current_path();
  std::filesystem::path config_file_;
  std::map<std::string, std::string> definitions_;
};

int GatewayApplication::serve() {
  deferTerminationSignals();
  auto& cfg = config();
  loadGatewayConfig(cfg, config_file_.empty() ? home_ / "conf/gateway.properties" : config_file_,
                    definitions_);
  setUpLogging(cfg.getString("logging.level"));
  auto path = [&](const std::string& key) { return pathSetting(cfg, key, home_); };

  security::TlsLibrary tls_library;
  plugin::PluginHost plugins(path("plugins.dir"));
  // Every partner file, plugin and plugin setting checked: an error stops start-up.
  PartnerReloader partner_reloader(path("partners.dir"), plugins, path("mappings.dir"));
  security::LivePartnerRegistry& partners = partner_reloader.registry();
  auto schemas = worksafe::SchemaSet::load(path("schemas.dir"));
  auto profiles = worksafe::BoardProfiles::load(path("boards.dir"));
  mapping::MappingOptions mapping_options;
  mapping_options.max_value_bytes =
      static_cast<std::size_t>(cfg.getUInt64("mappings.maxValueBytes"));
  mapping_options.max_repeat_items =
      static_cast<std::size_t>(cfg.getUInt64("mappings.maxRepeatItems"));
  mapping::MappingRegistry mappings(schemas, mapping_options);
  for (const auto& [id, folder] : partner_reloader.mappingFolders()) {
    logger().information("partner %s maps with %s", id, folder.string());
  }
  mappings.load(partner_reloader.mappingFolders());  // a broken mapping stops start-up
  partner_reloader.useMappings(mappings);
  ConfigReloader reloader(partner_reloader, cfg.getInt("partners.pollMs"), mappings,
                          cfg.getInt("mappings.pollMs"));
  store::JournalOptions journal_options;
  journal_options.group_commit = cfg.getBool("store.groupCommit");
  journal_options.max_pages = cfg.getInt("store.maxPages");
  journal_options.lease_ms = cfg.getInt("store.leaseMs");
  journal_options.checkpoint_interval_ms = cfg.getInt("store.checkpointIntervalMs");
  journal_options.wal_limit_pages = cfg.getInt("store.walLimitPages");
  journal_options.translation_attempts = cfg.getInt("translate.maxAttempts");
  if (journal_options.translation_attempts < 1) {
    throw std::runtime_error("translate.maxAttempts must be at least 1");
  }
  const std::string backend = cfg.getString("store.backend");
  std::string journal_target = path("store.path");
  std::string journal_name = "SQLite " + journal_target;
  if (backend == "postgresql") {
    journal_options.backend = store::Backend::kPostgresql;
    journal_target = cfg.getString("store.postgresql");
    journal_name = "PostgreSQL (store.postgresql)";  // the string may hold a password
  } else if (backend != "sqlite") {
    throw std::runtime_error("store.backend must be sqlite or postgresql, not '" + backend + "'");
  }
  // SQLite serves one process: a second gateway on the same file stops here.
  std::optional<InstanceLock> journal_lock;
  if (journal_options.backend == store::Backend::kSqlite) {
    journal_lock.emplace(journal_target, "the journal");
  }
  store::Journal journal(journal_target, journal_options);

  const auto board_tls = security::clientContext(
      {path("board.certificate"), path("board.privateKey"), path("board.ca")});
  const std::string board_url = cfg.getString("board.url");
  const int board_timeout_ms = cfg.getInt("board.timeoutMs");
  pipeline::RetryPolicy retry{
      cfg.getInt("delivery.maxAttempts"), cfg.getInt("delivery.baseBackoffMs"),
      cfg.getInt("delivery.maxBackoffMs"), cfg.getInt64("delivery.maxAgeSeconds")};
  pipeline::DeliveryWorker delivery(
      journal,
      [&]() -> std::unique_ptr<pipeline::BoardClient> {
        return std::make_unique<transport::HttpsBoardClient>(board_url, board_tls,
                                                             board_timeout_ms);
      },
      retry, cfg.getInt("delivery.workers"));
  pipeline::TranslateWorker translate(journal, partners, plugins, schemas, profiles,
                                      delivery.wakeup(), cfg.getInt("translate.workers"));
  translate.useMappings(mappings);
  const auto worker_priority = pipeline::WorkerPriority::parse(cfg.getString("workers.nice"));
  delivery.runAt(worker_priority);
  translate.runAt(worker_priority);
  pipeline::IntakeCore intake_core(journal, [&translate] { translate.wakeup().notify(); });
  translate.onOutcome([&intake_core](std::int64_t id, const pipeline::TranslationOutcome& outcome) {
    intake_core.translated(id, outcome);
  });
  // Senders told when another instance translated their message (shared
  // PostgreSQL journal), and forgotten once their connection closed.
  intake_core.startOutcomePolling(1000);
  pipeline::Hl7Intake intake(intake_core);

  transport::MllpServerOptions mllp;
  mllp.host = cfg.getString("mllp.host");
  mllp.port = static_cast<std::uint16_t>(cfg.getInt("mllp.port"));
  mllp.max_frame_bytes = static_cast<std::size_t>(cfg.getUInt64("mllp.maxFrameBytes"));
  mllp.max_connections = cfg.getInt("mllp.maxConnections");
  mllp.io_threads = cfg.getInt("mllp.ioThreads");
  mllp.frame_timeout_ms = cfg.getInt("mllp.frameTimeoutMs");
  mllp.idle_timeout_ms = cfg.getInt("mllp.idleTimeoutMs");
  transport::MllpServer server(
      mllp,
      security::serverContext({path("tls.certificate"), path("tls.privateKey"), path("tls.ca")}),
      partners, intake);

  pipeline::RetentionWorker retention(journal, cfg.getInt("store.retentionDays"));
  MemoryReleaser memory;
  if (cfg.getInt("translate.workers") <= 0 || cfg.getInt("delivery.workers") <= 0) {
    // An intake-only instance: with a shared PostgreSQL journal other
    // instances translate and deliver what it records; with SQLite, the next
    // start with workers does.
    logger().warning(
        "translate.workers=%d delivery.workers=%d: what this instance records waits for "
        "an instance with workers",
        cfg.getInt("translate.workers"), cfg.getInt("delivery.workers"));
  }
  delivery.start();
  translate.start();
  retention.start();
  reloader.start();
  memory.start();
  server.start();
  logger().information("rtw-gateway listening for MLLP/TLS on %s:%hu; journal %s; board %s",
                       mllp.host, server.port(), journal_name, cfg.getString("board.url"));
  writeStatusFile(cfg.getString("status.file"),
                  "mllp.port=" + std::to_string(server.port()) + "\n");

  waitForTerminationRequest();
  logger().information("stopping: listener, then workers");
  server.stop();
  translate.stop();
  delivery.stop();
  retention.stop();
  reloader.stop();
  memory.stop();
  logger().information("stopped");
  return EXIT_OK;
}

}  // namespace
}  // namespace rtw::app

POCO_SERVER_MAIN(rtw::app::GatewayApplication)
