#include "request_exchange.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <memory>
#include <typeinfo>

#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

namespace rtw::transport::detail {
namespace {

using Poco::Net::HTTPResponse;

/// The head's bytes as sent: request line and fields with their CRLFs.
std::size_t headBytes(const Poco::Net::HTTPRequest& head) {
  std::size_t bytes = head.getMethod().size() + head.getURI().size() + head.getVersion().size() + 4;
  for (const auto& [name, value] : head) {
    bytes += name.size() + value.size() + 4;
  }
  return bytes;
}

/// A Content-Length value: digits only, at most 18 of them.
std::optional<std::uint64_t> parseLength(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoull(text);
}

/// Percent-decoded, '+' a space (POCO's decode turns '+' only after a '?').
std::string decoded(std::string text) {
  std::replace(text.begin(), text.end(), '+', ' ');
  std::string out;
  Poco::URI::decode(text, out);
  return out;
}

/// name=value&... with both sides percent-decoded; throws Poco::SyntaxException.
Request::Fields parseQuery(const std::string& raw) {
  Request::Fields fields;
  std::size_t start = 0;
  while (start < raw.size()) {
    std::size_t end = raw.find('&', start);
    if (end == std::string::npos) {
      end = raw.size();
    }
    const std::string part = raw.substr(start, end - start);
    if (!part.empty()) {
      const std::size_t equals = part.find('=');
      fields.emplace_back(decoded(part.substr(0, equals)),
                          equals == std::string::npos ? "" : decoded(part.substr(equals + 1)));
    }
    start = end + 1;
  }
  return fields;
}

struct Target {
  std::string path;  // decoded
  std::string raw_query;
};

/// The path and query of a request target: origin-form ("/a/b?q") split
/// here (Poco::URI would take "//x/y" for a host), absolute-form
/// ("https://host/a") through Poco::URI. Throws Poco::SyntaxException.
Target splitTarget(const std::string& target) {
  Target split;
  if (!target.empty() && target.front() == '/') {
    const std::size_t question = target.find('?');
    Poco::URI::decode(target.substr(0, question), split.path);
    split.raw_query = question == std::string::npos ? "" : target.substr(question + 1);
    return split;
  }
  const Poco::URI uri(target);
  if (uri.getScheme() != "http" && uri.getScheme() != "https") {
    throw Poco::SyntaxException("not an origin-form or absolute-form target");
  }
  split.path = uri.getPath().empty() ? "/" : uri.getPath();
  split.raw_query = uri.getRawQuery();
  return split;
}

/// Why a handler's response cannot be sent as it is, or "".
std::string unsendable(const Response& response) {
  if (response.status < 200 || response.status > 599) {
    return "status " + std::to_string(response.status) + " is not a final HTTP status";
  }
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || name.find_first_of(":\r\n") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      return "header '" + name.substr(0, 40) + "' has a line break or no name";
    }
  }
  return "";
}

Request::Fields headerFields(const Poco::Net::HTTPRequest& head) {
  Request::Fields fields;
  fields.reserve(head.size());
  for (const auto& [name, value] : head) {
    fields.emplace_back(name, value);
  }
  return fields;
}

std::string typeName(const std::type_info& type) {
  int status = 0;
  const std::unique_ptr<char, decltype(&std::free)> name(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), &std::free);
  return status == 0 && name ? name.get() : type.name();
}

