#include "rtw/boardsim/board_simulator.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "rtw/worksafe/rules.h"

namespace rtw::boardsim {
namespace {

using transport::Request;
using transport::Response;

Poco::Logger& logger() { return Poco::Logger::get("rtw.board-sim"); }

constexpr const char* kText = "text/plain";

/// 422 body: {"problems":[{"code","field","message"}]}, as spec §4 lists.
/// Warnings go along with the errors: the board tells everything it saw.
std::string problemsJson(const std::vector<worksafe::Problem>& problems) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
  json.StartObject();
  json.Key("problems");
  json.StartArray();
  for (const auto& problem : problems) {
    json.StartObject();
    json.Key("code");
    json.String(!problem.code.empty() ? problem.code.c_str() : "INVALID");
    json.Key("severity");
    json.String(problem.severity == worksafe::Problem::Severity::kError ? "error" : "warning");
    json.Key("field");
    json.String(problem.path.c_str());
    json.Key("message");
    json.String(problem.message.c_str());
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return buffer.GetString();
}

/// The document type and key of /documents/<type>[/<key>].
struct DocumentPath {
  std::string type_name;
  std::string key;
};

DocumentPath documentPath(const Request& request) {
  DocumentPath path{std::string(request.pathTail()), ""};
  if (const auto slash = path.type_name.find('/'); slash != std::string::npos) {
    path.key = path.type_name.substr(slash + 1);
    path.type_name.resize(slash);
  }
  return path;
}

}  // namespace

/// The simulator's routes: /health, /sim/faults, /documents/<type>[/<key>].
class BoardSimulator::Endpoints {
 public:
  Endpoints(const BoardSimulatorOptions& options, AcceptedDocuments& documents,
            std::shared_ptr<const worksafe::SchemaSet> schemas,
            std::shared_ptr<const worksafe::BoardProfiles> profiles, FaultPlan& faults)
      : options_(options),
        documents_(documents),
        schemas_(std::move(schemas)),
        profiles_(std::move(profiles)),
        faults_(faults) {}

  void addTo(transport::HttpsServer& server) {
    server.route("GET", "/health",
                 [](Request&, Response& response) { response.reply(200, kText, "ok\n"); });
    server.route("POST", "/sim/faults", [this](Request& r, Response& a) { planFaults(r, a); });
    server.route("DELETE", "/sim/faults", [this](Request&, Response& response) {
      faults_.clear();
      response.reply(200, kText, "cleared\n");
    });
    server.route("GET", "/documents/*", [this](Request& r, Response& a) { read(r, a); });
    server.route("POST", "/documents/*", [this](Request& r, Response& a) { accept(r, a); });
  }

 private:
  /// Adds faults for the next document POSTs (fault_plan.h).
  void planFaults(Request& request, Response& response) {
    try {
      faults_.add(request.body().readAll());
    } catch (const std::invalid_argument& e) {
      return response.reply(400, kText, e.what());
    }
    logger().information("fault plan added");
    response.reply(200, kText, "planned\n");
  }

  /// Plays a status fault; true when it answered the request.
  bool answerWithFault(const Fault& fault, Response& response, const std::string& key) {
    if (fault.kind == Fault::Kind::kHang) {
      std::this_thread::sleep_for(std::chrono::milliseconds(fault.hang_ms));
      return false;
    }
    if (fault.kind != Fault::Kind::kStatus) {
      return false;
    }
    logger().warning("%s: injected fault %d", key, fault.status);
    if (fault.retry_after_s && fault.retry_after_as_date) {
      Poco::Timestamp at;
      at += Poco::Timespan(*fault.retry_after_s, 0);
      response.set("Retry-After",
                   Poco::DateTimeFormatter::format(at, Poco::DateTimeFormat::HTTP_FORMAT));
    } else if (fault.retry_after_s) {
      response.set("Retry-After", std::to_string(*fault.retry_after_s));
    }
    if (fault.status == 422) {
      response.reply(422, "application/json",
                     "{\"problems\":[{\"code\":\"SIMULATED\",\"field\":\"\",\"message\":\"fault "
                     "injected\"}]}");
    } else {
      response.reply(fault.status, kText, "fault injected\n");
    }
    return true;
  }

  /// GET /documents/<type> lists the keys, /documents/<type>/<key> is one document.
  void read(Request& request, Response& response) {
    const DocumentPath path = documentPath(request);
    if (!worksafe::documentTypeFromName(path.type_name)) {
      return response.reply(404, kText, "unknown document type\n");
    }
    if (path.key.empty()) {
      std::string body;
      for (const auto& key : documents_.keys(path.type_name)) {
        body += key + "\n";
      }
      return response.reply(200, kText, body);
    }
    const auto stored =
        isValidKey(path.key) ? documents_.find(path.type_name, path.key) : std::nullopt;
    if (!stored) {
      return response.reply(404, kText, "no such document\n");
    }
    response.set("X-Receipt", stored->receipt);
    response.reply(200, "application/xml", stored->body);
  }

