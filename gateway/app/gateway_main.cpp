// rtw-gateway: the core (journal, workers, partners, mappings) and its
// listeners (MLLP/TLS, partner HTTPS for FHIR), wired from configuration.

#include <iostream>
#include <map>

#include <Poco/Exception.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include "gateway_config.h"
#include "gateway_core.h"
#include "logging.h"
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
  const PathSetting path = [&](const std::string& key) { return pathSetting(cfg, key, home_); };

  security::TlsLibrary tls_library;
  GatewayCore core(cfg, path);
  std::vector<std::unique_ptr<Listener>> listeners;
  listeners.push_back(makeMllpListener(cfg, core));
  listeners.push_back(makePartnerHttpsListener(cfg, core));

  core.start();
  std::string status;
  std::string where;
  for (const auto& listener : listeners) {
    listener->start();
    status += listener->statusLines();
    where += (where.empty() ? "" : ", ") + listener->describe();
  }
  logger().information("rtw-gateway listening for %s; journal %s; board %s", where,
                       core.journalName(), cfg.getString("board.url"));
  writeStatusFile(cfg.getString("status.file"), status);

  waitForTerminationRequest();
  logger().information("stopping: listeners, then workers");
  for (auto it = listeners.rbegin(); it != listeners.rend(); ++it) {
    (*it)->stop();
  }
  core.stop();
  logger().information("stopped");
  return EXIT_OK;
}

}  // namespace
}  // namespace rtw::app

POCO_SERVER_MAIN(rtw::app::GatewayApplication)
