#include "harness.h"

#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

namespace rtw::testing {
namespace {

const std::filesystem::path kSource = RTW_SOURCE_DIR;
const std::filesystem::path kBinary = RTW_BINARY_DIR;

std::filesystem::path makeTempDir(const std::string& name) {
  std::filesystem::path dir = Poco::TemporaryFile::tempName() + "-" + name;
  std::filesystem::create_directories(dir);
  return dir;
}

void run(const std::string& command) {
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error("command failed: " + command);
  }
}

/// Waits for a status file line "key=N" and returns N.
std::uint16_t waitForPort(const std::filesystem::path& file, const std::string& key,
                          const ChildProcess& process) {
  std::uint16_t port = 0;
  waitUntil([&] {
    if (!process.running()) {
      return true;
    }
    const std::string text = readFile(file);
    const auto at = text.find(key + "=");
    if (at != std::string::npos) {
      port = static_cast<std::uint16_t>(std::stoul(text.substr(at + key.size() + 1)));
    }
    return port != 0;
  });
  if (port == 0) {
    throw std::runtime_error("process did not report its " + key + ":\n" + process.log());
  }
  return port;
}

}  // namespace

bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

std::string readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           std::filesystem::path log, const std::vector<std::string>& environment)
    : log_(std::move(log)) {
  // exec through the shell only to send both streams to the log file.
  std::string command = "exec env";
  for (const auto& variable : environment) {
    command += " '" + variable + "'";
  }
  command += " '" + program + "'";
  for (const auto& arg : args) {
    command += " '" + arg + "'";
  }
  command += " >'" + log_.string() + "' 2>&1";
  handle_ =
      std::make_unique<Poco::ProcessHandle>(Poco::Process::launch("/bin/sh", {"-c", command}));
}

ChildProcess::~ChildProcess() {
  try {
    stop();
  } catch (...) {
    // Best effort in a destructor; the test already failed if this matters.
  }
}

bool ChildProcess::running() const {
  // kill(pid, 0) succeeds for a zombie: ask waitpid, which also reaps it.
  if (exit_code_) {
    return false;
  }
  int status = 0;
  const pid_t pid = ::waitpid(handle_->id(), &status, WNOHANG);
  if (pid == handle_->id()) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return pid == 0;
}

int ChildProcess::stop() {
  if (!stopped_) {
    stopped_ = true;
    if (running()) {
      Poco::Process::requestTermination(handle_->id());
      if (!waitUntil([this] { return !running(); }, std::chrono::seconds(15))) {
        kill();
      }
    }
  }
  return exit_code_.value_or(-1);
}

void ChildProcess::hangUp() {
  if (!stopped_) {
    ::kill(handle_->id(), SIGHUP);
  }
}

void ChildProcess::kill() {
  stopped_ = true;
  if (running()) {
    ::kill(handle_->id(), SIGKILL);
    waitUntil([this] { return !running(); }, std::chrono::seconds(15));
  }
}

const TestCertificates& TestCertificates::get() {
  static const TestCertificates certificates = [] {
    TestCertificates made;
    made.dir = makeTempDir("certs");
    made.rogue_dir = makeTempDir("rogue-certs");
    const std::string script = (kSource / "certs/make-dev-certs.sh").string();
    run("'" + script + "' '" + made.dir.string() +
        "' clinic01 harbour-physio lakeshore-msk westcoast-fhir >/dev/null");
    run("'" + script + "' '" + made.rogue_dir.string() + "' clinic01 >/dev/null");
    return made;
  }();
  return certificates;
}

security::TlsFiles TestCertificates::partner(const std::string& id) const {
  return {(dir / ("partner-" + id + ".pem")).string(), (dir / ("partner-" + id + ".key")).string(),
          (dir / "ca.pem").string()};
}

security::TlsFiles TestCertificates::issue(const std::string& id,
                                           const std::filesystem::path& partner_dir) const {
  run("RTW_PARTNERS_DIR='" + partner_dir.string() + "' '" +
      (kSource / "certs/make-dev-certs.sh").string() + "' '" + dir.string() + "' '" + id +
      "' >/dev/null");
  return partner(id);
}

security::TlsFiles TestCertificates::roguePartner(const std::string& id) const {
  // The rogue CA's certificate, but trusting our CA for the server.
  return {(rogue_dir / ("partner-" + id + ".pem")).string(),
          (rogue_dir / ("partner-" + id + ".key")).string(), (dir / "ca.pem").string()};
}

void ensureTls() { static security::TlsLibrary library; }

RunningSystem::RunningSystem(std::vector<std::string> gateway_settings)
    : dir_(makeTempDir("system")),
      journal_file_(dir_ / "journal.sqlite"),
      gateway_settings_(std::move(gateway_settings)) {
  const std::string store_path = "store.path=";
  for (const auto& setting : gateway_settings_) {
    if (setting.rfind(store_path, 0) == 0) {
      journal_file_ = setting.substr(store_path.size());
    }
  }
  ensureTls();
  startBoard();
  startGateway();
}

void RunningSystem::startBoard() {
  const std::string c = TestCertificates::get().dir.string() + "/";
  board_.reset();
  std::filesystem::remove(dir_ / "board.status");
  static int runs = 0;
  board_ = std::make_unique<ChildProcess>(
      (kBinary / "bin/rtw-board-sim").string(),
      std::vector<std::string>{"--home", kSource.string(), "--port", std::to_string(board_port_),
                               "--store", boardStore().string(), "--cert", c + "board-sim.pem",
                               "--key", c + "board-sim.key", "--ca", c + "ca.pem", "--status-file",
                               (dir_ / "board.status").string()},
      dir_ / ("board-" + std::to_string(++runs) + ".log"));
  board_port_ = waitForPort(dir_ / "board.status", "board.port", *board_);
}

