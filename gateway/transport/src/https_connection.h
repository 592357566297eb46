#pragma once
// One connection of the HTTPS server, on a thread of its pool: the TLS
// handshake, then requests one after another (keep-alive) until the client
// closes, a limit is reached or the server stops.

#include <memory>
#include <optional>
#include <string>

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/X509Certificate.h>

#include "connection_table.h"
#include "https_routes.h"
#include "rtw/transport/https_server.h"

namespace rtw::transport::detail {

class ServerSession;

/// What every connection of one server shares (routes and options are read-only once started).
struct ServerCore {
  HttpsServerOptions options;
  IdentifyCaller identify;
  RouteTable routes;
  Poco::Net::HTTPServerParams::Ptr params;
  ConnectionTable connections;
  Poco::Logger& logger;
};

class HttpsConnection final : public Poco::Net::TCPServerConnection {
 public:
  HttpsConnection(const Poco::Net::StreamSocket& socket, ServerCore& core)
      : TCPServerConnection(socket), core_(core) {}
  void run() override;

 private:
  /// The handshake and the client certificate; false when refused.
  bool handshake(ConnectionTable::Slot& slot);
  /// Reads one request and answers it; false when the connection is to close.
  bool serveRequest(ServerSession& session, ConnectionTable::Slot& slot);

  ServerCore& core_;
  std::string peer_ = "a client";  // address, for logs
  std::optional<Poco::Net::X509Certificate> certificate_;
};

class HttpsConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  explicit HttpsConnectionFactory(ServerCore& core) : core_(core) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new HttpsConnection(socket, core_);
  }

 private:
  ServerCore& core_;
};

}  // namespace rtw::transport::detail
