// bench-board-sim: documents/s the board simulator accepts (201, on disk)
// from N concurrent HTTPS keep-alive clients, the simulator running in this
// process on loopback with its real validation and store.
//
//   build/bin/bench-board-sim [--clients 16] [--seconds 5] [--store DIR]
//
// The store defaults to a fresh folder under the build tree (a real disk:
// /tmp may be a tmpfs elsewhere, where fsync costs nothing).

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>

#include "rtw/boardsim/board_simulator.h"
#include "rtw/security/tls.h"

namespace {

const std::filesystem::path kSource = RTW_SOURCE_DIR;
const std::filesystem::path kBinary = RTW_BINARY_DIR;

struct Settings {
  int clients = 16;
  int seconds = 5;
  std::filesystem::path store;
};

Settings parse(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--clients") {
      settings.clients = std::stoi(value);
    } else if (name == "--seconds") {
      settings.seconds = std::stoi(value);
    } else if (name == "--store") {
      settings.store = value;
    } else {
      throw std::invalid_argument("unknown option " + name);
    }
  }
  if (settings.store.empty()) {
    settings.store = kBinary / "bench-board-sim-store";
  }
  return settings;
}

std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

rtw::security::TlsFiles certificate(const std::filesystem::path& dir, const std::string& name) {
  return {(dir / (name + ".pem")).string(), (dir / (name + ".key")).string(),
          (dir / "ca.pem").string()};
}

/// One keep-alive connection posting documents with fresh keys until `stop`.
void client(std::uint16_t port, Poco::Net::Context::Ptr tls, const std::string& body, int id,
            const std::atomic<bool>& stop, std::atomic<long>& created, std::atomic<long>& other) {
  Poco::Net::HTTPSClientSession session("localhost", port, tls);
  session.setKeepAlive(true);
  for (long i = 0; !stop; ++i) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/documents/referral",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/xml");
    request.set("Idempotency-Key", "bench-" + std::to_string(id) + "-" + std::to_string(i));
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::string answer;
    Poco::StreamCopier::copyToString(in, answer);
    (response.getStatus() == Poco::Net::HTTPResponse::HTTP_CREATED ? created : other)++;
  }
}

}  // namespace

int main(int argc, char** argv) try {
  const Settings settings = parse(argc, argv);
  rtw::security::TlsLibrary tls_library;
  const std::filesystem::path certs = settings.store.string() + "-certs";
  std::filesystem::remove_all(settings.store);
  std::filesystem::create_directories(certs);
  const std::string make = "'" + (kSource / "certs/make-dev-certs.sh").string() + "' '" +
                           certs.string() + "' clinic01 >/dev/null 2>&1";
  if (std::system(make.c_str()) != 0) {
    throw std::runtime_error("cannot make certificates");
  }

  rtw::boardsim::BoardSimulatorOptions options;
  options.port = 0;
  options.store_dir = settings.store;
  options.boards_dir = kSource / "conf/boards";
  options.today = rtw::worksafe::Date::parse("2025-06-30");
  auto schemas = rtw::worksafe::SchemaSet::load(kSource / "mappings/worksafe");
  rtw::boardsim::BoardSimulator simulator(
      options, rtw::security::serverContext(certificate(certs, "board-sim")), schemas);
  simulator.start();

  const std::string body = readText(kSource / "tests/data/worksafe/referral-wsbc-crrtw.xml");
  const auto tls = rtw::security::clientContext(certificate(certs, "gateway-client"));
  std::atomic<bool> stop{false};
  std::atomic<long> created{0};
  std::atomic<long> other{0};
  std::vector<std::thread> clients;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < settings.clients; ++i) {
    clients.emplace_back([&, i] { client(simulator.port(), tls, body, i, stop, created, other); });
  }
  std::this_thread::sleep_for(std::chrono::seconds(settings.seconds));
  stop = true;
  for (auto& thread : clients) {
    thread.join();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  simulator.stop();
  std::cout << "clients=" << settings.clients << " seconds=" << seconds
            << " created=" << created.load() << " other=" << other.load()
            << " documents/s=" << static_cast<long>(created.load() / seconds) << std::endl;
  std::filesystem::remove_all(certs);
  return other.load() == 0 && created.load() > 0 ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "bench-board-sim: " << e.what() << std::endl;
  return 2;
}
