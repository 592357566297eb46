#include "rtw/boardsim/board_simulator.h"

#include <algorithm>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>

#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include "rtw/security/tls.h"

#include "rtw/worksafe/rules.h"

namespace rtw::boardsim {
namespace {

using Poco::Net::HTTPResponse;

Poco::Logger& logger() { return Poco::Logger::get("rtw.board-sim"); }

void reply(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
           const std::string& content_type, const std::string& body) {
  response.setStatus(status);
  response.setContentType(content_type);
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

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

class DocumentHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  DocumentHandler(const BoardSimulatorOptions& options, AcceptedDocuments& documents,
                  const worksafe::SchemaSet& schemas, const worksafe::BoardProfiles& profiles,
                  FaultPlan& faults)
      : options_(options),
        documents_(documents),
        schemas_(schemas),
        profiles_(profiles),
        faults_(faults) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    const std::string prefix = "/documents/";
    const std::string& uri = request.getURI();
    if (uri == "/health") {
      return reply(response, HTTPResponse::HTTP_OK, "text/plain", "ok\n");
    }
    if (uri == "/sim/faults") {
      return planFaults(request, response);
    }
    if (uri.rfind(prefix, 0) != 0) {
      return reply(response, HTTPResponse::HTTP_NOT_FOUND, "text/plain", "no such endpoint\n");
    }
    std::string type_name = uri.substr(prefix.size());
    std::string key;  // GET /documents/<type>/<key>: one document
    if (const auto slash = type_name.find('/'); slash != std::string::npos) {
      key = type_name.substr(slash + 1);
      type_name.resize(slash);
    }
    const std::optional<worksafe::DocumentType> type = worksafe::documentTypeFromName(type_name);
    if (!type) {
      return reply(response, HTTPResponse::HTTP_NOT_FOUND, "text/plain", "unknown document type\n");
    }
    if (request.getMethod() == "GET") {
      return key.empty() ? list(type_name, response) : show(type_name, key, response);
    }
    if (!key.empty()) {
      return reply(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "text/plain", "GET only\n");
    }
    if (request.getMethod() != "POST") {
      return reply(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "text/plain", "POST only\n");
    }
    accept(request, response, *type, type_name);
  }

 private:
  /// POST adds faults for the next document POSTs (fault_plan.h); DELETE clears them.
  void planFaults(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    if (request.getMethod() == "DELETE") {
      faults_.clear();
      return reply(response, HTTPResponse::HTTP_OK, "text/plain", "cleared\n");
    }
    std::string plan;
    if (request.getMethod() != "POST" || !readBody(request, plan)) {
      return reply(response, HTTPResponse::HTTP_BAD_REQUEST, "text/plain", "POST a plan\n");
    }
    try {
      faults_.add(plan);
    } catch (const std::invalid_argument& e) {
      return reply(response, HTTPResponse::HTTP_BAD_REQUEST, "text/plain", e.what());
    }
    logger().information("fault plan added");
    reply(response, HTTPResponse::HTTP_OK, "text/plain", "planned\n");
  }

  /// Plays a status fault; true when it answered the request.
  bool answerWithFault(const Fault& fault, Poco::Net::HTTPServerResponse& response,
                       const std::string& key) {
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
      reply(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "application/json",
            "{\"problems\":[{\"code\":\"SIMULATED\",\"field\":\"\",\"message\":\"fault "
            "injected\"}]}");
    } else {
      reply(response, static_cast<HTTPResponse::HTTPStatus>(fault.status), "text/plain",
            "fault injected\n");
    }
    return true;
  }

  void show(const std::string& type_name, const std::string& key,
            Poco::Net::HTTPServerResponse& response) {
    const auto stored = isValidKey(key) ? documents_.find(type_name, key) : std::nullopt;
    if (!stored) {
      return reply(response, HTTPResponse::HTTP_NOT_FOUND, "text/plain", "no such document\n");
    }
    response.set("X-Receipt", stored->receipt);
    reply(response, HTTPResponse::HTTP_OK, "application/xml", stored->body);
  }

  void list(const std::string& type_name, Poco::Net::HTTPServerResponse& response) {
    std::string body;
    for (const auto& key : documents_.keys(type_name)) {
      body += key + "\n";
    }
    reply(response, HTTPResponse::HTTP_OK, "text/plain", body);
  }

