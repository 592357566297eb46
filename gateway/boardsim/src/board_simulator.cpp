#include "rtw/boardsim/board_simulator.h"

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/StreamCopier.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

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
    const std::string type_name = uri.substr(prefix.size());
    const std::optional<worksafe::DocumentType> type = worksafe::documentTypeFromName(type_name);
    if (!type) {
      return reply(response, HTTPResponse::HTTP_NOT_FOUND, "text/plain", "unknown document type\n");
    }
    if (request.getMethod() == "GET") {
      return list(type_name, response);
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
    if (fault.retry_after_s) {
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
    std::string receipt;
    {
      std::lock_guard lock(documents_.mutex());
      if (auto stored = documents_.find(type_name, key)) {
        if (stored->body != body) {
          logger().warning("%s %s: key reused with other content (409)", type_name, key);
          return reply(response, HTTPResponse::HTTP_CONFLICT, "text/plain",
                       "Idempotency-Key already used for a different document\n");
        }
        return reply(response, HTTPResponse::HTTP_OK, "text/plain", stored->receipt);
      }
      worksafe::ValidationOptions validation;
      validation.today = options_.today.value_or(worksafe::Date::today());
      validation.expected_type = type;
      const std::vector<worksafe::Problem> problems =
          worksafe::validateDocument(schemas_, profiles_, body, validation);
      if (worksafe::hasErrors(problems)) {
        logger().warning("%s %s rejected with %z problem(s) (422)", type_name, key,
                         problems.size());
        return reply(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "application/json",
                     problemsJson(problems));
      }
      receipt = documents_.store(type_name, key, body);
    }
    logger().information("%s %s accepted as %s (201)", type_name, key, receipt);
    if (fault && fault->kind == Fault::Kind::kHangAfterStore) {
      // Stored, but the answer comes too late: the sender's retry must get 200.
      std::this_thread::sleep_for(std::chrono::milliseconds(fault->hang_ms));
    }
    reply(response, HTTPResponse::HTTP_CREATED, "text/plain", receipt);
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
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress(options_.host, options_.port), 64,
                                       tls);
  auto* params = new Poco::Net::HTTPServerParams;
  params->setTimeout(Poco::Timespan(30, 0));
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(1000);
  params->setMaxThreads(16);
  params->setMaxQueued(64);
  server_ = std::make_unique<Poco::Net::HTTPServer>(
      new HandlerFactory(options_, documents_, std::move(schemas), std::move(profiles), faults_),
      socket, params);
}

BoardSimulator::~BoardSimulator() { stop(); }

void BoardSimulator::start() { server_->start(); }

void BoardSimulator::stop() {
  if (server_) {
    server_->stopAll(true);
  }
}

std::uint16_t BoardSimulator::port() const { return server_->socket().address().port(); }

}  // namespace rtw::boardsim
