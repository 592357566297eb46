#include "rtw/transport/mllp_server.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
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

#include "rtw/hl7v2/ack.h"
#include "rtw/hl7v2/mllp.h"

namespace rtw::transport {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.mllp"); }

using Clock = std::chrono::steady_clock;

/// The one way to a connection's TLS socket. ACK frames come from its own
/// thread (commit ACKs) and from the translate workers (application ACKs),
/// never interleaved and never after the connection closed; and since one
/// OpenSSL connection must not read and write from two threads at once,
/// reads take the same lock. While application ACKs are owed, a read waits
/// for bytes outside the lock (a poll first); with none owed (original mode,
/// or all answered) no other thread writes, and the read blocks under it.
class ConnectionAckSink final : public pipeline::AckSink {
 public:
  explicit ConnectionAckSink(Poco::Net::SecureStreamSocket& socket)
      : socket_(&socket), reader_(socket) {}

  /// Bytes received, 0 when the peer closed, -1 when none came within
  /// `timeout_ms` (the socket's receive timeout is the same).
  int receive(char* data, int size, int timeout_ms) {
    if (owed_ > 0 && reader_.available() == 0 &&
        !reader_.poll(Poco::Timespan(timeout_ms * 1000LL), Poco::Net::Socket::SELECT_READ)) {
      return -1;
    }
    std::lock_guard lock(mutex_);
    return reader_.receiveBytes(data, size);
  }

  // Raised by this connection's own thread (intake remembers the message)
  // before its next read, lowered by the translate worker that answered.
  void expectLater() override { ++owed_; }
  void laterDone() override { --owed_; }

  void send(const std::string& ack) override {
    const std::string frame = hl7v2::mllpFrame(ack);
    std::lock_guard lock(mutex_);
    if (socket_ == nullptr) {
      return;
    }
    try {
      std::size_t sent = 0;
      while (sent < frame.size()) {
        sent += static_cast<std::size_t>(
            socket_->sendBytes(frame.data() + sent, static_cast<int>(frame.size() - sent)));
      }
    } catch (const Poco::Exception& e) {
      logger().warning("could not send an ACK: %s", e.displayText());
      socket_ = nullptr;
    }
  }

  void close() {
    std::lock_guard lock(mutex_);
    socket_ = nullptr;
  }

 private:
  std::mutex mutex_;
  std::atomic<int> owed_{0};               // application ACKs other threads will send
  Poco::Net::SecureStreamSocket* socket_;  // for ACKs; null once closed
  Poco::Net::SecureStreamSocket& reader_;
};

class MllpConnection final : public Poco::Net::TCPServerConnection {
 public:
  MllpConnection(const Poco::Net::StreamSocket& socket, const MllpServerOptions& options,
                 const security::PartnerRegistry& partners, pipeline::Hl7Intake& intake,
                 const std::atomic<bool>& stopping)
      : TCPServerConnection(socket),
        options_(options),
        partners_(partners),
        intake_(intake),
        stopping_(stopping) {}

