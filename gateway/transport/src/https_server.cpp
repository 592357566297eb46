#include "rtw/transport/https_server.h"

#include <stdexcept>

#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerParams.h>
#include <Poco/ThreadPool.h>

#include "https_connection.h"
#include "rtw/security/tls.h"

namespace rtw::transport {
namespace {

Poco::Timespan milliseconds(int ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms) * 1000);
}

void require(bool valid, const std::string& setting) {
  if (!valid) {
    throw std::invalid_argument("HTTPS server setting out of range: " + setting);
  }
}

const HttpsServerOptions& checked(const HttpsServerOptions& options) {
  require(options.max_connections >= 1, "max_connections (at least 1)");
  require(options.max_queued >= 1, "max_queued (at least 1)");
  require(options.max_header_fields >= 1 && options.max_header_fields <= 100,
          "max_header_fields (1 to 100, POCO's own limit)");
  require(options.max_header_bytes >= 256, "max_header_bytes (at least 256)");
  require(options.request_timeout_ms >= 1, "request_timeout_ms (at least 1)");
  require(options.idle_timeout_ms >= 1, "idle_timeout_ms (at least 1)");
  require(options.max_keep_alive_requests >= 0, "max_keep_alive_requests (0 or more)");
  require(options.linger_ms >= 0, "linger_ms (0 or more)");
  require(options.stop_timeout_ms >= 0, "stop_timeout_ms (0 or more)");
  return options;
}

Poco::Net::HTTPServerParams::Ptr httpParams(const HttpsServerOptions& options) {
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setTimeout(milliseconds(options.idle_timeout_ms));
  params->setKeepAlive(options.keep_alive);
  params->setKeepAliveTimeout(milliseconds(options.idle_timeout_ms));
  params->setMaxKeepAliveRequests(options.max_keep_alive_requests);
  return params;
}

}  // namespace

class HttpsServer::Impl {
 public:
  Impl(HttpsServerOptions options, Poco::Net::Context::Ptr tls, IdentifyCaller identify)
      : core_{checked(options),
              std::move(identify),
              {},
              httpParams(options),
              detail::ConnectionTable(std::chrono::milliseconds(options.request_timeout_ms)),
              Poco::Logger::get("rtw.https")},
        listener_(security::exclusiveListener(options.host, options.port, std::move(tls),
                                              options.max_queued)),
        port_(listener_.address().port()),
        threads_("rtw-https", 2, options.max_connections) {
    if (!core_.identify) {
      throw std::invalid_argument("the HTTPS server needs an identify hook");
    }
    Poco::Net::TCPServerParams::Ptr params = new Poco::Net::TCPServerParams;
    params->setMaxThreads(options.max_connections);
    params->setMaxQueued(options.max_queued);
    server_ = std::make_unique<Poco::Net::TCPServer>(new detail::HttpsConnectionFactory(core_),
                                                     threads_, listener_, params);
  }

  ~Impl() { stop(); }

  void route(std::string method, std::string pattern, Handler handler, RouteOptions options) {
    if (started_) {
      throw std::logic_error("routes are added before the HTTPS server starts");
    }
    core_.routes.add(std::move(method), std::move(pattern), std::move(handler), options);
  }

  void start() {
    if (started_ || stopped_) {
      throw std::logic_error("an HTTPS server starts once, before it is stopped");
    }
    started_ = true;
    server_->start();
  }

  void stop() {
    if (stopped_) {
      return;
    }
    stopped_ = true;
    core_.connections.beginStop();  // idle connections close now
    server_->stop();                // no more accepted; queued ones dropped
    listener_.close();              // connecting is refused
    if (!core_.connections.waitUntilEmpty(
            std::chrono::milliseconds(core_.options.stop_timeout_ms))) {
      core_.logger.warning("https %s: %d connection(s) still busy %d ms after stop; shut down",
                           core_.options.name, core_.connections.size(),
                           core_.options.stop_timeout_ms);
      core_.connections.shutDownAll();
    }
    threads_.joinAll();
  }

  std::uint16_t port() const { return port_; }
  int openConnections() const { return core_.connections.size(); }

 private:
  detail::ServerCore core_;
  Poco::Net::SecureServerSocket listener_;
  std::uint16_t port_;
  Poco::ThreadPool threads_;
  std::unique_ptr<Poco::Net::TCPServer> server_;  // last: gone first
  bool started_ = false;
  bool stopped_ = false;
};

HttpsServer::HttpsServer(HttpsServerOptions options, Poco::Net::Context::Ptr tls,
                         IdentifyCaller identify)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(tls), std::move(identify))) {}

HttpsServer::~HttpsServer() = default;

void HttpsServer::route(std::string method, std::string pattern, Handler handler,
                        RouteOptions options) {
  impl_->route(std::move(method), std::move(pattern), std::move(handler), options);
}

void HttpsServer::start() { impl_->start(); }
void HttpsServer::stop() { impl_->stop(); }
std::uint16_t HttpsServer::port() const { return impl_->port(); }
int HttpsServer::openConnections() const { return impl_->openConnections(); }

IdentifyResult anyVerifiedClient(const Poco::Net::X509Certificate& peer, const Request&) {
  return Caller{peer.commonName(), {}};
}

}  // namespace rtw::transport
