#pragma once
// rtw-board-sim: a stand-in for the board's document endpoint (spec §4), on
// the gateway's HTTPS server (transport/https_server.h). It
// requires a client certificate, validates each document as the gateway does
// (the XSDs, then the board rules of conf/boards), answers 201 / 200
// (repeated Idempotency-Key) / 409 / 422 with reasons, and keeps every
// accepted document on disk (accepted_documents.h) before it answers 2xx.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Net/Context.h>

#include "rtw/boardsim/accepted_documents.h"
#include "rtw/boardsim/fault_plan.h"
#include "rtw/transport/https_server.h"
#include "rtw/worksafe/board_profiles.h"
#include "rtw/worksafe/date.h"
#include "rtw/worksafe/schema.h"

namespace rtw::boardsim {

struct BoardSimulatorOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8443;  // 0 picks a free port
  std::filesystem::path store_dir = "var/board";
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  /// The board profiles the simulator checks documents against; used by
  /// the constructor that is given no profiles.
  std::filesystem::path boards_dir = "conf/boards";
  /// The day documents are checked on; empty for the clock's (tests fix it).
  std::optional<worksafe::Date> today;
  /// Each document it accepts is answered this much later (once stored), as a
  /// board across a network would be: what the gateway's delivery
  /// concurrency is for. Other answers come at once.
  std::chrono::milliseconds latency{0};
};

class BoardSimulator {
 public:
  /// Loads the board profiles from options.boards_dir (throws naming the
  /// file on a broken profile).
  BoardSimulator(BoardSimulatorOptions options, Poco::Net::Context::Ptr tls,
                 std::shared_ptr<const worksafe::SchemaSet> schemas);
  BoardSimulator(BoardSimulatorOptions options, Poco::Net::Context::Ptr tls,
                 std::shared_ptr<const worksafe::SchemaSet> schemas,
                 std::shared_ptr<const worksafe::BoardProfiles> profiles);
  ~BoardSimulator();

  void start();
  void stop();
  std::uint16_t port() const;
  /// Connections being served now (a keep-alive connection counts while open).
  int openConnections() const;
  AcceptedDocuments& documents() { return *documents_; }
  /// Faults for the next POSTs (also settable over HTTPS: POST /sim/faults).
  FaultPlan& faults() { return *faults_; }

  class Endpoints;

 private:
  BoardSimulatorOptions options_;
  std::shared_ptr<AcceptedDocuments> documents_;
  std::shared_ptr<FaultPlan> faults_ = std::make_shared<FaultPlan>();
  std::unique_ptr<Endpoints> endpoints_;
  std::unique_ptr<transport::HttpsServer> server_;  // after endpoints_: gone first
};

/// True for an Idempotency-Key we accept as a file name: [A-Za-z0-9-]{1,64}.
bool isValidKey(const std::string& key);

}  // namespace rtw::boardsim
