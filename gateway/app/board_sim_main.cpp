// rtw-board-sim: the board's document endpoint, for development and tests.

#include <filesystem>
#include <iostream>
#include <map>

#include <Poco/NumberParser.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include "instance_lock.h"
#include "logging.h"
#include "rtw/boardsim/board_simulator.h"
#include "rtw/security/tls.h"
#include "status_file.h"

namespace rtw::app {
namespace {

using Poco::Util::Option;

class BoardSimApplication final : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(Option("help", "h", "print this help")
                          .callback(Poco::Util::OptionCallback<BoardSimApplication>(
                              this, &BoardSimApplication::onHelp)));
    for (const auto& [name, text] : kSettings) {
      options.addOption(Option(name, "", text)
                            .argument("VALUE")
                            .callback(Poco::Util::OptionCallback<BoardSimApplication>(
                                this, &BoardSimApplication::onSetting)));
    }
  }

  int main(const std::vector<std::string>&) override {
    if (help_) {
      return EXIT_OK;
    }
    const LogFlushOnExit flush_log;
    try {
      return serve();
    } catch (const std::exception& e) {
      std::cerr << "rtw-board-sim: " << e.what() << std::endl;
      return EXIT_CONFIG;
    }
  }

 private:
  inline static const std::map<std::string, std::string> kSettings = {
      {"home", "relative paths start here (default: cwd)"},
      {"host", "address to listen on (default 127.0.0.1)"},
      {"port", "port to listen on, 0 for any free one (default 8443)"},
      {"store", "where accepted documents are kept (default var/board)"},
      {"cert", "server certificate (default certs/dev/board-sim.pem)"},
      {"key", "its private key (default certs/dev/board-sim.key)"},
      {"ca", "CA that client certificates must chain to (default certs/dev/ca.pem)"},
      {"schemas", "folder of the document XSDs (default mappings/worksafe)"},
      {"boards", "folder of the board profiles (default conf/boards)"},
      {"status-file", "write 'board.port=N' here once listening"},
      {"latency-ms", "answer each document this much later, as a board far away (default 0)"},
      {"log-level", "information, warning, debug... (default information)"},
  };

  void onHelp(const std::string&, const std::string&) {
    help_ = true;
    Poco::Util::HelpFormatter formatter(options());
    formatter.setCommand(commandName());
    formatter.setHeader("A stand-in for the board: validates and keeps WorkSafe documents (mTLS).");
    formatter.format(std::cout);
    stopOptionsProcessing();
  }
  void onSetting(const std::string& name, const std::string& value) { settings_[name] = value; }

  std::string setting(const std::string& name, const std::string& fallback) const {
    auto it = settings_.find(name);
    return it == settings_.end() ? fallback : it->second;
  }
  std::string path(const std::string& name, const std::string& fallback) const {
    const std::filesystem::path value = setting(name, fallback);
    return value.is_absolute() ? value.string()
                               : (std::filesystem::path(setting("home", ".")) / value).string();
  }

  int serve() {
    deferTerminationSignals();
    setUpLogging(setting("log-level", "information"));
    security::TlsLibrary tls_library;
    boardsim::BoardSimulatorOptions options;
    options.host = setting("host", "127.0.0.1");
    options.port =
        static_cast<std::uint16_t>(Poco::NumberParser::parseUnsigned(setting("port", "8443")));
    options.store_dir = path("store", "var/board");
    options.boards_dir = path("boards", "conf/boards");
    options.latency =
        std::chrono::milliseconds(Poco::NumberParser::parseUnsigned(setting("latency-ms", "0")));
    // One simulator per store: a second one would cut the first one's
    // documents when it stops.
    const InstanceLock store_lock(options.store_dir / "documents.log", "the board store");
    auto schemas = worksafe::SchemaSet::load(path("schemas", "mappings/worksafe"));
    boardsim::BoardSimulator simulator(
        options,
        security::serverContext({path("cert", "certs/dev/board-sim.pem"),
                                 path("key", "certs/dev/board-sim.key"),
                                 path("ca", "certs/dev/ca.pem")}),
        schemas);
    simulator.start();
    logger().information("rtw-board-sim listening on https://%s:%hu; accepted documents in %s",
                         options.host, simulator.port(), options.store_dir.string());
    writeStatusFile(setting("status-file", ""),
                    "board.port=" + std::to_string(simulator.port()) + "\n");
    waitForTerminationRequest();
    simulator.stop();
    logger().information("stopped");
    return EXIT_OK;
  }

  bool help_ = false;
  std::map<std::string, std::string> settings_;
};

}  // namespace
}  // namespace rtw::app

POCO_SERVER_MAIN(rtw::app::BoardSimApplication)
