#pragma once
// One request on the HTTPS server once its head is read, in the order that
// reads no body before it is wanted: the head's limits and framing, the
// caller (the owner's identify hook), the route, the body's declared size,
// then the handler with a bounded body reader; and the answer.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/X509Certificate.h>

#include "body_reader.h"
#include "https_connection.h"

namespace rtw::transport::detail {

class RequestExchange {
 public:
  using Clock = std::chrono::steady_clock;

  RequestExchange(ServerCore& core, ServerSession& session, Poco::Net::HTTPServerRequestImpl& head,
                  Poco::Net::HTTPServerResponseImpl& out,
                  const Poco::Net::X509Certificate& certificate, Clock::time_point began);

  /// Answers the request; true when the connection may carry another.
  bool run();

 private:
  struct Answer {
    Response response;
    bool close = false;      // close after it, whatever the body
    bool send = true;        // false: nobody to answer
    bool may_linger = true;  // false after a timeout: the client is too slow to wait for
  };
  struct Framing {
    bool chunked = false;
    std::uint64_t length = 0;  // when not chunked
  };

  Answer decide();
  std::optional<Answer> checkHead();
  /// The owner's hook: the caller set on the request, or the refusal.
  std::optional<Answer> identify(Request& request);
  /// The route, the declared body size, the handler.
  Answer dispatch(Request& request);
  Answer callHandler(const Route& route, Request& request);
  bool bodyLeftUnread() const;
  /// Sends the answer; false when the client is gone.
  bool send(const Response& response, bool keep_alive);
  static Answer plain(int status, const std::string& text, bool close = false);
  /// plain(), or as the route words its refusals (RouteOptions::refusal).
  static Answer refusal(const Route& route, const Request& request, int status,
                        const std::string& text);

  ServerCore& core_;
  ServerSession& session_;
  Poco::Net::HTTPServerRequestImpl& head_;
  Poco::Net::HTTPServerResponseImpl& out_;
  const Poco::Net::X509Certificate& certificate_;
  const Clock::time_point began_;
  Framing framing_;
  std::optional<StreamBodyReader> body_;
};

}  // namespace rtw::transport::detail