/// The exception in flight: its type and text.
std::string exceptionText() {
  try {
    throw;
  } catch (const Poco::Exception& e) {
    return typeName(typeid(e)) + ": " + e.displayText();
  } catch (const std::exception& e) {
    return typeName(typeid(e)) + ": " + e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

}  // namespace

RequestExchange::RequestExchange(ServerCore& core, ServerSession& session,
                                 Poco::Net::HTTPServerRequestImpl& head,
                                 Poco::Net::HTTPServerResponseImpl& out,
                                 const Poco::Net::X509Certificate& certificate,
                                 Clock::time_point began)
    : core_(core),
      session_(session),
      head_(head),
      out_(out),
      certificate_(certificate),
      began_(began) {}

bool RequestExchange::run() {
  const Answer answer = decide();
  if (!answer.send) {
    return false;
  }
  const bool keep_alive = !answer.close && !bodyLeftUnread() && core_.options.keep_alive &&
                          head_.getKeepAlive() && session_.canKeepAlive() &&
                          !core_.connections.stopping();
  if (!send(answer.response, keep_alive)) {
    return false;
  }
  if (!keep_alive && bodyLeftUnread() && answer.may_linger) {
    dropUnread(session_, std::chrono::milliseconds(core_.options.linger_ms));
  }
  return keep_alive;
}

RequestExchange::Answer RequestExchange::decide() {
  if (auto refused = checkHead()) {
    return *refused;
  }
  std::optional<Request> request;
  try {
    const Target target = splitTarget(head_.getURI());
    request.emplace(head_.getMethod(), target.path, 0, parseQuery(target.raw_query),
                    headerFields(head_), head_.clientAddress().toString());
  } catch (const Poco::SyntaxException&) {
    return plain(400, "the request target is not a valid URI", true);
  }
  if (auto refused = identify(*request)) {
    return *refused;
  }
  return dispatch(*request);
}

std::optional<RequestExchange::Answer> RequestExchange::identify(Request& request) {
  IdentifyResult who;
  try {
    who = core_.identify(certificate_, request);
  } catch (...) {
    core_.logger.error("https %s: identifying the caller of %s %s failed: %s", core_.options.name,
                       request.method(), request.path(), exceptionText());
    return plain(500, "internal error", true);
  }
  if (const auto* refusal = std::get_if<Refusal>(&who)) {
    return plain(refusal->status, refusal->reason, true);
  }
  request.setCaller(std::get<Caller>(std::move(who)));
  return std::nullopt;
}

RequestExchange::Answer RequestExchange::dispatch(Request& request) {
  const RouteMatch match = core_.routes.match(request.method(), request.path());
  if (std::holds_alternative<RouteNotFound>(match)) {
    return plain(404, "no such resource");
  }
  if (const auto* other = std::get_if<MethodNotAllowed>(&match)) {
    Answer answer = plain(405, "method not allowed here; allowed: " + other->allow);
    answer.response.set("Allow", other->allow);
    return answer;
  }
  const RouteFound found = std::get<RouteFound>(match);
  request.setRoutePrefix(found.prefix_length);
  const std::size_t limit =
      found.route->options.max_body_bytes.value_or(core_.options.max_body_bytes);
  if (!framing_.chunked && framing_.length > limit) {
    return refusal(*found.route, request, 413,
                   "the request body is larger than " + std::to_string(limit) + " bytes");
  }
  body_.emplace(session_, out_, head_.getExpectContinue(),
                framing_.chunked ? std::nullopt : std::optional<std::uint64_t>(framing_.length),
                limit, began_ + std::chrono::milliseconds(core_.options.request_timeout_ms),
                std::chrono::milliseconds(core_.options.idle_timeout_ms));
  request.attachBody(&*body_);
  return callHandler(*found.route, request);
}

std::optional<RequestExchange::Answer> RequestExchange::checkHead() {
  if (head_.getVersion() != Poco::Net::HTTPMessage::HTTP_1_1 &&
      head_.getVersion() != Poco::Net::HTTPMessage::HTTP_1_0) {
    return plain(400, "not an HTTP/1.1 request", true);
  }
  if (head_.size() > static_cast<std::size_t>(core_.options.max_header_fields) ||
      headBytes(head_) > core_.options.max_header_bytes) {
    return plain(431, "the request's header fields are too large", true);
  }
  const std::string coding = Poco::trim(head_.get("Transfer-Encoding", ""));
  bool has_length = false;
  for (const auto& [name, value] : head_) {
    if (Poco::icompare(name, "Content-Length") != 0) {
      continue;
    }
    const auto length = parseLength(Poco::trim(value));
    if (!length || (has_length && *length != framing_.length)) {
      return plain(400, "Content-Length is not one number", true);
    }
    has_length = true;
    framing_.length = *length;
  }
  if (head_.has("Transfer-Encoding")) {
    if (Poco::icompare(coding, "chunked") != 0) {
      return plain(501, "only the chunked transfer coding is supported", true);
    }
    if (has_length) {
      return plain(400, "Content-Length and Transfer-Encoding together", true);
    }
    framing_.chunked = true;
  }
  return std::nullopt;
}

RequestExchange::Answer RequestExchange::callHandler(const Route& route, Request& request) {
  Answer answer;
  try {
    route.handler(request, answer.response);
    if (const std::string why = unsendable(answer.response); !why.empty()) {
      core_.logger.error("https %s: %s %s (route %s): the handler's answer %s", core_.options.name,
                         request.method(), request.path(), route.pattern, why);
      return refusal(route, request, 500, "internal error");
    }
    return answer;
  } catch (const HttpError& e) {
    Answer refused = refusal(route, request, e.status(), e.what());
    refused.may_linger = e.status() != 408;
    return refused;
  } catch (const ClientGone& e) {
    core_.logger.debug("https %s: %s %s: the client went away: %s", core_.options.name,
                       request.method(), request.path(), std::string(e.what()));
    answer.send = false;
    return answer;
  } catch (...) {
    // The route and the exception's text; never the body or the query (a
    // search may name a patient).
    core_.logger.error("https %s: %s %s (route %s) from %s failed: %s", core_.options.name,
                       request.method(), request.path(), route.pattern, request.caller().id,
                       exceptionText());
    return refusal(route, request, 500, "internal error");
  }
}

bool RequestExchange::bodyLeftUnread() const {
  if (!framing_.chunked && framing_.length == 0) {
    return false;
  }
  return !body_ || !body_->finished();
}

bool RequestExchange::send(const Response& response, bool keep_alive) {
  try {
    out_.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(response.status));
    out_.setVersion(head_.getVersion());
    out_.setDate(Poco::Timestamp());
    for (const auto& [name, value] : response.headers) {
      out_.set(name, value);
    }
    out_.setKeepAlive(keep_alive);
    out_.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
    out_.sendBuffer(response.body.data(), response.body.size());
    return true;
  } catch (const Poco::Exception& e) {
    core_.logger.debug("https %s: answer not sent: %s", core_.options.name, e.displayText());
    return false;
  }
}

RequestExchange::Answer RequestExchange::refusal(const Route& route, const Request& request,
                                                 int status, const std::string& text) {
  if (!route.options.refusal) {
    return plain(status, text);
  }
  Answer answer;
  try {
    route.options.refusal(request, answer.response, status, text);
    answer.response.status = status;
  } catch (...) {
    return plain(status, text);
  }
  return answer;
}

RequestExchange::Answer RequestExchange::plain(int status, const std::string& text, bool close) {
  Answer answer;
  answer.response.reply(status, "text/plain; charset=utf-8", text + "\n");
  answer.close = close;
  return answer;
}

}  // namespace rtw::transport::detail
