#include "gateway_config.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>

namespace rtw::app {
namespace {

constexpr int kDefaultsPriority = 100;
constexpr int kFilePriority = 50;
constexpr int kEnvironmentPriority = 20;
constexpr int kDefinitionsPriority = 10;

std::string environmentName(const std::string& key) {
  std::string name = "RTW_";
  for (char c : key) {
    name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

void rejectUnknownKeys(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
                       const std::string& source) {
  Poco::Util::AbstractConfiguration::Keys keys;
  config.keys(prefix, keys);
  for (const auto& key : keys) {
    const std::string full = prefix.empty() ? key : prefix + "." + key;
    if (config.hasOption(full) && gatewayDefaults().count(full) == 0) {
      throw std::runtime_error(source + ": unknown setting '" + full + "'");
    }
    rejectUnknownKeys(config, full, source);
  }
}

}  // namespace

const std::map<std::string, std::string>& gatewayDefaults() {
  static const std::map<std::string, std::string> defaults = {
      {"mllp.host", "127.0.0.1"},
      {"mllp.port", "2575"},
      {"mllp.maxFrameBytes", "16777216"},
      {"mllp.maxConnections", "64"},
      {"mllp.ioThreads", "0"},
      {"mllp.frameTimeoutMs", "30000"},
      {"mllp.idleTimeoutMs", "300000"},
      {"https.host", "127.0.0.1"},
      {"https.port", "8444"},
      {"https.baseUrl", ""},
      {"https.maxConnections", "64"},
      {"https.maxBodyBytes", "8388608"},
      {"https.requestTimeoutMs", "30000"},
      {"https.idleTimeoutMs", "15000"},
      {"fhir.maxBundleEntries", "1000"},
      {"fhir.maxBundleBytes", "4194304"},
      {"tls.certificate", "certs/dev/gateway.pem"},
      {"tls.privateKey", "certs/dev/gateway.key"},
      {"tls.ca", "certs/dev/ca.pem"},
      {"tls.crlDir", ""},
      {"tls.expiryWarningDays", "30"},
      {"board.url", "https://localhost:8443"},
      {"board.certificate", "certs/dev/gateway-client.pem"},
      {"board.privateKey", "certs/dev/gateway-client.key"},
      {"board.ca", "certs/dev/ca.pem"},
      {"board.timeoutMs", "10000"},
      {"store.backend", "sqlite"},
      {"store.path", "var/journal.sqlite"},
      {"store.postgresql", "host=127.0.0.1 port=5432 dbname=rtw user=rtw"},
      {"store.leaseMs", "30000"},
      {"store.checkpointIntervalMs", "1000"},
      {"store.walLimitPages", "16384"},
      {"store.groupCommit", "true"},
      {"store.maxPages", "0"},
      {"store.retentionDays", "0"},
      {"partners.dir", "conf/partners"},
      {"partners.pollMs", "2000"},
      {"plugins.dir", "build/plugins"},
      {"schemas.dir", "mappings/worksafe"},
      {"boards.dir", "conf/boards"},
      {"mappings.dir", "mappings"},
      {"mappings.pollMs", "2000"},
      {"mappings.maxValueBytes", "65536"},
      {"mappings.maxRepeatItems", "1000"},
      {"delivery.maxAttempts", "10"},
      {"delivery.workers", "4"},
      {"translate.workers", "2"},
      {"translate.maxAttempts", "3"},
      {"workers.nice", "idle"},
      {"delivery.baseBackoffMs", "500"},
      {"delivery.maxBackoffMs", "300000"},
      {"delivery.maxAgeSeconds", "259200"},
      {"logging.level", "information"},
      {"status.file", ""},
  };
  return defaults;
}

void loadGatewayConfig(Poco::Util::LayeredConfiguration& config, const std::filesystem::path& file,
                       const std::map<std::string, std::string>& definitions) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> defaults(new Poco::Util::MapConfiguration);
  for (const auto& [key, value] : gatewayDefaults()) {
    defaults->setString(key, value);
  }
  config.add(defaults, kDefaultsPriority);

  if (std::filesystem::exists(file)) {
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> properties(
        new Poco::Util::PropertyFileConfiguration(file.string()));
    rejectUnknownKeys(*properties, "", file.string());
    config.add(properties, kFilePriority);
  }

  Poco::AutoPtr<Poco::Util::MapConfiguration> environment(new Poco::Util::MapConfiguration);
  for (const auto& [key, value] : gatewayDefaults()) {
    if (const char* set = std::getenv(environmentName(key).c_str())) {
      environment->setString(key, set);
    }
  }
  config.add(environment, kEnvironmentPriority);

  Poco::AutoPtr<Poco::Util::MapConfiguration> defined(new Poco::Util::MapConfiguration);
  for (const auto& [key, value] : definitions) {
    if (gatewayDefaults().count(key) == 0) {
      throw std::runtime_error("-D" + key + ": unknown setting");
    }
    defined->setString(key, value);
  }
  config.add(defined, kDefinitionsPriority);
}

std::string pathSetting(const Poco::Util::AbstractConfiguration& config, const std::string& key,
                        const std::filesystem::path& home) {
  const std::filesystem::path value = config.getString(key);
  if (value.empty() || value.is_absolute()) {
    return value.string();
  }
  return (home / value).lexically_normal().string();
}

}  // namespace rtw::app