  void accept(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
              worksafe::DocumentType type, const std::string& type_name) {
    const std::string key = request.get("Idempotency-Key", "");
    if (!isValidKey(key)) {
      return reply(response, HTTPResponse::HTTP_BAD_REQUEST, "text/plain",
                   "Idempotency-Key header missing or malformed\n");
    }
    std::string body;
    if (!readBody(request, body)) {
      return reply(response, HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "text/plain",
                   "document too large\n");
    }
    const std::optional<Fault> fault = faults_.next();
    if (fault && answerWithFault(*fault, response, key)) {
      return;
    }
    // A key already held is answered before validation, as the board does:
    // the same document again is 200, another one under its key 409.
    try {
      if (auto known = documents_.existing(type_name, key, body)) {
        return answerKnown(*known, type_name, key, response);
      }
    } catch (const StoreFailure& e) {
      return unavailable(type_name, key, e, response);
    }
    worksafe::ValidationOptions validation;
    validation.today = options_.today.value_or(worksafe::Date::today());
    validation.expected_type = type;
    // Validation runs outside any lock: concurrent requests use both cores.
    const std::vector<worksafe::Problem> problems =
        worksafe::validateDocument(schemas_, profiles_, body, validation);
    if (worksafe::hasErrors(problems)) {
      logger().warning("%s %s rejected with %z problem(s) (422)", type_name, key, problems.size());
      return reply(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "application/json",
                   problemsJson(problems));
    }
    AcceptedDocuments::Result stored;
    try {
      stored = documents_.store(type_name, key, body);  // returns once on disk
    } catch (const StoreFailure& e) {
      return unavailable(type_name, key, e, response);
    }
    if (stored.outcome != AcceptedDocuments::Outcome::kCreated) {
      return answerKnown(stored, type_name, key, response);  // a concurrent twin won
    }
    const std::string& receipt = stored.receipt;
    if (logger().information()) {  // spelled out: Poco::format is slow for a line per document
      logger().information(type_name + " " + key + " accepted as " + receipt + " (201)");
    }
    if (options_.latency.count() > 0) {
      std::this_thread::sleep_for(options_.latency);
    }
    if (fault && fault->kind == Fault::Kind::kHangAfterStore) {
      // Stored, but the answer comes too late: the sender's retry must get 200.
      std::this_thread::sleep_for(std::chrono::milliseconds(fault->hang_ms));
    }
    reply(response, HTTPResponse::HTTP_CREATED, "text/plain", receipt);
  }

  /// The store failed (disk full...): 503, which the sender retries.
  void unavailable(const std::string& type_name, const std::string& key, const StoreFailure& error,
                   Poco::Net::HTTPServerResponse& response) {
    logger().error("%s %s not stored: %s (503)", type_name, key, std::string(error.what()));
    reply(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "text/plain",
          "the board cannot store documents now\n");
  }

  void answerKnown(const AcceptedDocuments::Result& known, const std::string& type_name,
                   const std::string& key, Poco::Net::HTTPServerResponse& response) {
    if (known.outcome == AcceptedDocuments::Outcome::kConflict) {
      logger().warning("%s %s: key reused with other content (409)", type_name, key);
      return reply(response, HTTPResponse::HTTP_CONFLICT, "text/plain",
                   "Idempotency-Key already used for a different document\n");
    }
    reply(response, HTTPResponse::HTTP_OK, "text/plain", known.receipt);
  }

  bool readBody(Poco::Net::HTTPServerRequest& request, std::string& body) {
    if (request.hasContentLength() &&
        request.getContentLength64() > static_cast<Poco::Int64>(options_.max_body_bytes)) {
      return false;
    }
    std::ostringstream text;
    Poco::StreamCopier::copyStream(request.stream(), text);
    body = text.str();
    return body.size() <= options_.max_body_bytes;
  }

  const BoardSimulatorOptions& options_;
  AcceptedDocuments& documents_;
  const worksafe::SchemaSet& schemas_;
  const worksafe::BoardProfiles& profiles_;
  FaultPlan& faults_;
};

class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HandlerFactory(const BoardSimulatorOptions& options, std::shared_ptr<AcceptedDocuments> documents,
                 std::shared_ptr<const worksafe::SchemaSet> schemas,
                 std::shared_ptr<const worksafe::BoardProfiles> profiles,
                 std::shared_ptr<FaultPlan> faults)
      : options_(options),
        documents_(std::move(documents)),
        schemas_(std::move(schemas)),
        profiles_(std::move(profiles)),
        faults_(std::move(faults)) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new DocumentHandler(options_, *documents_, *schemas_, *profiles_, *faults_);
  }

 private:
  const BoardSimulatorOptions& options_;
  std::shared_ptr<AcceptedDocuments> documents_;
  std::shared_ptr<const worksafe::SchemaSet> schemas_;
  std::shared_ptr<const worksafe::BoardProfiles> profiles_;
  std::shared_ptr<FaultPlan> faults_;
};

}  // namespace

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
  Poco::Net::SecureServerSocket socket =
      security::exclusiveListener(options_.host, options_.port, tls);
  // A keep-alive connection holds its thread until it closes: up to
  // kMaxConnections clients at once, more wait in the queue.
  constexpr int kMaxConnections = 64;
  threads_ = std::make_unique<Poco::ThreadPool>(2, kMaxConnections + 2);
  auto* params = new Poco::Net::HTTPServerParams;
  params->setTimeout(Poco::Timespan(30, 0));
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(15, 0));
  params->setMaxKeepAliveRequests(0);  // unlimited: no handshake every N documents
  params->setMaxThreads(kMaxConnections);
  params->setMaxQueued(64);
  server_ = std::make_unique<Poco::Net::HTTPServer>(
      new HandlerFactory(options_, documents_, std::move(schemas), std::move(profiles), faults_),
      *threads_, socket, params);
}

BoardSimulator::~BoardSimulator() { stop(); }

void BoardSimulator::start() { server_->start(); }

void BoardSimulator::stop() {
  if (server_) {
    server_->stopAll(true);
  }
}

bool isValidKey(const std::string& key) {
  return !key.empty() && key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

int BoardSimulator::openConnections() const { return server_->currentConnections(); }

std::uint16_t BoardSimulator::port() const { return server_->socket().address().port(); }

}  // namespace rtw::boardsim