  void accept(Request& request, Response& response) {
    const DocumentPath path = documentPath(request);
    const std::optional<worksafe::DocumentType> type =
        worksafe::documentTypeFromName(path.type_name);
    if (!type) {
      return response.reply(404, kText, "unknown document type\n");
    }
    if (!path.key.empty()) {
      response.set("Allow", "GET");
      return response.reply(405, kText, "GET only\n");
    }
    const std::string key = request.header("Idempotency-Key").value_or("");
    if (!isValidKey(key)) {
      return response.reply(400, kText, "Idempotency-Key header missing or malformed\n");
    }
    const std::string body = request.body().readAll();  // 413 past the limit
    const std::optional<Fault> fault = faults_.next();
    if (fault && answerWithFault(*fault, response, key)) {
      return;
    }
    // A key already held is answered before validation, as the board does:
    // the same document again is 200, another one under its key 409.
    try {
      if (auto known = documents_.existing(path.type_name, key, body)) {
        return answerKnown(*known, path.type_name, key, response);
      }
    } catch (const StoreFailure& e) {
      return unavailable(path.type_name, key, e, response);
    }
    worksafe::ValidationOptions validation;
    validation.today = options_.today.value_or(worksafe::Date::today());
    validation.expected_type = type;
    // Validation runs outside any lock: concurrent requests use both cores.
    const std::vector<worksafe::Problem> problems =
        worksafe::validateDocument(*schemas_, *profiles_, body, validation);
    if (worksafe::hasErrors(problems)) {
      logger().warning("%s %s rejected with %z problem(s) (422)", path.type_name, key,
                       problems.size());
      return response.reply(422, "application/json", problemsJson(problems));
    }
    store(path.type_name, key, body, fault, response);
  }

  void store(const std::string& type_name, const std::string& key, const std::string& body,
             const std::optional<Fault>& fault, Response& response) {
    AcceptedDocuments::Result stored;
    try {
      stored = documents_.store(type_name, key, body);  // returns once on disk
    } catch (const StoreFailure& e) {
      return unavailable(type_name, key, e, response);
    }
    if (stored.outcome != AcceptedDocuments::Outcome::kCreated) {
      return answerKnown(stored, type_name, key, response);  // a concurrent twin won
    }
    if (logger().information()) {  // spelled out: Poco::format is slow for a line per document
      logger().information(type_name + " " + key + " accepted as " + stored.receipt + " (201)");
    }
    if (options_.latency.count() > 0) {
      std::this_thread::sleep_for(options_.latency);
    }
    if (fault && fault->kind == Fault::Kind::kHangAfterStore) {
      // Stored, but the answer comes too late: the sender's retry must get 200.
      std::this_thread::sleep_for(std::chrono::milliseconds(fault->hang_ms));
    }
    response.reply(201, kText, stored.receipt);
  }

  /// The store failed (disk full...): 503, which the sender retries.
  void unavailable(const std::string& type_name, const std::string& key, const StoreFailure& error,
                   Response& response) {
    logger().error("%s %s not stored: %s (503)", type_name, key, std::string(error.what()));
    response.reply(503, kText, "the board cannot store documents now\n");
  }

  void answerKnown(const AcceptedDocuments::Result& known, const std::string& type_name,
                   const std::string& key, Response& response) {
    if (known.outcome == AcceptedDocuments::Outcome::kConflict) {
      logger().warning("%s %s: key reused with other content (409)", type_name, key);
      return response.reply(409, kText, "Idempotency-Key already used for a different document\n");
    }
    response.reply(200, kText, known.receipt);
  }

  const BoardSimulatorOptions& options_;
  AcceptedDocuments& documents_;
  std::shared_ptr<const worksafe::SchemaSet> schemas_;
  std::shared_ptr<const worksafe::BoardProfiles> profiles_;
  FaultPlan& faults_;
};

BoardSimulator::BoardSimulator(BoardSimulatorOptions options, Poco::Net::Context::Ptr tls,
                               std::shared_ptr<const worksafe::SchemaSet> schemas)
    : BoardSimulator(options, std::move(tls), std::move(schemas),
                     worksafe::BoardProfiles::load(options.boards_dir)) {}

BoardSimulator::BoardSimulator(BoardSimulatorOptions options, Poco::Net::Context::Ptr tls,
                               std::shared_ptr<const worksafe::SchemaSet> schemas,
                               std::shared_ptr<const worksafe::BoardProfiles> profiles)
    : options_(std::move(options)),
      documents_(std::make_shared<AcceptedDocuments>(options_.store_dir)) {
  if (!schemas || !profiles) {
    throw std::invalid_argument("the board simulator needs schemas and board profiles");
  }
  endpoints_ = std::make_unique<Endpoints>(options_, *documents_, std::move(schemas),
                                           std::move(profiles), *faults_);
  transport::HttpsServerOptions server;
  server.name = "board-sim";
  server.host = options_.host;
  server.port = options_.port;
  // A keep-alive connection holds its thread until it closes: up to 64
  // clients at once, more wait in the queue.
  server.max_connections = 64;
  server.max_queued = 64;
  server.max_body_bytes = options_.max_body_bytes;
  server.request_timeout_ms = 30'000;
  server.idle_timeout_ms = 15'000;
  server.max_keep_alive_requests = 0;  // unlimited: no handshake every N documents
  // Any client whose certificate chains to the CA is the gateway.
  server_ = std::make_unique<transport::HttpsServer>(server, std::move(tls),
                                                     transport::anyVerifiedClient);
  endpoints_->addTo(*server_);
}

BoardSimulator::~BoardSimulator() { stop(); }

void BoardSimulator::start() { server_->start(); }

void BoardSimulator::stop() {
  if (server_) {
    server_->stop();
  }
}

bool isValidKey(const std::string& key) {
  return !key.empty() && key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

int BoardSimulator::openConnections() const { return server_->openConnections(); }

std::uint16_t BoardSimulator::port() const { return server_->port(); }

}  // namespace rtw::boardsim
