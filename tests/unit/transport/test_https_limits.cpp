// The HTTPS server's limits over real loopback TLS: header fields and
// bytes, body size (declared and chunked), framing, a truncated body, and the
// answer a client still sending its body receives.

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <string>

#include "https_fixture.h"

using namespace rtw::transport;
using namespace rtw::transport::test;

namespace {

/// A server whose POST /upload answers with the body's size.
class UploadServer {
 public:
  explicit UploadServer(HttpsServerOptions options = testOptions()) : running_(options) {
    running_.server().route("POST", "/upload", [this](Request& request, Response& response) {
      ++handled;
      try {
        response.reply(200, "text/plain", std::to_string(request.body().readAll().size()));
      } catch (const ClientGone&) {
        ++gone;
        throw;
      }
    });
    running_.server().route(
        "POST", "/big",
        [](Request& request, Response& response) {
          response.reply(200, "text/plain", std::to_string(request.body().readAll().size()));
        },
        RouteOptions{5000, {}});
    running_.start();
  }
  std::uint16_t port() const { return running_.port(); }

  /// Sends `bytes` on a fresh connection and returns the answer's status (0: none).
  int statusFor(const std::string& bytes) {
    RawClient raw(port());
    raw.send(bytes);
    const auto reply = raw.receive(std::chrono::seconds(3));
    return reply ? reply->status : 0;
  }

  std::atomic<int> handled{0};
  std::atomic<int> gone{0};

 private:
  RunningServer running_;
};

std::string fields(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    text += "X-Field-" + std::to_string(i) + ": v\r\n";
  }
  return text;
}

std::string chunk(const std::string& data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

const std::string kPost = "POST /upload HTTP/1.1\r\nHost: x\r\n";

}  // namespace

TEST_CASE("header fields past the limits are answered 431, a broken head 400", "[https]") {
  HttpsServerOptions options = testOptions();
  options.max_header_fields = 10;
  options.max_header_bytes = 1024;
  UploadServer server(options);
  const std::string get = "GET /upload HTTP/1.1\r\n";

  // Host and 8 more: 9 fields; Host and 10 more: 11.
  CHECK(server.statusFor(get + "Host: x\r\n" + fields(8) + "\r\n") == 405);
  CHECK(server.statusFor(get + "Host: x\r\n" + fields(10) + "\r\n") == 431);
  CHECK(server.statusFor(get + "Host: x\r\nX-Big: " + std::string(1100, 'a') + "\r\n\r\n") == 431);
  // POCO's own limits, whatever ours: 100 fields, 8,192 bytes a value.
  CHECK(server.statusFor(get + fields(101) + "\r\n") == 431);
  CHECK(server.statusFor(get + "X-Huge: " + std::string(9000, 'a') + "\r\n\r\n") == 431);
  CHECK(server.statusFor("NOT HTTP AT ALL\r\n\r\n") == 400);
  CHECK(server.statusFor("GET /upload HTTP/2.0\r\nHost: x\r\n\r\n") == 400);
  CHECK(server.statusFor("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n") == 400);
  CHECK(server.handled == 0);

  RawClient raw(server.port());
  raw.send(get + "Host: x\r\n" + fields(10) + "\r\n");
  const auto reply = raw.receive();
  REQUIRE(reply);
  CHECK(reply->status == 431);
  CHECK_FALSE(reply->head.getKeepAlive());
  CHECK(raw.closedWithin(std::chrono::seconds(2)));
}

TEST_CASE(
    "a body over the limit is 413: by Content-Length before a byte is read, and while a chunked "
    "body comes",
    "[https]") {
  HttpsServerOptions options = testOptions();
  options.max_body_bytes = 1000;
  UploadServer server(options);

  // Declared too large: answered with no body sent.
  CHECK(server.statusFor(kPost + "Content-Length: 1001\r\n\r\n") == 413);
  CHECK(server.handled == 0);
  CHECK(server.statusFor(kPost + "Content-Length: 1000\r\n\r\n" + std::string(1000, 'a')) == 200);

  // Chunked: counted as it comes.
  const std::string chunked = kPost + "Transfer-Encoding: chunked\r\n\r\n";
  CHECK(server.statusFor(chunked + chunk(std::string(600, 'a')) + chunk(std::string(400, 'b')) +
                         "0\r\n\r\n") == 200);
  CHECK(server.statusFor(chunked + chunk(std::string(600, 'a')) + chunk(std::string(600, 'b')) +
                         "0\r\n\r\n") == 413);
  // A chunk announced past the limit is refused from its size line: its data never comes.
  CHECK(server.statusFor(chunked + "100000\r\n") == 413);
  CHECK(server.statusFor(chunked + "ffffffffffffffffff\r\n") == 400);  // overflows

  // A route with its own limit.
  const std::string big = "POST /big HTTP/1.1\r\nHost: x\r\n";
  CHECK(server.statusFor(big + "Content-Length: 4000\r\n\r\n" + std::string(4000, 'c')) == 200);
  CHECK(server.statusFor(big + "Content-Length: 5001\r\n\r\n") == 413);
}

TEST_CASE("a body that is not framed one clear way is refused", "[https]") {
  UploadServer server;
  CHECK(server.statusFor(kPost + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc") ==
        400);
  CHECK(server.statusFor(kPost + "Transfer-Encoding: gzip\r\n\r\n") == 501);
  CHECK(server.statusFor(kPost + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd") == 400);
  CHECK(server.statusFor(kPost + "Content-Length: -1\r\n\r\n") == 400);
  CHECK(server.statusFor(kPost + "Content-Length: abc\r\n\r\n") == 400);
  CHECK(server.statusFor(kPost + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc") == 200);
  CHECK(server.handled == 1);
  const std::string chunked = kPost + "Transfer-Encoding: chunked\r\n\r\n";
  CHECK(server.statusFor(chunked + "zz\r\nab\r\n0\r\n\r\n") == 400);
  CHECK(server.statusFor(chunked + "2\r\nabc\r\n0\r\n\r\n") == 400);  // the chunk is longer
  // No Content-Length and not chunked: no body (RFC 9112 6.3), not "until the end".
  CHECK(server.statusFor(kPost + "\r\n") == 200);
}

TEST_CASE("a body cut short by the client never reaches a handler as a whole body", "[https]") {
  UploadServer server;
  auto cutShort = [&](const std::string& bytes) {
    const int handled = server.handled;
    RawClient raw(server.port());
    raw.send(bytes);
    // Closed once the handler reads (a request whose client is gone before
    // its head is read is not even started: POCO asks for the peer's address).
    REQUIRE(waitUntil([&] { return server.handled == handled + 1; }));
  };
  cutShort(kPost + "Content-Length: 100\r\n\r\n" + std::string(10, 'a'));
  cutShort(kPost + "Transfer-Encoding: chunked\r\n\r\n" + chunk("abc"));
  CHECK(waitUntil([&] { return server.gone == 2; }));
}

TEST_CASE("an answer sent before the body was read reaches a client still sending it", "[https]") {
  HttpsServerOptions options = testOptions();
  options.max_body_bytes = 1000;
  options.linger_ms = 2'000;
  UploadServer server(options);
  RawClient raw(server.port());
  // 2 MB after a head the server refuses at once: without reading what is
  // still coming before it closes, the client's TCP stack would see a reset.
  raw.send(kPost + "Content-Length: 2000000\r\n\r\n" + std::string(2'000'000, 'x'));
  const auto reply = raw.receive();
  REQUIRE(reply);
  CHECK(reply->status == 413);
  CHECK(reply->body == "the request body is larger than 1000 bytes\n");
}
