#pragma once
// What a handler of the HTTPS server (https_server.h) sees and fills: the
// request as received (method, path, decoded query, headers, the caller the
// owner's identify hook resolved, a bounded body reader) and the response it
// answers with. No protocol of the endpoints (FHIR, uploads) belongs here.

#include <any>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtw::transport {

/// Who sent a request, as the owner's identify hook decided: an id for logs
/// (never PHI: a partner id, a certificate's subject) and whatever the
/// owner wants its handlers to have (a partner, an operator...).
struct Caller {
  std::string id;
  std::any data;
};

/// An error the server answers for a handler (or for the body reader): the
/// status and a one-line text for the client. 4xx are the client's doing and
/// are not logged as failures.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& text) : std::runtime_error(text), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

/// The connection failed while a request was read: there is nobody to answer.
class ClientGone : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The request body, read at most up to its limit and within the request's
/// deadline. Nothing is read before a handler asks; a 100-continue the
/// client expects is sent on the first read.
class BodyReader {
 public:
  virtual ~BodyReader() = default;
  /// Up to `size` bytes into `buffer`; 0 once the body is whole. Throws
  /// HttpError 413 past the limit (a chunked body too: counted as it
  /// comes), 408 past the request's deadline, 400 for broken chunking;
  /// ClientGone when the connection failed (nobody to answer).
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
  /// The whole body (same errors as read()).
  std::string readAll();
  /// The most this body may hold (the route's limit or the server's).
  virtual std::size_t limit() const = 0;
  /// Its Content-Length; empty for a chunked body.
  virtual std::optional<std::uint64_t> declaredSize() const = 0;
  /// True once read() returned 0: the connection may carry another request.
  virtual bool finished() const = 0;
};

/// A received request. Handlers get it by reference for the call only.
class Request {
 public:
  using Fields = std::vector<std::pair<std::string, std::string>>;

  Request(std::string method, std::string path, std::size_t route_prefix, Fields query,
          Fields headers, std::string client)
      : method_(std::move(method)),
        path_(std::move(path)),
        route_prefix_(route_prefix),
        query_(std::move(query)),
        headers_(std::move(headers)),
        client_(std::move(client)) {}

  const std::string& method() const { return method_; }
  /// The path, percent-decoded, without the query.
  const std::string& path() const { return path_; }
  /// What follows the matched route's prefix ("referral/k-1" for
  /// "/documents/referral/k-1" under "/documents/*"); empty for an exact route.
  std::string_view pathTail() const { return std::string_view(path_).substr(route_prefix_); }
  /// The query's parameters in order, names and values percent-decoded ('+' is a space).
  const Fields& query() const { return query_; }
  /// The first value of a query parameter.
  std::optional<std::string> queryParam(std::string_view name) const;
  /// The first value of a header (names compare without case).
  std::optional<std::string> header(std::string_view name) const;
  const Fields& headers() const { return headers_; }
  /// The peer's address ("127.0.0.1:50312"), for logs.
  const std::string& client() const { return client_; }

  const Caller& caller() const { return caller_; }
  /// The body; throws std::logic_error before the server attached one (in
  /// the identify hook, which must decide from the head alone).
  BodyReader& body() const;

  // Set by the server.
  void setCaller(Caller caller) { caller_ = std::move(caller); }
  void setRoutePrefix(std::size_t length) { route_prefix_ = length; }
  void attachBody(BodyReader* body) { body_ = body; }

 private:
  std::string method_;
  std::string path_;
  std::size_t route_prefix_;
  Fields query_;
  Fields headers_;
  std::string client_;
  Caller caller_;
  BodyReader* body_ = nullptr;
};

/// What a handler answers. The server adds Content-Length, Date and
/// Connection itself.
struct Response {
  int status = 200;
  Request::Fields headers;
  std::string body;

  /// Sets a header, replacing one of the same name.
  void set(std::string name, std::string value);
  /// status, Content-Type and body at once.
  void reply(int status_code, std::string content_type, std::string text);
};

}  // namespace rtw::transport
