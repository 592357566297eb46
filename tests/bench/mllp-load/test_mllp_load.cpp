// The load generator's own checks, against a scripted MLLP server on
// loopback: it counts one ACK per message, and a server that answers with
// too many ACKs or the wrong MSA-2 makes the run WRONG instead of fast.

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "load_connection.h"
#include "load_summary.h"
#include "rtw/hl7v2/mllp.h"

using namespace rtw::bench;

namespace {

const std::string kMessage =
    "MSH|^~\\&|CLINICEMR|CLINIC01|RTWGW|WSBC|20250301101500||REF^I12^REF_I12|MSG0001|P|2.5|||AL|"
    "AL\nPID|1||123^^^BC^JHN||Doe^Jane\n";

enum class Behaviour {
  kOneAck,
  kNthMessageGetsNAcks,
  kWrongControlId,
  kFirstConnectionCloses,  // the first connection is closed after its first ACK
};

/// A plain-TCP MLLP server answering each message as `behaviour` says.
class ScriptedServer {
 public:
  explicit ScriptedServer(Behaviour behaviour) : behaviour_(behaviour) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    REQUIRE(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), size) == 0);
    REQUIRE(::listen(listen_fd_, 16) == 0);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { acceptAll(); });
  }
  ~ScriptedServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    acceptor_.join();
    for (auto& connection : connections_) {
      connection.join();
    }
  }
  std::uint16_t port() const { return port_; }
  std::string firstFrame() const { return first_frame_; }

 private:
  void acceptAll() {
    for (int index = 0;; ++index) {
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) {
        return;
      }
      connections_.emplace_back([this, fd, index] { serve(fd, index); });
    }
  }

  void serve(int fd, int index) {
    rtw::hl7v2::MllpFramer framer;
    char buffer[4096];
    int count = 0;
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
      framer.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
      while (auto event = framer.next()) {
        if (first_frame_.empty()) {
          first_frame_ = event->payload;
        }
        answer(fd, event->payload, ++count);
        if (behaviour_ == Behaviour::kFirstConnectionCloses && index == 0) {
          ::close(fd);
          return;
        }
      }
    }
    ::close(fd);
  }

  void answer(int fd, const std::string& message, int count) {
    // MSH-10 is the tenth '|'-separated field of the first segment.
    std::size_t from = 0;
    for (int i = 0; i < 9; ++i) {
      from = message.find('|', from) + 1;
    }
    std::string id = message.substr(from, message.find('|', from) - from);
    if (behaviour_ == Behaviour::kWrongControlId) {
      id += "X";
    }
    const std::string ack =
        rtw::hl7v2::mllpFrame("MSH|^~\\&|RTWGW|WSBC|CLINICEMR|CLINIC01|20250301||ACK|A" + id +
                              "|P|2.5\rMSA|AA|" + id + "\r");
    const int copies = behaviour_ == Behaviour::kNthMessageGetsNAcks ? count : 1;
    for (int i = 0; i < copies; ++i) {
      ::send(fd, ack.data(), ack.size(), MSG_NOSIGNAL);
    }
  }

  Behaviour behaviour_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread acceptor_;
  std::vector<std::thread> connections_;
  std::string first_frame_;
};

/// `messages` over `connections`, closed loop, with time enough to send them all.
LoadPlan planOf(int connections, std::uint64_t messages) {
  LoadPlan plan;
  plan.connections = connections;
  plan.messages = messages;
  plan.seconds = 30;
  return plan;
}

LoadSummary runAgainst(const ScriptedServer& server, LoadPlan plan, int threads = 1) {
  MessageSource source(kMessage, "T-", plan.messages, true);
  std::vector<std::unique_ptr<ByteStream>> streams;
  for (int c = 0; c < plan.connections; ++c) {
    streams.push_back(connectStream("127.0.0.1", server.port(), nullptr));
  }
  const auto start = LoadClock::now();
  std::vector<ByteStream*> open;
  for (const auto& stream : streams) {
    open.push_back(stream.get());
  }
  std::vector<ConnectionResult> results = runLoad(open, plan, source, threads, start);
  return summarize(results, start);
}

}  // namespace

TEST_CASE("mllp-load: a server answering once per message is counted exactly") {
  ScriptedServer server(Behaviour::kOneAck);
  const LoadPlan plan = planOf(4, 200);
  int threads = 1;
  SECTION("one thread polls the four connections") {}
  SECTION("two threads, two connections each") { threads = 2; }
  const LoadSummary summary = runAgainst(server, plan, threads);
  CHECK(summary.sent == 200);
  CHECK(summary.acked == 200);
  CHECK(summary.ack_codes.at("AA") == 200);
  CHECK(summary.errors() == 0);
  CHECK_FALSE(summary.wrong);
}

TEST_CASE("mllp-load: pipelined and open-loop runs count every message once") {
  ScriptedServer server(Behaviour::kOneAck);
  LoadPlan plan = planOf(2, 100);
  SECTION("pipelined") { plan.pipeline = 8; }
  SECTION("open loop") { plan.rate = 1000; }
  const LoadSummary summary = runAgainst(server, plan);
  CHECK(summary.acked == 100);
  CHECK(summary.errors() == 0);
  CHECK(summary.out_of_order == 0);
}

TEST_CASE("mllp-load: n ACKs for the n-th message make the run WRONG") {
  ScriptedServer server(Behaviour::kNthMessageGetsNAcks);
  const LoadPlan plan = planOf(1, 20);
  const LoadSummary summary = runAgainst(server, plan);
  CHECK(summary.acked == 20);
  CHECK(summary.duplicate_acks == 19 * 20 / 2);  // 0 + 1 + ... + 19 extra frames
  CHECK(summary.wrong);
}

TEST_CASE("mllp-load: an ACK naming another message is an error, not an acknowledgement") {
  ScriptedServer server(Behaviour::kWrongControlId);
  LoadPlan plan = planOf(1, 5);
  plan.ack_timeout_ms = 300;
  const LoadSummary summary = runAgainst(server, plan);
  CHECK(summary.acked == 0);
  CHECK(summary.mismatched_acks == 1);
  CHECK(summary.unanswered == 1);
  CHECK(summary.failures.size() == 1);
  CHECK(summary.wrong);
}

TEST_CASE("mllp-load: a connection the server closes ends alone, the others on its thread go on") {
  ScriptedServer server(Behaviour::kFirstConnectionCloses);
  const LoadPlan plan = planOf(3, 300);
  const LoadSummary summary = runAgainst(server, plan, 1);
  REQUIRE(summary.failures.size() == 1);
  // Closed, or reset when its next message reached the closed socket first.
  const std::string& why = summary.failures.front();
  CHECK((why.find("closed") != std::string::npos || why.find("failed") != std::string::npos));
  CHECK(summary.sent == 300);
  CHECK(summary.acked + summary.unanswered == 300);
  CHECK(summary.unanswered <= 1);  // at most the one sent as the server closed
  CHECK(summary.duplicate_acks == 0);
}

TEST_CASE("mllp-load: each message gets its own MSH-10, in original mode") {
  MessageSource source(kMessage, "T-", 2, true);
  std::uint64_t number = 0;
  REQUIRE(source.claim(number));
  const std::string frame = source.frame(source.controlId(number));
  CHECK(frame.front() == '\x0b');
  CHECK(frame.find("|REF^I12^REF_I12|T-0|P|2.5\rPID|") != std::string::npos);
  CHECK(frame.substr(frame.size() - 2) == "\x1c\r");
  REQUIRE(source.claim(number));
  CHECK(source.controlId(number) == "T-1");
  CHECK_FALSE(source.claim(number));
}
