// The HTTPS server over real loopback TLS with the dev certificates: who
// gets through (client certificate, identify hook), where a request goes
// (routes, 404, 405), what a handler sees and what a failing one answers.

#include <catch2/catch.hpp>

#include <any>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "https_fixture.h"

using namespace rtw::transport;
using namespace rtw::transport::test;

namespace {

/// "name=value" lines: what the handler saw.
void echo(Request& request, Response& response) {
  std::string seen = "method=" + request.method() + "\npath=" + request.path() +
                     "\ntail=" + std::string(request.pathTail()) +
                     "\ncaller=" + request.caller().id + "\n";
  for (const auto& [name, value] : request.query()) {
    seen += "query " + name + "=" + value + "\n";
  }
  seen += "x-test=" + request.header("x-TEST").value_or("(none)") + "\n";
  seen += "body=" + request.body().readAll() + "\n";
  response.reply(200, "text/plain", seen);
}

}  // namespace

TEST_CASE("a request with a valid client certificate reaches its route with the caller",
          "[https]") {
  std::atomic<int> identified{0};
  RunningServer running(
      testOptions(),
      [&](const Poco::Net::X509Certificate& peer, const Request& request) -> IdentifyResult {
        ++identified;
        // The hook decides from the head: the body is not there yet.
        CHECK_THROWS_AS(request.body(), std::logic_error);
        return Caller{"partner:" + peer.commonName(), std::any(42)};
      });
  running.server().route("GET", "/things/*", echo);
  running.server().route("POST", "/things/*", [](Request& request, Response& response) {
    CHECK(std::any_cast<int>(request.caller().data) == 42);
    echo(request, response);
  });
  running.start();

  const Reply got = request(running.port(), "GET", "/things/a%20b/c?q=x+y&name=%C3%A9&flag");
  CHECK(got.status == 200);
  CHECK_THAT(got.body, Catch::Contains("method=GET\npath=/things/a b/c\ntail=a b/c\n"));
  CHECK_THAT(got.body, Catch::Contains("caller=partner:rtw-gateway\n"));
  CHECK_THAT(got.body, Catch::Contains("query q=x y\nquery name=\xC3\xA9\nquery flag=\n"));

  const Reply posted = request(running.port(), "POST", "/things/x", "<doc>sized</doc>");
  CHECK(posted.status == 200);
  CHECK_THAT(posted.body, Catch::Contains("body=<doc>sized</doc>\n"));
  const Reply chunked = request(running.port(), "POST", "/things/x", "<doc>chunked</doc>", true);
  CHECK(chunked.status == 200);
  CHECK_THAT(chunked.body, Catch::Contains("body=<doc>chunked</doc>\n"));
  CHECK(identified == 3);

  // Headers come through by name, whatever their case; "//" starts a path,
  // not a host; an absolute-form target gives its path.
  RawClient raw(running.port());
  raw.send("GET /things//h HTTP/1.1\r\nHost: x\r\nX-Test: yes\r\n\r\n");
  const auto headed = raw.receive();
  REQUIRE(headed);
  CHECK_THAT(headed->body, Catch::Contains("path=/things//h\n"));
  CHECK_THAT(headed->body, Catch::Contains("x-test=yes\n"));
  raw.send("GET https://localhost/things/abs?a=1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
  const auto absolute = raw.receive();
  REQUIRE(absolute);
  CHECK_THAT(absolute->body, Catch::Contains("path=/things/abs\ntail=abs\n"));
  CHECK_THAT(absolute->body, Catch::Contains("query a=1\n"));
}

TEST_CASE("a client without a certificate is refused in the TLS handshake", "[https]") {
  std::atomic<int> reached{0};
  RunningServer running(testOptions(), [&](const auto& peer, const auto& request) {
    ++reached;
    return anyVerifiedClient(peer, request);
  });
  running.server().route("GET", "/", [&](Request&, Response& response) {
    ++reached;
    response.reply(200, "text/plain", "hello\n");
  });
  running.start();

  bool answered = false;
  try {
    RawClient raw(running.port(), clientTlsWithoutCertificate());
    raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    answered = raw.receive(std::chrono::seconds(3)).has_value();
  } catch (const Poco::Exception&) {
    // TLS 1.2 fails the handshake at once; TLS 1.3 on the client's first read.
  }
  CHECK_FALSE(answered);
  CHECK(reached == 0);
  // A client with a certificate still gets through.
  CHECK(request(running.port(), "GET", "/").status == 200);
}

TEST_CASE(
    "a caller the identify hook refuses gets the status and reason before any body is read, "
    "and the connection is closed",
    "[https]") {
  std::atomic<int> handled{0};
  RunningServer running(testOptions(), [](const auto&, const Request& request) -> IdentifyResult {
    if (request.header("X-Who").value_or("") != "friend") {
      return Refusal{403, "this certificate is bound to no partner"};
    }
    return Caller{"friend", {}};
  });
  running.server().route("POST", "/upload", [&](Request& request, Response& response) {
    ++handled;
    response.reply(200, "text/plain", request.body().readAll());
  });
  running.start();

  RawClient raw(running.port());
  // A head announcing 100 KB that never comes: only an answer that reads no
  // body can arrive.
  raw.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
  const auto refused = raw.receive(std::chrono::seconds(2));
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK(refused->body == "this certificate is bound to no partner\n");
  CHECK_FALSE(refused->head.getKeepAlive());
  CHECK(raw.closedWithin(std::chrono::seconds(3)));
  CHECK(handled == 0);

  // With Expect: 100-continue the client is told no before it sends a byte.
  RawClient expecting(running.port());
  expecting.send(
      "POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  const auto answer = expecting.receive(std::chrono::seconds(2));
  REQUIRE(answer);
  CHECK(answer->status == 403);

  // A friend with Expect: 100-continue is asked for the body, then answered.
  RawClient welcome(running.port());
  welcome.send(
      "POST /upload HTTP/1.1\r\nHost: x\r\nX-Who: friend\r\nExpect: 100-continue\r\n"
      "Content-Length: 5\r\n\r\n");
  const auto go_on = welcome.receive(std::chrono::seconds(2));
  REQUIRE(go_on);
  CHECK(go_on->status == 100);
  welcome.send("hello");
  const auto done = welcome.receive(std::chrono::seconds(2));
  REQUIRE(done);
  CHECK(done->status == 200);
  CHECK(done->body == "hello");
  CHECK(handled == 1);
}

TEST_CASE("an unknown path is 404, a known one with another method 405 with Allow", "[https]") {
  RunningServer running;
  auto named = [](std::string name) {
    return [name](Request& request, Response& response) {
      response.reply(200, "text/plain", name + " " + std::string(request.pathTail()));
    };
  };
  running.server().route("GET", "/documents/*", named("list"));
  running.server().route("POST", "/documents/*", named("post"));
  running.server().route("GET", "/documents/special", named("special"));
  running.server().route("DELETE", "/sim/faults", named("clear"));
  running.start();

  auto client = session(running.port());
  CHECK(exchange(*client, "GET", "/nowhere").status == 404);
  CHECK(exchange(*client, "GET", "/documentsX").status == 404);
  // The most specific pattern for the method wins.
  CHECK(exchange(*client, "GET", "/documents/special").body == "special ");
  CHECK(exchange(*client, "GET", "/documents/referral/k").body == "list referral/k");
  CHECK(exchange(*client, "POST", "/documents/special", "x").body == "post special");
  const Reply put = exchange(*client, "PUT", "/documents/referral", "x");
  CHECK(put.status == 405);
  CHECK(put.head.get("Allow", "") == "GET, POST");
  const Reply get = exchange(*client, "GET", "/sim/faults");
  CHECK(get.status == 405);
  CHECK(get.head.get("Allow", "") == "DELETE");
  // None of these closed the connection: the bodies were read or absent.
  CHECK(exchange(*client, "GET", "/documents/x").status == 200);

  // Routes are fixed once serving.
  CHECK_THROWS_AS(running.server().route("GET", "/late", named("late")), std::logic_error);
}

TEST_CASE("routes and settings that cannot work are refused when they are given", "[https]") {
  HttpsServerOptions options = testOptions();
  HttpsServer server(options, serverTls(), anyVerifiedClient);
  auto handler = [](Request&, Response&) {};
  CHECK_THROWS_AS(server.route("GET", "relative", handler), std::invalid_argument);
  CHECK_THROWS_AS(server.route("", "/x", handler), std::invalid_argument);
  server.route("GET", "/x", handler);
  CHECK_THROWS_AS(server.route("GET", "/x", handler), std::invalid_argument);

  options.max_header_fields = 101;
  CHECK_THROWS_WITH(HttpsServer(options, serverTls(), anyVerifiedClient),
                    Catch::Contains("max_header_fields"));
  options = testOptions();
  options.max_connections = 0;
  CHECK_THROWS_WITH(HttpsServer(options, serverTls(), anyVerifiedClient),
                    Catch::Contains("max_connections"));
}

TEST_CASE("keep-alive: two requests on one connection, and a limit per connection", "[https]") {
  HttpsServerOptions options = testOptions();
  options.max_keep_alive_requests = 3;
  RunningServer running(options);
  std::mutex mutex;
  std::vector<std::string> clients;
  running.server().route("GET", "/who", [&](Request& request, Response& response) {
    const std::lock_guard lock(mutex);
    clients.push_back(request.client());
    response.reply(200, "text/plain", "ok");
  });
  running.start();

  RawClient raw(running.port());
  raw.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\nGET /who HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto first = raw.receive();
  const auto second = raw.receive();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->head.getKeepAlive());
  CHECK(second->status == 200);
  raw.send("GET /who HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto third = raw.receive();
  REQUIRE(third);
  CHECK_FALSE(third->head.getKeepAlive());  // the third of three says so
  CHECK(raw.closedWithin(std::chrono::seconds(2)));
  REQUIRE(clients.size() == 3);
  CHECK(clients[0] == clients[1]);  // the same client address and port
  CHECK(clients[1] == clients[2]);
  CHECK(clients[0].substr(clients[0].rfind(':') + 1) == std::to_string(raw.localPort()));

  // A client asking for close gets it.
  RawClient closing(running.port());
  closing.send("GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto closed = closing.receive();
  REQUIRE(closed);
  CHECK_FALSE(closed->head.getKeepAlive());
  CHECK(closing.closedWithin(std::chrono::seconds(2)));
}

TEST_CASE(
    "a handler that throws gets 500 with a neutral text and a log line without the body or "
    "the query",
    "[https]") {
  RunningServer running;
  running.server().route("POST", "/fail", [](Request& request, Response&) {
    request.body().readAll();
    throw std::runtime_error("boom in the handler");
  });
  running.server().route("POST", "/refuse",
                         [](Request&, Response&) { throw HttpError(409, "already there"); });
  running.server().route("GET", "/no-status",
                         [](Request&, Response& response) { response.status = 0; });
  running.server().route("GET", "/split", [](Request&, Response& response) {
    response.set("X-Receipt", "R1\r\nSet-Cookie: x=1");
  });
  running.start();
  const CapturedLog log;

  auto client = session(running.port());
  const Reply failed = exchange(*client, "POST", "/fail?name=Smith", "PID|Jane Smith|9698658215");
  CHECK(failed.status == 500);
  CHECK(failed.body == "internal error\n");
  REQUIRE(waitUntil([&] { return log.text().find("boom") != std::string::npos; }));
  CHECK_THAT(log.text(), Catch::Contains("POST /fail (route /fail) from rtw-gateway failed: "
                                         "std::runtime_error: boom in the handler"));
  CHECK_THAT(log.text(), !Catch::Contains("Smith") && !Catch::Contains("9698658215"));

  const Reply refused = exchange(*client, "POST", "/refuse", "x");
  CHECK(refused.status == 409);
  CHECK(refused.body == "already there\n");
  // An answer that cannot be sent as it is: 500, never a broken response.
  CHECK(exchange(*client, "GET", "/no-status").status == 500);
  const Reply split = exchange(*client, "GET", "/split");
  CHECK(split.status == 500);
  CHECK_FALSE(split.head.has("Set-Cookie"));
  CHECK_THAT(log.text(), Catch::Contains("GET /split (route /split): the handler's answer header "
                                         "'X-Receipt' has a line break"));
  // The server is still serving, on the same connection.
  CHECK(exchange(*client, "GET", "/nowhere").status == 404);
}

TEST_CASE("an identify hook that throws gets 500 and a log line, and the server goes on",
          "[https]") {
  std::atomic<int> calls{0};
  RunningServer running(testOptions(), [&](const auto& peer, const Request& request) {
    if (++calls == 1) {
      throw std::runtime_error("registry unreadable");
    }
    return anyVerifiedClient(peer, request);
  });
  running.server().route("GET", "/x",
                         [](Request&, Response& r) { r.reply(200, "text/plain", "x"); });
  running.start();
  const CapturedLog log;
  const Reply failed = request(running.port(), "GET", "/x?patient=Smith");
  CHECK(failed.status == 500);
  CHECK(failed.body == "internal error\n");
  CHECK_THAT(log.text(), Catch::Contains("identifying the caller of GET /x failed: "
                                         "std::runtime_error: registry unreadable"));
  CHECK_THAT(log.text(), !Catch::Contains("Smith"));
  CHECK(request(running.port(), "GET", "/x").status == 200);
}
