#include "https_connection.h"

#include <chrono>
#include <memory>
#include <ostream>
#include <string>

#include <openssl/crypto.h>

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>

#include "body_reader.h"
#include "request_exchange.h"

namespace rtw::transport::detail {
namespace {

using Clock = std::chrono::steady_clock;

Poco::Timespan milliseconds(int ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms) * 1000);
}

/// 431 for POCO's own limits on header fields, 400 for any other broken head.
int statusForBrokenHead(const Poco::Net::MessageException& e) {
  const std::string& text = e.message();
  const bool fields = text.rfind("Too many header fields", 0) == 0 ||
                      text.rfind("Field name", 0) == 0 || text.rfind("Field value", 0) == 0;
  return fields ? 431 : 400;
}

void answerBrokenHead(ServerSession& session, int status) {
  Poco::Net::HTTPServerResponseImpl out(session);
  out.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
  out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  out.setKeepAlive(false);
  const std::string text = status == 431 ? "the request's header fields are too large\n"
                                         : "the request's head is malformed\n";
  out.setContentType("text/plain; charset=utf-8");
  out.setContentLength64(static_cast<Poco::Int64>(text.size()));
  // send(), not sendBuffer(): with no request attached POCO's sendBuffer()
  // writes the head alone.
  std::ostream& body = out.send();
  body << text;
  body.flush();
}

}  // namespace

void HttpsConnection::run() {
  try {
    peer_ = socket().peerAddress().toString();
    ServerSession session(socket(), core_.params);
    // Made after the session and gone before it: the watchdog never shuts
    // down a socket the session has closed (its number may be reused).
    const auto slot = core_.connections.open(socket().impl()->sockfd());
    if (slot && slot->busy() && handshake(*slot)) {
      while (slot->idle() && session.hasMoreRequests() && slot->busy() &&
             serveRequest(session, *slot)) {
      }
    }
  } catch (const Poco::Exception& e) {
    core_.logger.debug("https %s: connection from %s ended: %s", core_.options.name, peer_,
                       e.displayText());
  } catch (const std::exception& e) {
    core_.logger.error("https %s: connection from %s failed: %s", core_.options.name, peer_,
                       std::string(e.what()));
  }
  // The pooled thread lives on: free OpenSSL's per-thread state now.
  OPENSSL_thread_stop();
}

bool HttpsConnection::handshake(ConnectionTable::Slot& slot) {
  Poco::Net::SecureStreamSocket secure(socket());
  secure.setSendTimeout(milliseconds(core_.options.idle_timeout_ms));
  try {
    secure.completeHandshake();
  } catch (const Poco::Exception& e) {
    core_.logger.warning("https %s: TLS handshake with %s failed: %s", core_.options.name, peer_,
                         slot.timedOut() ? std::string("not done in time") : e.displayText());
    return false;
  }
  if (!secure.havePeerCertificate()) {
    core_.logger.warning("https %s: client %s presented no certificate", core_.options.name, peer_);
    return false;
  }
  certificate_.emplace(secure.peerCertificate());
  return true;
}

bool HttpsConnection::serveRequest(ServerSession& session, ConnectionTable::Slot& slot) {
  const auto began = Clock::now();
  session.setReadTimeout(std::chrono::milliseconds(core_.options.idle_timeout_ms));
  Poco::Net::HTTPServerResponseImpl out(session);
  std::unique_ptr<Poco::Net::HTTPServerRequestImpl> head;
  try {
    head = std::make_unique<Poco::Net::HTTPServerRequestImpl>(out, session, core_.params.get());
  } catch (const Poco::Net::NoMessageException&) {
    return false;  // the client closed between requests
  } catch (const Poco::Exception& e) {
    if (slot.timedOut()) {
      core_.logger.information("https %s: request head from %s not received within %d ms: closed",
                               core_.options.name, peer_, core_.options.request_timeout_ms);
    } else if (const auto* broken = dynamic_cast<const Poco::Net::MessageException*>(&e)) {
      answerBrokenHead(session, statusForBrokenHead(*broken));
      dropUnread(session, std::chrono::milliseconds(core_.options.linger_ms));
    } else if (dynamic_cast<const Poco::SyntaxException*>(&e) != nullptr) {
      answerBrokenHead(session, 400);  // a number POCO could not read (Content-Length)
      dropUnread(session, std::chrono::milliseconds(core_.options.linger_ms));
    } else {
      core_.logger.debug("https %s: request head not read: %s: %s", core_.options.name,
                         std::string(e.className()), e.displayText());
    }
    return false;
  }
  slot.headReceived();
  return RequestExchange(core_, session, *head, out, *certificate_, began).run();
}

}  // namespace rtw::transport::detail