  void run() override {
    const std::string peer = socket().peerAddress().toString();
    try {
      Poco::Net::SecureStreamSocket secure(socket());
      const security::Partner* partner = authenticate(secure, peer);
      if (partner != nullptr) {
        serve(secure, *partner, peer);
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
  const security::Partner* authenticate(Poco::Net::SecureStreamSocket& secure,
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
    const std::string cn = secure.peerCertificate().commonName();
    const security::Partner* partner = partners_.byCertificate(cn);
    if (partner == nullptr) {
      logger().warning("client %s certificate CN '%s' is bound to no partner", peer, cn);
      return nullptr;
    }
    logger().information("partner=%s connected from %s", partner->id, peer);
    return partner;
  }

  void serve(Poco::Net::SecureStreamSocket& secure, const security::Partner& partner,
             const std::string& peer) {
    auto sink = std::make_shared<ConnectionAckSink>(secure);
    // Whatever ends the loop, no ACK is written to this socket afterwards.
    struct CloseOnExit {
      ConnectionAckSink& sink;
      ~CloseOnExit() { sink.close(); }
    } close_on_exit{*sink};
    serveFrames(secure, partner, peer, sink);
  }

  void serveFrames(Poco::Net::SecureStreamSocket& secure, const security::Partner& partner,
                   const std::string& peer, const std::shared_ptr<ConnectionAckSink>& sink) {
    constexpr int kPollMs = 1000;
    secure.setReceiveTimeout(Poco::Timespan(kPollMs * 1000LL));
    hl7v2::MllpFramer framer(options_.max_frame_bytes);
    std::vector<char> buffer(64 * 1024);
    auto last_bytes = Clock::now();
    auto frame_started = Clock::now();
    bool was_in_frame = false;
    for (;;) {
      int n = 0;
      try {
        n = sink->receive(buffer.data(), static_cast<int>(buffer.size()), kPollMs);
      } catch (const Poco::TimeoutException&) {
        n = -1;
      }
      const auto now = Clock::now();
      if (stopping_) {
        logger().information("partner=%s at %s: server stopping; closing", partner.id, peer);
        return;
      }
      if (n == 0) {
        logger().information("partner=%s at %s closed the connection", partner.id, peer);
        return;
      }
      if (n > 0) {
        last_bytes = now;
        framer.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
        if (!handleEvents(framer, *sink, sink, partner, peer)) {
          return;
        }
      }
      if (framer.inFrame() && !was_in_frame) {
        frame_started = now;
      }
      was_in_frame = framer.inFrame();
      if (was_in_frame &&
          now - frame_started > std::chrono::milliseconds(options_.frame_timeout_ms)) {
        logger().warning("partner=%s at %s: frame not completed within %d ms; closing", partner.id,
                         peer, options_.frame_timeout_ms);
        return;
      }
      if (now - last_bytes > std::chrono::milliseconds(options_.idle_timeout_ms)) {
        logger().information("partner=%s at %s idle; closing", partner.id, peer);
        return;
      }
    }
  }

  /// Answers every complete frame; false when the connection must close.
  bool handleEvents(hl7v2::MllpFramer& framer, ConnectionAckSink& writer,
                    const std::shared_ptr<ConnectionAckSink>& sink,
                    const security::Partner& partner, const std::string& peer) {
    while (std::optional<hl7v2::MllpEvent> event = framer.next()) {
      switch (event->kind) {
        case hl7v2::MllpEvent::Kind::kFrame:
          intake_.receive(partner, event->payload, sink);
          break;
        case hl7v2::MllpEvent::Kind::kOversize:
          // The payload holds the frame's first line: enough for MSA-2.
          logger().warning("partner=%s at %s sent a frame over %z bytes", partner.id, peer,
                           options_.max_frame_bytes);
          writer.send(hl7v2::buildRejectForUnparsed(
              event->payload, {"message exceeds the maximum frame size", "", 0, 0}, {},
              pipeline::newControlId(), pipeline::hl7Now()));
          break;
        case hl7v2::MllpEvent::Kind::kJunk:
          logger().warning("partner=%s at %s sent %s bytes outside an MLLP frame; closing",
                           partner.id, peer, event->payload);
          return false;
      }
    }
    return true;
  }

  const MllpServerOptions& options_;
  const security::PartnerRegistry& partners_;
  pipeline::Hl7Intake& intake_;
  const std::atomic<bool>& stopping_;
};

class MllpConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  MllpConnectionFactory(const MllpServerOptions& options, const security::PartnerRegistry& partners,
                        pipeline::Hl7Intake& intake, const std::atomic<bool>& stopping)
      : options_(options), partners_(partners), intake_(intake), stopping_(stopping) {}

  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new MllpConnection(socket, options_, partners_, intake_, stopping_);
  }

 private:
  const MllpServerOptions& options_;
  const security::PartnerRegistry& partners_;
  pipeline::Hl7Intake& intake_;
  const std::atomic<bool>& stopping_;
};

}  // namespace

MllpServer::MllpServer(MllpServerOptions options, Poco::Net::Context::Ptr tls,
                       const security::PartnerRegistry& partners, pipeline::Hl7Intake& intake)
    : options_(std::move(options)) {
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress(options_.host, options_.port), 64,
                                       tls);
  auto* params = new Poco::Net::TCPServerParams;
  params->setMaxThreads(options_.max_connections);
  params->setMaxQueued(options_.max_connections);
  server_ = std::make_unique<Poco::Net::TCPServer>(
      new MllpConnectionFactory(options_, partners, intake, stopping_), socket, params);
}

MllpServer::~MllpServer() { stop(); }

void MllpServer::start() { server_->start(); }

void MllpServer::stop() {
  if (!server_ || stopping_.exchange(true)) {
    return;
  }
  server_->stop();
  // Connections notice within one poll interval; wait so that none outlives
  // the intake and journal it uses.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (server_->currentConnections() > 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::uint16_t MllpServer::port() const { return server_->socket().address().port(); }

}  // namespace rtw::transport
