#pragma once
// The HTTPS server every HTTP listener runs on (the board simulator now; the
// FHIR, upload and admin endpoints as handlers later): TLS 1.2+ with a client
// certificate required (security/tls.h), the caller resolved per request from
// the certificate and the request head before any body is read, routes by
// method and path, and limits on connections, headers, body size and time.
//
// POCO's TCPServer accepts and queues connections and runs each on a thread
// of the server's pool; POCO's HTTP session, request and response classes
// parse and write HTTP/1.1 (keep-alive, chunked bodies). The loop between
// requests is ours (src/https_connection.cpp) rather than POCO's
// HTTPServerConnection, which has no place for a whole-request deadline, a
// 431, or a refusal that reads no body.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <Poco/Net/Context.h>
#include <Poco/Net/X509Certificate.h>

#include "rtw/transport/https_exchange.h"

namespace rtw::transport {

struct HttpsServerOptions {
  /// For log lines ("board-sim", "partner"...).
  std::string name = "https";
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0 picks a free port
  /// Connections served at once, each on its own thread (a keep-alive
  /// connection holds its thread while open); more wait in a queue of
  /// max_queued, and beyond that a new connection is closed at once.
  int max_connections = 64;
  int max_queued = 64;
  /// Header fields of a request and its head's bytes (request line and
  /// fields): past either the answer is 431. POCO itself refuses more than
  /// 100 fields, a name over 256 or a value over 8,192 bytes (431 too) and a
  /// URI over 16,384 (400).
  int max_header_fields = 100;
  std::size_t max_header_bytes = 32 * 1024;
  /// A body past this (by its Content-Length before anything is read, or
  /// while a chunked body comes) is answered 413; a route may set its own.
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  /// From a request's first byte to its last (head and body), handlers'
  /// time aside: a slower request is answered 408 when its body is late, and
  /// its connection closed when its head is.
  int request_timeout_ms = 30'000;
  /// The wait for a request's first byte (the first on a connection, or the
  /// next on a kept-alive one) and for the client to take each write.
  int idle_timeout_ms = 15'000;
  bool keep_alive = true;
  int max_keep_alive_requests = 0;  // per connection; 0 = unlimited
  /// After an answer sent before the body was read (a refusal, 413...),
  /// what the client still sends is read and dropped for up to this long,
  /// so that its TCP stack does not reset the connection under the answer.
  int linger_ms = 2'000;
  /// stop(): how long requests in flight may take to finish before their
  /// connections are shut down.
  int stop_timeout_ms = 10'000;
};

/// The owner's answer to "who is this?": a refusal is sent with its status
/// and reason before any body is read, and the connection closed.
struct Refusal {
  int status = 403;
  std::string reason;
};
using IdentifyResult = std::variant<Caller, Refusal>;
/// Called per request with the client certificate (verified against the
/// server's CA by TLS) and the request head; request.body() is not there yet.
using IdentifyCaller =
    std::function<IdentifyResult(const Poco::Net::X509Certificate& peer, const Request& request)>;

/// Every client whose certificate TLS verified, by its subject CN.
IdentifyResult anyVerifiedClient(const Poco::Net::X509Certificate& peer, const Request& request);

/// A handler fills the response; an HttpError it throws is answered with its
/// status and text; any other exception is a 500 "internal error" and a log
/// line with the route and the exception's text (never the body: exception
/// texts hold no PHI, as everywhere in the gateway).
using Handler = std::function<void(Request& request, Response& response)>;

/// How a route's endpoint words a refusal the server makes for it once the
/// route is known (413 by Content-Length, an HttpError from the handler or
/// the body reader, 500): fills the response for that status and text (a
/// FHIR endpoint answers an OperationOutcome, in the format the request's
/// head asks for; its body may not have been read). Without one: plain text.
using RefusalWriter = std::function<void(const Request& request, Response& response, int status,
                                         const std::string& text)>;

struct RouteOptions {
  std::optional<std::size_t> max_body_bytes;  // instead of the server's
  RefusalWriter refusal;
};

class HttpsServer {
 public:
  /// Listens at once (throws naming the address when it is taken); serves
  /// after start().
  HttpsServer(HttpsServerOptions options, Poco::Net::Context::Ptr tls, IdentifyCaller identify);
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  /// `method` as sent ("GET"); `pattern` an exact path ("/health") or a
  /// prefix ending in "*" ("/documents/*"). The most specific pattern that
  /// matches wins; a path no pattern matches is 404, one whose patterns take
  /// other methods 405 with Allow. Before start() only.
  void route(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

  void start();
  /// Graceful: no new connections (the port is closed), idle keep-alive
  /// connections closed, requests in flight finish (answered with
  /// Connection: close) for up to stop_timeout_ms; then the rest are shut
  /// down. Returns once no connection thread is left. Idempotent.
  void stop();

  std::uint16_t port() const;
  /// Connections open now (a kept-alive one counts while it waits).
  int openConnections() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace rtw::transport
