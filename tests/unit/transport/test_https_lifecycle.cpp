// The HTTPS server over time, over real loopback TLS: slow requests and idle
// connections, connections past max_connections, and a graceful stop.

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <string>
#include <thread>

#include <Poco/Net/NetException.h>

#include "https_fixture.h"

using namespace rtw::transport;
using namespace rtw::transport::test;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

/// A gate a handler waits at until the test opens it.
class Gate {
 public:
  void wait() {
    ++waiting_;
    opened_.wait();
  }
  void open() { promise_.set_value(); }
  int waiting() const { return waiting_; }

 private:
  std::promise<void> promise_;
  std::shared_future<void> opened_ = promise_.get_future().share();
  std::atomic<int> waiting_{0};
};

HttpsServerOptions quick() {
  HttpsServerOptions options = testOptions();
  options.request_timeout_ms = 600;
  options.idle_timeout_ms = 600;
  return options;
}

void echoBody(Request& request, Response& response) {
  response.reply(200, "text/plain", request.body().readAll());
}

bool refusesConnections(std::uint16_t port) {
  try {
    RawClient raw(port);
    raw.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    return !raw.receive(milliseconds(500));
  } catch (const Poco::Exception&) {
    return true;
  }
}

}  // namespace

TEST_CASE("a request slower than request_timeout_ms is cut off: its head by closing, its body 408",
          "[https]") {
  RunningServer running(quick());
  running.server().route("POST", "/echo", echoBody);
  running.start();

  // A head a byte at a time, each byte well inside the idle timeout.
  RawClient slow_head(running.port());
  const auto began = Clock::now();
  const std::string head = "POST /echo HTTP/1.1\r\nHost: x\r\nX-Padding: ";
  bool cut = false;
  for (std::size_t i = 0; i < 100 && !cut; ++i) {
    try {
      slow_head.send(std::string(1, head[i % head.size()]));
    } catch (const Poco::Exception&) {
      cut = true;  // the server shut the connection
    }
    std::this_thread::sleep_for(milliseconds(50));
    cut = cut || Clock::now() - began > milliseconds(2000);
  }
  CHECK(slow_head.closedWithin(milliseconds(1000)));
  const auto closed_after = Clock::now() - began;
  CHECK(closed_after >= milliseconds(550));
  CHECK(closed_after < milliseconds(2500));

  // A whole head, then a body that stalls.
  RawClient slow_body(running.port());
  const auto sent = Clock::now();
  slow_body.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  const auto reply = slow_body.receive(milliseconds(3000));
  REQUIRE(reply);
  CHECK(reply->status == 408);
  CHECK(Clock::now() - sent >= milliseconds(550));
  CHECK(Clock::now() - sent < milliseconds(2000));
  CHECK(slow_body.closedWithin(milliseconds(1000)));

  // The server goes on serving.
  CHECK(request(running.port(), "POST", "/echo", "quick").body == "quick");
}

TEST_CASE("a connection that sends nothing is closed after idle_timeout_ms", "[https]") {
  RunningServer running(quick());
  running.server().route("GET", "/x",
                         [](Request&, Response& r) { r.reply(200, "text/plain", ""); });
  running.start();
  RawClient silent(running.port());
  const auto began = Clock::now();
  CHECK(silent.closedWithin(milliseconds(3000)));
  CHECK(Clock::now() - began >= milliseconds(550));

  // And a kept-alive one after its last request.
  RawClient kept(running.port());
  kept.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(kept.receive());
  CHECK(running.server().openConnections() == 1);
  CHECK(kept.closedWithin(milliseconds(3000)));
  CHECK(waitUntil([&] { return running.server().openConnections() == 0; }));
}

