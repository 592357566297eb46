// The board simulator checks documents with validateDocument(): a document
// that breaks board rules gets 422 with one {code, field, message} per
// problem, a valid one (warnings allowed) gets 201.

#include <sys/resource.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <future>
#include <memory>
#include <sstream>
#include <thread>

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <rapidjson/document.h>

#include "example_fixture.h"
#include "rtw/boardsim/board_simulator.h"
#include "rtw/security/tls.h"

using namespace rtw::worksafe;
using namespace rtw::worksafe::test;

namespace {

struct Answer {
  int status = 0;
  std::string body;
};

// A development CA and certificates, made once for the test binary.
const std::filesystem::path& certificates() {
  static const TempDir dir;
  static const bool made = [] {
    const std::string command = "'" + std::string(RTW_SOURCE_DIR) + "/certs/make-dev-certs.sh' '" +
                                dir.path().string() + "' clinic01 >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
  }();
  REQUIRE(made);
  return dir.path();
}

rtw::security::TlsFiles files(const std::string& certificate) {
  const auto& dir = certificates();
  return {(dir / (certificate + ".pem")).string(), (dir / (certificate + ".key")).string(),
          (dir / "ca.pem").string()};
}

class RunningBoard {
 public:
  explicit RunningBoard(std::chrono::milliseconds latency = std::chrono::milliseconds(0))
      : latency_(latency) {
    start();
  }

  /// Stops the simulator and starts a new one on the same store.
  void restart() {
    simulator_.reset();
    start();
  }

  void start() {
    static rtw::security::TlsLibrary library;
    rtw::boardsim::BoardSimulatorOptions options;
    options.port = 0;
    options.store_dir = store_.path();
    options.boards_dir = boardsDir();
    options.today = exampleToday();
    options.latency = latency_;
    simulator_ = std::make_unique<rtw::boardsim::BoardSimulator>(
        options, rtw::security::serverContext(files("board-sim")), schemas());
    simulator_->start();
  }

  std::uint16_t port() const { return simulator_->port(); }
  int openConnections() const { return simulator_->openConnections(); }

  Answer post(const std::string& type, const std::string& key, const std::string& xml) {
    Poco::Net::HTTPSClientSession session("localhost", simulator_->port(),
                                          rtw::security::clientContext(files("gateway-client")));
    return postOn(session, type, key, xml);
  }

  Answer get(const std::string& path) {
    Poco::Net::HTTPSClientSession session("localhost", simulator_->port(),
                                          rtw::security::clientContext(files("gateway-client")));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::ostringstream body;
    Poco::StreamCopier::copyStream(in, body);
    return {static_cast<int>(response.getStatus()), body.str()};
  }

  /// Posts on a session the caller keeps (keep-alive).
  static Answer postOn(Poco::Net::HTTPSClientSession& session, const std::string& type,
                       const std::string& key, const std::string& xml) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/documents/" + type,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/xml");
    request.set("Idempotency-Key", key);
    request.setContentLength(static_cast<std::streamsize>(xml.size()));
    session.sendRequest(request) << xml;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::ostringstream body;
    Poco::StreamCopier::copyStream(in, body);
    return {static_cast<int>(response.getStatus()), body.str()};
  }

 private:
  std::chrono::milliseconds latency_;
  TempDir store_;
  std::unique_ptr<rtw::boardsim::BoardSimulator> simulator_;
};

}  // namespace

TEST_CASE("the board simulator answers 422 with the board-rule problems", "[board-sim]") {
  RunningBoard board;
  const Answer answer = board.post("invoice", "9c4e6a8b-2d1f-4e3a-b5c7-d9e1f3a5b7c9",
                                   readText(dataDir() / "problems" / "invoice-broken.xml"));
  CHECK(answer.status == 422);
  rapidjson::Document json;
  json.Parse(answer.body.c_str());
  REQUIRE(json.IsObject());
  REQUIRE(json.HasMember("problems"));
  const auto& problems = json["problems"];
  REQUIRE(problems.IsArray());
  REQUIRE(problems.Size() == 5);
  CHECK(std::string(problems[0]["code"].GetString()) == "SCHEMA");
  CHECK(std::string(problems[0]["field"].GetString()) == "line[1]/side");
  CHECK(std::string(problems[1]["code"].GetString()) == "GST_CHECK");
  CHECK(std::string(problems[1]["field"].GetString()) == "gstNumber");
  CHECK(std::string(problems[1]["message"].GetString()) == "the GST number check digit is wrong");
  CHECK(std::string(problems[2]["code"].GetString()) == "MONEY_LINE");
  CHECK(std::string(problems[3]["code"].GetString()) == "MONEY_SUBTOTAL");
  CHECK(std::string(problems[4]["code"].GetString()) == "MONEY_TOTAL");
}