std::vector<std::string> RunningSystem::gatewayArguments(
    std::uint16_t port, const std::filesystem::path& status_file) const {
  const std::string c = TestCertificates::get().dir.string() + "/";
  std::vector<std::string> args{"--home",
                                kSource.string(),
                                "-Dmllp.port=" + std::to_string(port),
                                "-Dhttps.port=" + std::to_string(https_port_.load()),
                                "-Dstore.path=" + journalFile().string(),
                                "-Dplugins.dir=" + std::string(RTW_PLUGIN_DIR),
                                "-Dtls.certificate=" + c + "gateway.pem",
                                "-Dtls.privateKey=" + c + "gateway.key",
                                "-Dtls.ca=" + c + "ca.pem",
                                "-Dboard.url=https://localhost:" + std::to_string(board_port_),
                                "-Dboard.certificate=" + c + "gateway-client.pem",
                                "-Dboard.privateKey=" + c + "gateway-client.key",
                                "-Dboard.ca=" + c + "ca.pem",
                                "-Ddelivery.baseBackoffMs=100",
                                "-Ddelivery.maxBackoffMs=2000",
                                "-Dstatus.file=" + status_file.string()};
  for (const auto& setting : gateway_settings_) {
    args.push_back("-D" + setting);
  }
  return args;
}

std::unique_ptr<ChildProcess> RunningSystem::startPeerGateway(
    const std::string& name, std::uint16_t& port, const std::vector<std::string>& settings,
    std::uint16_t on_port) {
  const std::filesystem::path status = dir_ / (name + ".status");
  std::filesystem::remove(status);
  std::vector<std::string> args = gatewayArguments(on_port, status);
  args.push_back("-Dhttps.port=0");  // its own, beside the first gateway's
  for (const auto& setting : settings) {
    args.push_back("-D" + setting);
  }
  auto peer = std::make_unique<ChildProcess>((kBinary / "bin/rtw-gateway").string(), args,
                                             dir_ / (name + ".log"));
  port = waitForPort(status, "mllp.port", *peer);
  return peer;
}

void RunningSystem::startGateway(const std::vector<std::string>& environment,
                                 bool wait_until_listening) {
  gateway_.reset();
  std::filesystem::remove(dir_ / "gateway.status");
  static int runs = 0;
  const std::vector<std::string> args =
      gatewayArguments(mllp_port_.load(), dir_ / "gateway.status");
  gateway_ = std::make_unique<ChildProcess>((kBinary / "bin/rtw-gateway").string(), args,
                                            dir_ / ("gateway-" + std::to_string(++runs) + ".log"),
                                            environment);
  if (wait_until_listening) {
    mllp_port_ = waitForPort(dir_ / "gateway.status", "mllp.port", *gateway_);
    https_port_ = waitForPort(dir_ / "gateway.status", "https.port", *gateway_);
  }
}

RunningSystem::~RunningSystem() {
  gateway_.reset();
  board_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void RunningSystem::planBoardFaults(const std::string& plan) const {
  const std::string c = TestCertificates::get().dir.string() + "/";
  Poco::Net::HTTPSClientSession session(
      "localhost", board_port_,
      security::clientContext({c + "gateway-client.pem", c + "gateway-client.key", c + "ca.pem"}));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/sim/faults",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentLength(static_cast<std::streamsize>(plan.size()));
  session.sendRequest(request) << plan;
  Poco::Net::HTTPResponse response;
  session.receiveResponse(response);
  if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
    throw std::runtime_error("board simulator refused the fault plan");
  }
}

std::string RunningSystem::queryJournal(const std::string& sql) const {
  const std::string command = "sqlite3 '" + journalFile().string() + "' \"" + sql + "\"";
  std::string output;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) {
      output.append(buffer, n);
    }
    pclose(pipe);
  }
  return output;
}

std::vector<boardsim::AcceptedDocument> RunningSystem::accepted(const std::string& type) const {
  std::vector<boardsim::AcceptedDocument> documents = boardsim::readAcceptedDocuments(boardStore());
  std::erase_if(documents, [&](const auto& document) { return document.type != type; });
  return documents;
}

std::map<std::string, int> RunningSystem::acceptedPerMessage(const std::string& type) const {
  static const std::regex kSource("<sourceMessageId>([^<]+)</sourceMessageId>");
  std::map<std::string, int> counts;
  for (const auto& document : accepted(type)) {
    std::smatch match;
    if (std::regex_search(document.body, match, kSource)) {
      ++counts[match[1]];
    }
  }
  return counts;
}

std::unique_ptr<transport::MllpClient> RunningSystem::connect(
    const security::TlsFiles& files) const {
  return std::make_unique<transport::MllpClient>("localhost", mllp_port_,
                                                 security::clientContext(files), 10'000);
}

std::string sampleReferral() {
  std::string text = readFile(kSource / "tests/data/hl7/ref-i12-sample.hl7");
  for (char& ch : text) {
    ch = ch == '\n' ? '\r' : ch;
  }
  return text;
}

}  // namespace rtw::testing
