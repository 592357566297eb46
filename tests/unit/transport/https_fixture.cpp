#include "https_fixture.h"

#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/StreamCopier.h>

namespace rtw::transport::test {
namespace {

using Clock = std::chrono::steady_clock;

/// The dev CA and certificates in a temp folder, removed at exit.
class Certificates {
 public:
  Certificates() {
    std::random_device seed;
    dir_ = std::filesystem::temp_directory_path() /
           ("rtw-https-certs-" + std::to_string(::getpid()) + "-" + std::to_string(seed()));
    std::filesystem::create_directories(dir_);
    const std::string command = "'" + std::string(RTW_SOURCE_DIR) + "/certs/make-dev-certs.sh' '" +
                                dir_.string() + "' clinic01 >/dev/null 2>&1";
    made_ = std::system(command.c_str()) == 0;
  }
  ~Certificates() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  const std::filesystem::path& dir() const {
    REQUIRE(made_);
    return dir_;
  }

 private:
  std::filesystem::path dir_;
  bool made_ = false;
};

const Certificates& certificates() {
  static rtw::security::TlsLibrary library;
  static const Certificates made;
  return made;
}

class LineChannel final : public Poco::Channel {
 public:
  void log(const Poco::Message& message) override {
    const std::lock_guard lock(mutex_);
    text_ += message.getText() + "\n";
  }
  std::string text() const {
    const std::lock_guard lock(mutex_);
    return text_;
  }

 private:
  mutable std::mutex mutex_;
  std::string text_;
};

Poco::Timespan milliseconds(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

}  // namespace

rtw::security::TlsFiles certificate(const std::string& name) {
  const auto& dir = certificates().dir();
  return {(dir / (name + ".pem")).string(), (dir / (name + ".key")).string(),
          (dir / "ca.pem").string()};
}

Poco::Net::Context::Ptr serverTls() {
  return rtw::security::serverContext(certificate("board-sim"));
}

Poco::Net::Context::Ptr clientTls(const std::string& name) {
  return rtw::security::clientContext(certificate(name));
}

Poco::Net::Context::Ptr clientTlsWithoutCertificate() {
  Poco::Net::Context::Params params;
  params.caLocation = (certificates().dir() / "ca.pem").string();
  params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  params.loadDefaultCAs = false;
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
}

HttpsServerOptions testOptions() {
  HttpsServerOptions options;
  options.name = "test";
  options.port = 0;
  options.request_timeout_ms = 5'000;
  options.idle_timeout_ms = 5'000;
  options.linger_ms = 300;
  options.stop_timeout_ms = 5'000;
  return options;
}

RunningServer::RunningServer(HttpsServerOptions options, IdentifyCaller identify)
    : server_(std::make_unique<HttpsServer>(std::move(options), serverTls(), std::move(identify))) {
}

RawClient::RawClient(std::uint16_t port, Poco::Net::Context::Ptr tls)
    : socket_(Poco::Net::SocketAddress("127.0.0.1", port), "localhost", std::move(tls)) {}

void RawClient::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const int count = socket_.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
    REQUIRE(count > 0);
    sent += static_cast<std::size_t>(count);
  }
}

std::optional<Reply> RawClient::receive(std::chrono::milliseconds wait) {
  const auto until = Clock::now() + wait;
  auto more = [&]() -> bool {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) {
      return false;
    }
    // POCO waits up to twice the timeout on a TLS read.
    socket_.setReceiveTimeout(milliseconds(std::max(left / 2, std::chrono::milliseconds(1))));
    char chunk[16 * 1024];
    try {
      const int count = socket_.receiveBytes(chunk, sizeof chunk);
      if (count <= 0) {
        return false;
      }
      buffered_.append(chunk, static_cast<std::size_t>(count));
      return true;
    } catch (const Poco::Exception&) {
      return false;
    }
  };
  std::size_t end = std::string::npos;
  while ((end = buffered_.find("\r\n\r\n")) == std::string::npos) {
    if (!more()) {
      return std::nullopt;
    }
  }
  Reply reply;
  std::istringstream head(buffered_.substr(0, end + 4));
  reply.head.read(head);
  reply.status = static_cast<int>(reply.head.getStatus());
  buffered_.erase(0, end + 4);
  const auto length =
      reply.head.hasContentLength() ? static_cast<std::size_t>(reply.head.getContentLength64()) : 0;
  while (buffered_.size() < length) {
    if (!more()) {
      return std::nullopt;
    }
  }
  reply.body = buffered_.substr(0, length);
  buffered_.erase(0, length);
  return reply;
}

bool RawClient::closedWithin(std::chrono::milliseconds wait) {
  const auto until = Clock::now() + wait;
  char chunk[16 * 1024];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) {
      return false;
    }
    socket_.setReceiveTimeout(milliseconds(std::max(left / 2, std::chrono::milliseconds(1))));
    try {
      if (socket_.receiveBytes(chunk, sizeof chunk) <= 0) {
        return true;
      }
    } catch (const Poco::TimeoutException&) {
      return false;
    } catch (const Poco::Exception&) {
      return true;  // reset, or TLS ended without close_notify
    }
  }
}

std::uint16_t RawClient::localPort() const { return socket_.address().port(); }

Reply exchange(Poco::Net::HTTPSClientSession& session, const std::string& method,
               const std::string& target, const std::string& body, bool chunked) {
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  if (chunked) {
    request.setChunkedTransferEncoding(true);
  } else if (!body.empty() || method == "POST") {
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(request) << body;
  Reply reply;
  std::istream& in = session.receiveResponse(reply.head);
  Poco::StreamCopier::copyToString(in, reply.body);
  reply.status = static_cast<int>(reply.head.getStatus());
  return reply;
}

std::unique_ptr<Poco::Net::HTTPSClientSession> session(std::uint16_t port) {
  auto made = std::make_unique<Poco::Net::HTTPSClientSession>("localhost", port, clientTls());
  made->setKeepAlive(true);
  made->setTimeout(Poco::Timespan(10, 0));
  return made;
}

Reply request(std::uint16_t port, const std::string& method, const std::string& target,
              const std::string& body, bool chunked) {
  auto made = session(port);
  return exchange(*made, method, target, body, chunked);
}

CapturedLog::CapturedLog() : channel_(new LineChannel) {
  Poco::Logger& logger = Poco::Logger::get("rtw.https");
  previous_ = Poco::AutoPtr<Poco::Channel>(logger.getChannel(), true);
  logger.setChannel(channel_);
}

CapturedLog::~CapturedLog() { Poco::Logger::get("rtw.https").setChannel(previous_); }

std::string CapturedLog::text() const { return static_cast<const LineChannel&>(*channel_).text(); }

bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds wait) {
  const auto until = Clock::now() + wait;
  while (!condition()) {
    if (Clock::now() >= until) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace rtw::transport::test
