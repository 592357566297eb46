#include "rtw/transport/mllp_server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include <openssl/crypto.h>

#include <Poco/Logger.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureServerSocket.h>

#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/X509Certificate.h>
#include "rtw/security/tls.h"

#include "mllp_event_loop.h"

namespace rtw::transport {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.mllp"); }

using Clock = std::chrono::steady_clock;

/// A connection's first moments, on a thread of POCO's pool: the TLS
/// handshake (blocking, with its timeout) and the client certificate's
/// partner. An authenticated connection is then served by the event loop and
/// the thread is free for the next handshake.
class MllpConnection final : public Poco::Net::TCPServerConnection {
 public:
  MllpConnection(const Poco::Net::StreamSocket& socket, const MllpServerOptions& options,
                 const security::LivePartnerRegistry& partners, detail::MllpEventLoop& loop)
      : TCPServerConnection(socket), options_(options), partners_(partners), loop_(loop) {}

  void run() override {
    const std::string peer = socket().peerAddress().toString();
    try {
      Poco::Net::SecureStreamSocket secure(socket());
      if (auto binding = authenticate(secure, peer)) {
        loop_.adopt(secure, std::move(binding), peer);
      }
    } catch (const Poco::Exception& e) {
      logger().warning("connection from %s ended: %s", peer, e.displayText());
    } catch (const std::exception& e) {
      logger().error("connection from %s failed: %s", peer, std::string(e.what()));
    }
    // The pooled thread lives on: free OpenSSL's per-thread state now rather
    // than at thread exit (it is made again on the next connection).
    OPENSSL_thread_stop();
  }

 private:
  // The connection's binding, or nothing when it is closed here. A partner
  // without the mllp channel is served: intake answers its messages AR.
  std::unique_ptr<security::ConnectionBinding> authenticate(Poco::Net::SecureStreamSocket& secure,
                                                            const std::string& peer) {
    secure.setReceiveTimeout(Poco::Timespan(options_.handshake_timeout_ms * 1000LL));
    secure.setSendTimeout(Poco::Timespan(options_.handshake_timeout_ms * 1000LL));
    try {
      secure.completeHandshake();
    } catch (const Poco::Exception& e) {
      logger().warning("TLS handshake with %s failed: %s", peer, e.displayText());
      return nullptr;
    }
    if (!secure.havePeerCertificate()) {
      logger().warning("client %s presented no certificate", peer);
      return nullptr;
    }
    auto binding = std::make_unique<security::ConnectionBinding>(
        partners_, security::identityOf(secure.peerCertificate()), "mllp");
    const security::Binding& bound = binding->current();
    if (bound.partner == nullptr) {
      logger().warning("client %s certificate (%s) refused: %s", peer,
                       security::describe(binding->peer()), bound.explain());
      return nullptr;
    }
    logger().information("partner=%s connected from %s (%s)", bound.partner->id, peer,
                         bound.matched);
    return binding;
  }

  const MllpServerOptions& options_;
  const security::LivePartnerRegistry& partners_;
  detail::MllpEventLoop& loop_;
};

class MllpConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  MllpConnectionFactory(const MllpServerOptions& options,
                        const security::LivePartnerRegistry& partners,
                        const std::vector<std::unique_ptr<detail::MllpEventLoop>>& loops)
      : options_(options), partners_(partners), loops_(loops) {}

  /// Connections go to the loops in turn.
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    const std::size_t loop = next_.fetch_add(1) % loops_.size();
    return new MllpConnection(socket, options_, partners_, *loops_[loop]);
  }

 private:
  const MllpServerOptions& options_;
  const security::LivePartnerRegistry& partners_;
  const std::vector<std::unique_ptr<detail::MllpEventLoop>>& loops_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace

MllpServer::MllpServer(MllpServerOptions options, Poco::Net::Context::Ptr tls,
                       const security::LivePartnerRegistry& partners, pipeline::Hl7Intake& intake)
    : options_(std::move(options)) {
  const unsigned threads = options_.io_threads > 0
                               ? static_cast<unsigned>(options_.io_threads)
                               : std::max(1U, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) {
    loops_.push_back(std::make_unique<detail::MllpEventLoop>(options_, intake, open_connections_));
  }
  Poco::Net::SecureServerSocket socket =
      security::exclusiveListener(options_.host, options_.port, tls);
  auto* params = new Poco::Net::TCPServerParams;
  params->setMaxThreads(options_.max_connections);
  params->setMaxQueued(options_.max_connections);
  server_ = std::make_unique<Poco::Net::TCPServer>(
      new MllpConnectionFactory(options_, partners, loops_), socket, params);
}

MllpServer::~MllpServer() { stop(); }

void MllpServer::start() {
  for (auto& loop : loops_) {
    loop->start();
  }
  server_->start();
}

void MllpServer::stop() {
  if (!server_ || stopping_.exchange(true)) {
    return;
  }
  server_->stop();
  // Handshakes in progress end within their timeout; wait so that none
  // hands a connection to a stopped loop unnoticed.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (server_->currentConnections() > 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& loop : loops_) {
    loop->stop();  // writes the answers of commits in flight, then closes
  }
}

std::uint16_t MllpServer::port() const { return server_->socket().address().port(); }

}  // namespace rtw::transport
