// The partner HTTPS listener (https.port): clinic EMRs that speak FHIR R4
// under /fhir (the college uploads under /files come with their issue).
// Each request's partner comes from its client certificate through the one
// binding function every listener uses.

#include "gateway_core.h"
#include "rtw/transport/fhir_endpoint.h"
#include "rtw/transport/https_server.h"

namespace rtw::app {
namespace {

transport::HttpsServerOptions httpsOptions(const Poco::Util::AbstractConfiguration& cfg) {
  transport::HttpsServerOptions options;
  options.name = "partner-https";
  options.host = cfg.getString("https.host");
  options.port = static_cast<std::uint16_t>(cfg.getInt("https.port"));
  options.max_connections = cfg.getInt("https.maxConnections");
  options.max_body_bytes = static_cast<std::size_t>(cfg.getUInt64("https.maxBodyBytes"));
  options.request_timeout_ms = cfg.getInt("https.requestTimeoutMs");
  options.idle_timeout_ms = cfg.getInt("https.idleTimeoutMs");
  return options;
}

class PartnerHttpsListener final : public Listener {
 public:
  PartnerHttpsListener(const Poco::Util::AbstractConfiguration& cfg, GatewayCore& core)
      : options_(httpsOptions(cfg)),
        server_(options_, core.serverTls().context(),
                transport::partnerIdentifier(core.partners())) {
    std::string base = cfg.getString("https.baseUrl");
    if (base.empty()) {
      base = "https://" + (options_.host == "0.0.0.0" ? std::string("localhost") : options_.host) +
             ":" + std::to_string(server_.port()) + "/fhir";
    }
    transport::addFhirRoutes(server_, core.fhir(), base);
  }

  void start() override { server_.start(); }
  void stop() override { server_.stop(); }
  std::string statusLines() const override {
    return "https.port=" + std::to_string(server_.port()) + "\n";
  }
  std::string describe() const override {
    return "partner HTTPS (FHIR) on " + options_.host + ":" + std::to_string(server_.port());
  }

 private:
  transport::HttpsServerOptions options_;
  transport::HttpsServer server_;
};

}  // namespace

std::unique_ptr<Listener> makePartnerHttpsListener(const Poco::Util::AbstractConfiguration& cfg,
                                                   GatewayCore& core) {
  return std::make_unique<PartnerHttpsListener>(cfg, core);
}

}  // namespace rtw::app