TEST_CASE("the board simulator accepts valid documents, warnings and all", "[board-sim]") {
  RunningBoard board;
  CHECK(board.post("invoice", "a1", example("invoice-wsib-training.xml")).status == 201);
  CHECK(board.post("report", "a2", readText(dataDir() / "problems" / "report-late-initial.xml"))
            .status == 201);
  // The URL names the type: a report posted as a referral is refused.
  const Answer wrong = board.post("referral", "a3", example("report-initial-wsbc.xml"));
  CHECK(wrong.status == 422);
  CHECK_THAT(wrong.body, Catch::Contains("DOCUMENT_TYPE"));
}

TEST_CASE(
    "Idempotency-Key: 201 first, 200 with the same receipt for the same document, 409 for "
    "another, also after a restart",
    "[board-sim]") {
  RunningBoard board;
  const std::string referral = example("referral-wsbc-crrtw.xml");
  const std::string other = example("referral-wsib-declined.xml");
  const Answer first = board.post("referral", "k-1", referral);
  REQUIRE(first.status == 201);
  CHECK_THAT(first.body, Catch::StartsWith("RCPT-"));
  const Answer again = board.post("referral", "k-1", referral);
  CHECK(again.status == 200);
  CHECK(again.body == first.body);
  CHECK(board.post("referral", "k-1", other).status == 409);

  board.restart();
  CHECK(board.post("referral", "k-1", referral).body == first.body);
  CHECK(board.post("referral", "k-1", other).status == 409);
  CHECK(board.post("referral", "k-2", referral).status == 201);

  // What the board holds, as an operator reads it.
  CHECK(board.get("/documents/referral").body == "k-1\nk-2\n");
  const Answer held = board.get("/documents/referral/k-1");
  CHECK(held.status == 200);
  CHECK(held.body == referral);
  CHECK(board.get("/documents/referral/k-9").status == 404);
  CHECK(board.get("/documents/invoice/k-1").status == 404);
}

TEST_CASE(
    "a board far away (latency-ms) answers an accepted document that much later, stored first",
    "[board-sim]") {
  RunningBoard board(std::chrono::milliseconds(300));
  const std::string referral = example("referral-wsbc-crrtw.xml");
  const auto started = std::chrono::steady_clock::now();
  auto posting =
      std::async(std::launch::async, [&] { return board.post("referral", "far-1", referral); });
  // While the answer is held back, the document is already the board's.
  bool held_before_answer = false;
  while (!held_before_answer &&
         posting.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) {
    held_before_answer = board.get("/documents/referral/far-1").status == 200 &&
                         posting.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
  }
  const Answer answer = posting.get();
  CHECK(held_before_answer);
  CHECK(answer.status == 201);
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(300));
}

TEST_CASE("twenty keep-alive connections are served at the same time", "[board-sim]") {
  // Each open keep-alive connection holds a server thread: with too few
  // threads the 17th connection would wait for another to close.
  RunningBoard board;
  const auto tls = rtw::security::clientContext(files("gateway-client"));
  const std::string referral = example("referral-wsbc-crrtw.xml");
  std::vector<std::unique_ptr<Poco::Net::HTTPSClientSession>> sessions;
  for (int i = 0; i < 20; ++i) {
    auto session = std::make_unique<Poco::Net::HTTPSClientSession>("localhost", board.port(), tls);
    session->setKeepAlive(true);
    session->setTimeout(Poco::Timespan(5, 0));  // well under the server's keep-alive timeout
    CHECK(RunningBoard::postOn(*session, "referral", "c-" + std::to_string(i), referral).status ==
          201);
    sessions.push_back(std::move(session));
  }
  CHECK(board.openConnections() == 20);
  for (std::size_t i = 0; i < sessions.size(); ++i) {  // all still open and usable
    CHECK(
        RunningBoard::postOn(*sessions[i], "referral", "c-" + std::to_string(i), referral).status ==
        200);
  }
}

TEST_CASE("a document the board's disk cannot take gets 503 and is taken once space returns",
          "[board-sim]") {
  RunningBoard board;
  const std::string referral = example("referral-wsbc-crrtw.xml");
  {
    // No file of this process may grow: the store's next append fails.
    rlimit saved{};
    ::getrlimit(RLIMIT_FSIZE, &saved);
    const auto handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit full = saved;
    full.rlim_cur = 0;
    ::setrlimit(RLIMIT_FSIZE, &full);
    const Answer refused = board.post("referral", "disk-1", referral);
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, handler);
    CHECK(refused.status == 503);
  }
  CHECK(board.post("referral", "disk-1", referral).status == 201);
  CHECK(board.post("referral", "disk-1", referral).status == 200);
}
