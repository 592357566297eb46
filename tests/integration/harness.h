#pragma once
// Starts rtw-board-sim and rtw-gateway as real processes on ephemeral
// loopback ports, with certificates made for this run, and stops them.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Process.h>

#include "rtw/boardsim/accepted_documents.h"
#include "rtw/security/tls.h"
#include "rtw/transport/mllp_client.h"

namespace rtw::testing {

/// Polls `condition` until it holds or `timeout` passes.
bool waitUntil(const std::function<bool()>& condition,
               std::chrono::milliseconds timeout = std::chrono::seconds(20));

std::string readFile(const std::filesystem::path& file);

/// A child process whose output goes to a log file; terminated (SIGINT, then
/// SIGKILL) when destroyed.
class ChildProcess {
 public:
  /// `environment`: NAME=VALUE pairs added for this process only.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               std::filesystem::path log, const std::vector<std::string>& environment = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Sends SIGINT and waits; returns the exit code.
  int stop();
  /// SIGKILL: no chance to flush or clean up.
  void kill();
  /// SIGHUP (the gateway reloads its mappings).
  void hangUp();
  bool running() const;
  /// The process id (the program's own: the shell that starts it execs it).
  int pid() const { return static_cast<int>(handle_->id()); }
  std::string log() const { return readFile(log_); }

 private:
  std::unique_ptr<Poco::ProcessHandle> handle_;
  std::filesystem::path log_;
  bool stopped_ = false;
  mutable std::optional<int> exit_code_;
};

/// Dev certificates for one test run: our CA and, for the negative tests, a
/// rogue CA that issued a certificate with the same partner CN.
struct TestCertificates {
  std::filesystem::path dir;
  std::filesystem::path rogue_dir;
  static const TestCertificates& get();  // made once per test binary
  security::TlsFiles partner(const std::string& id) const;
  security::TlsFiles roguePartner(const std::string& id) const;
  /// Makes the certificate of a partner added later (what its file in
  /// `partner_dir` matches), from our CA, as ./scripts/run does.
  security::TlsFiles issue(const std::string& id, const std::filesystem::path& partner_dir) const;
};

/// The board simulator and the gateway, running.
class RunningSystem {
 public:
  /// `gateway_settings`: extra -Dkey=value arguments for the gateway
  /// ("store.path=FILE" puts the journal elsewhere, e.g. on a small disk).
  explicit RunningSystem(std::vector<std::string> gateway_settings = {});
  ~RunningSystem();

  std::uint16_t mllpPort() const { return mllp_port_; }
  /// The partner HTTPS listener's (FHIR), kept across restarts like the MLLP port.
  std::uint16_t httpsPort() const { return https_port_; }
  std::uint16_t boardPort() const { return board_port_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path boardStore() const { return dir_ / "board"; }
  const std::filesystem::path& journalFile() const { return journal_file_; }

  /// Plans faults for the board simulator's next document POSTs
  /// (gateway/boardsim/include/rtw/boardsim/fault_plan.h).
  void planBoardFaults(const std::string& plan) const;

  /// Runs one SQL query on the gateway's journal with the sqlite3 CLI and
  /// returns its output (rows on lines, columns separated by '|').
  std::string queryJournal(const std::string& sql) const;

  /// Documents of a type the board simulator has accepted (on its disk),
  /// in the order it took them.
  std::vector<boardsim::AcceptedDocument> accepted(const std::string& type) const;
  /// How many accepted documents of a type carry each sourceMessageId (MSH-10).
  std::map<std::string, int> acceptedPerMessage(const std::string& type) const;

  /// A connected MLLP/TLS client with the partner's certificate.
  std::unique_ptr<transport::MllpClient> connect(const security::TlsFiles& files) const;

  ChildProcess& gateway() { return *gateway_; }
  /// (Re)starts the gateway on the same journal and, after the first start,
  /// the same port (clients reconnect to where they were), and waits until it
  /// listens; not when `wait_until_listening` is false (a gateway expected
  /// to die before it listens).
  void startGateway(const std::vector<std::string>& environment = {},
                    bool wait_until_listening = true);
  /// Another gateway process with the same settings on a port of its own
  /// (returned in `port`): with a shared PostgreSQL journal, a second instance.
  /// `settings` ("key=value") override those; `on_port` asks for that port.
  /// Throws, with the process's log, when it stops before it listens.
  std::unique_ptr<ChildProcess> startPeerGateway(const std::string& name, std::uint16_t& port,
                                                 const std::vector<std::string>& settings = {},
                                                 std::uint16_t on_port = 0);
  ChildProcess& board() { return *board_; }
  /// (Re)starts the board simulator on its first port and the same store.
  void startBoard();

 private:
  std::vector<std::string> gatewayArguments(std::uint16_t port,
                                            const std::filesystem::path& status_file) const;

  std::filesystem::path dir_;
  std::filesystem::path journal_file_;
  std::unique_ptr<ChildProcess> board_;
  std::unique_ptr<ChildProcess> gateway_;
  std::uint16_t board_port_ = 0;
  std::atomic<std::uint16_t> mllp_port_{0};
  std::atomic<std::uint16_t> https_port_{0};
  std::vector<std::string> gateway_settings_;
};

/// Process-wide TLS initialisation for the test binary.
void ensureTls();

/// The sample referral of spec §6, CR-terminated.
std::string sampleReferral();

}  // namespace rtw::testing
