#pragma once
// What every listener of rtw-gateway shares, built once from configuration:
// the partners and their plugins, the board documents' schemas and profiles,
// the mappings (partners and mappings kept current by a reloader), the journal and the workers
// that move its rows along (translate, delivery, retention), and the
// channel-neutral intake core the listeners' format adapters record through.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <Poco/Util/AbstractConfiguration.h>

#include "config_reloader.h"
#include "instance_lock.h"
#include "memory_releaser.h"
#include "partner_reloader.h"
#include "rtw/mapping/registry.h"
#include "rtw/pipeline/fhir_intake.h"
#include "rtw/pipeline/intake_core.h"
#include "rtw/pipeline/retention.h"
#include "rtw/pipeline/workers.h"
#include "rtw/plugin/host.h"
#include "rtw/security/partners.h"
#include "rtw/security/server_tls.h"
#include "rtw/security/tls.h"
#include "rtw/store/journal.h"
#include "rtw/worksafe/board_profiles.h"
#include "rtw/worksafe/schema.h"

namespace rtw::app {

/// A setting holding a path, relative to the gateway's home.
using PathSetting = std::function<std::string(const std::string& key)>;

class GatewayCore {
 public:
  /// Loads and checks everything (a broken partner, plugin, mapping or
  /// schema stops start-up with the file in the message); starts nothing.
  GatewayCore(const Poco::Util::AbstractConfiguration& cfg, const PathSetting& path);
  GatewayCore(const GatewayCore&) = delete;
  GatewayCore& operator=(const GatewayCore&) = delete;

  /// The workers, the reloader and the memory releaser; listeners start after.
  void start();
  /// After the listeners stopped: nothing is recorded any more.
  void stop();

  /// The registry in force (replaced by a reload; listeners bind through it).
  const security::LivePartnerRegistry& partners() { return partners_.registry(); }
  pipeline::IntakeCore& intake() { return *intake_; }
  /// The FHIR adapter on the same intake (maps and validates in the request).
  pipeline::FhirIntake& fhir() { return *fhir_; }
  /// The certificate, key, CA and CRLs every listener presents and checks
  /// (read again on SIGHUP; security/server_tls.h).
  security::ServerTls& serverTls() { return *server_tls_; }
  /// Where the journal is, for the log ("SQLite FILE" or "PostgreSQL ...").
  const std::string& journalName() const { return journal_name_; }

 private:
  plugin::PluginHost plugins_;
  PartnerReloader partners_;
  std::shared_ptr<const worksafe::SchemaSet> schemas_;
  std::shared_ptr<const worksafe::BoardProfiles> profiles_;
  mapping::MappingRegistry mappings_;
  ConfigReloader reloader_;
  std::unique_ptr<security::ServerTls> server_tls_;
  std::vector<std::string> board_certificates_;  // the client certificate and CA towards the board
  int expiry_warning_days_ = 30;
  std::string journal_name_;
  std::optional<InstanceLock> journal_lock_;  // SQLite serves one process
  std::unique_ptr<store::Journal> journal_;
  void reloadTls();
  void warnOfExpiry();
  std::unique_ptr<pipeline::DeliveryWorker> delivery_;
  std::unique_ptr<pipeline::TranslateWorker> translate_;
  std::unique_ptr<pipeline::IntakeCore> intake_;
  std::unique_ptr<pipeline::FhirIntake> fhir_;
  std::unique_ptr<pipeline::RetentionWorker> retention_;
  MemoryReleaser memory_;
};

/// A listener the gateway runs on the core: MLLP/TLS today; the partner
/// HTTPS (FHIR, files) and admin listeners are others.
class Listener {
 public:
  virtual ~Listener() = default;
  virtual void start() = 0;
  /// Refuses new connections and lets the open ones end; returns when done.
  virtual void stop() = 0;
  /// "KEY=PORT" lines for the status file (the bound ports, for port 0).
  virtual std::string statusLines() const = 0;
  /// For the start-up log line: what it listens for, and where.
  virtual std::string describe() const = 0;
};

/// The partner HTTPS listener (https.port): FHIR R4 under /fhir.
std::unique_ptr<Listener> makePartnerHttpsListener(const Poco::Util::AbstractConfiguration& cfg,
                                                   GatewayCore& core);

std::unique_ptr<Listener> makeMllpListener(const Poco::Util::AbstractConfiguration& cfg,
                                           GatewayCore& core);

}  // namespace rtw::app