TEST_CASE(
    "past max_connections a connection waits in the queue, past max_queued it is closed at once",
    "[https]") {
  HttpsServerOptions options = testOptions();
  options.max_connections = 2;
  options.max_queued = 1;
  RunningServer running(options);
  running.server().route("GET", "/x",
                         [](Request&, Response& r) { r.reply(200, "text/plain", "x"); });
  running.start();

  auto first = std::make_unique<RawClient>(running.port());
  RawClient second(running.port());
  for (RawClient* client : {first.get(), &second}) {  // both served, both kept open
    client->send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(client->receive());
  }
  REQUIRE(running.server().openConnections() == 2);

  // The TLS handshake of a queued connection waits for a thread: connect raw.
  // Connections are accepted in the order they came: this one is queued,
  // the next one finds the queue full.
  Poco::Net::StreamSocket queued(Poco::Net::SocketAddress("127.0.0.1", running.port()));
  Poco::Net::StreamSocket refused(Poco::Net::SocketAddress("127.0.0.1", running.port()));
  refused.setReceiveTimeout(Poco::Timespan(3, 0));
  char byte = 0;
  int got = -1;
  try {
    got = refused.receiveBytes(&byte, 1);  // closed by the server: end of stream or reset
  } catch (const Poco::Net::ConnectionResetException&) {
    got = 0;
  }
  CHECK(got == 0);
  CHECK(running.server().openConnections() == 2);

  // The queued one is served once a connection closes, not before.
  auto served = std::async(std::launch::async, [&] {
    Poco::Net::SecureStreamSocket secure =
        Poco::Net::SecureStreamSocket::attach(queued, "localhost", clientTls());
    const std::string get = "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    secure.sendBytes(get.data(), static_cast<int>(get.size()));
    secure.setReceiveTimeout(Poco::Timespan(5, 0));
    char answer[64] = {};
    return std::string(answer,
                       static_cast<std::size_t>(secure.receiveBytes(answer, sizeof answer)));
  });
  CHECK(served.wait_for(milliseconds(500)) == std::future_status::timeout);
  first.reset();
  REQUIRE(served.wait_for(milliseconds(5000)) == std::future_status::ready);
  CHECK_THAT(served.get(), Catch::StartsWith("HTTP/1.1 200"));
}

TEST_CASE(
    "graceful stop: the request in flight finishes, idle connections close, new ones are "
    "refused",
    "[https]") {
  RunningServer running;
  Gate gate;
  running.server().route("POST", "/slow", [&](Request& request, Response& response) {
    gate.wait();
    response.reply(200, "text/plain", "finished " + request.body().readAll());
  });
  running.server().route("GET", "/x",
                         [](Request&, Response& r) { r.reply(200, "text/plain", ""); });
  running.start();
  const std::uint16_t port = running.port();

  RawClient idle(port);
  idle.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(idle.receive());
  RawClient busy(port);
  busy.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nwork");
  REQUIRE(waitUntil([&] { return gate.waiting() == 1; }));

  auto stopping = std::async(std::launch::async, [&] { running.server().stop(); });
  CHECK(idle.closedWithin(milliseconds(2000)));
  CHECK(waitUntil([&] { return refusesConnections(port); }));
  CHECK(stopping.wait_for(milliseconds(200)) == std::future_status::timeout);  // still waiting

  gate.open();
  const auto reply = busy.receive();
  REQUIRE(reply);
  CHECK(reply->status == 200);
  CHECK(reply->body == "finished work");
  CHECK_FALSE(reply->head.getKeepAlive());
  CHECK(stopping.wait_for(milliseconds(3000)) == std::future_status::ready);
  CHECK(running.server().openConnections() == 0);
  CHECK_THROWS_AS(RawClient(port), Poco::Net::ConnectionRefusedException);
}

TEST_CASE("a stop does not wait past stop_timeout_ms: a request still in flight is cut",
          "[https]") {
  HttpsServerOptions options = testOptions();
  options.stop_timeout_ms = 200;
  RunningServer running(options);
  Gate gate;
  running.server().route("GET", "/stuck", [&](Request&, Response& response) {
    gate.wait();
    response.reply(200, "text/plain", "too late");
  });
  running.start();

  RawClient stuck(running.port());
  stuck.send("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(waitUntil([&] { return gate.waiting() == 1; }));
  auto stopping = std::async(std::launch::async, [&] { running.server().stop(); });
  // Cut at stop_timeout_ms: no answer comes, whatever the handler does later.
  CHECK(stuck.closedWithin(milliseconds(2000)));
  gate.open();  // the handler returns; stop() waits for its thread
  CHECK(stopping.wait_for(milliseconds(3000)) == std::future_status::ready);
}
