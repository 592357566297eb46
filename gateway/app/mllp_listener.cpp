// The MLLP/TLS listener: HL7 v2 senders, each connection bound to a partner
// by its certificate, each message through the HL7 adapter (Hl7Intake) into
// the core's intake.

#include <Poco/Util/Application.h>

#include "gateway_core.h"
#include "rtw/pipeline/intake.h"
#include "rtw/transport/mllp_server.h"

namespace rtw::app {
namespace {

transport::MllpServerOptions mllpOptions(const Poco::Util::AbstractConfiguration& cfg) {
  transport::MllpServerOptions mllp;
  mllp.host = cfg.getString("mllp.host");
  mllp.port = static_cast<std::uint16_t>(cfg.getInt("mllp.port"));
  mllp.max_frame_bytes = static_cast<std::size_t>(cfg.getUInt64("mllp.maxFrameBytes"));
  mllp.max_connections = cfg.getInt("mllp.maxConnections");
  mllp.io_threads = cfg.getInt("mllp.ioThreads");
  mllp.frame_timeout_ms = cfg.getInt("mllp.frameTimeoutMs");
  mllp.idle_timeout_ms = cfg.getInt("mllp.idleTimeoutMs");
  return mllp;
}

class MllpListener final : public Listener {
 public:
  MllpListener(const Poco::Util::AbstractConfiguration& cfg, GatewayCore& core)
      : options_(mllpOptions(cfg)),
        intake_(core.intake()),
        server_(options_, core.serverTls().context(), core.partners(), intake_) {}

  void start() override { server_.start(); }
  void stop() override { server_.stop(); }
  std::string statusLines() const override {
    return "mllp.port=" + std::to_string(server_.port()) + "\n";
  }
  std::string describe() const override {
    return "MLLP/TLS on " + options_.host + ":" + std::to_string(server_.port());
  }

 private:
  transport::MllpServerOptions options_;
  pipeline::Hl7Intake intake_;
  transport::MllpServer server_;
};

}  // namespace

std::unique_ptr<Listener> makeMllpListener(const Poco::Util::AbstractConfiguration& cfg,
                                           GatewayCore& core) {
  return std::make_unique<MllpListener>(cfg, core);
}

}  // namespace rtw::app
