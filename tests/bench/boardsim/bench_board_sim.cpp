// bench-board-sim: documents/s the board simulator accepts (201, on disk)
// from N concurrent HTTPS keep-alive clients, the simulator running in this
// process on loopback with its real validation and store.
//
//   build/bin/bench-board-sim [--clients 16] [--seconds 5] [--store DIR]
//   build/bin/bench-board-sim --validate-only 1 [--seconds 5]
//
// --validate-only: how many times one thread validates the document (XSD and
// board rules, what every POST pays) per second, no HTTP and no store.
//
// The store defaults to a fresh folder under the build tree (a real disk:
// /tmp may be a tmpfs elsewhere, where fsync costs nothing).

#include <sys/resource.h>

#include <algorithm>
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
#include "rtw/worksafe/rules.h"

namespace {

const std::filesystem::path kSource = RTW_SOURCE_DIR;
const std::filesystem::path kBinary = RTW_BINARY_DIR;

struct Settings {
  int clients = 16;
  int seconds = 5;
  bool validate_only = false;
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
    } else if (name == "--validate-only") {
      settings.validate_only = value == "1";
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

/// CPU seconds (user + system) of this thread or of the whole process.
double cpuSeconds(int who) {
  rusage usage{};
  ::getrusage(who, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// One keep-alive connection posting documents with fresh keys until `stop`;
/// adds the CPU time it used to `client_cpu`.
void client(std::uint16_t port, Poco::Net::Context::Ptr tls, const std::string& body, int id,
            const std::atomic<bool>& stop, std::atomic<long>& created, std::atomic<long>& other,
            std::atomic<double>& client_cpu) {
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
  double before = client_cpu.load();
  while (!client_cpu.compare_exchange_weak(before, before + cpuSeconds(RUSAGE_THREAD))) {
  }
}

/// Validations per second on this thread.
double validationsPerSecond(const std::string& body, int seconds) {
  auto schemas = rtw::worksafe::SchemaSet::load(kSource / "mappings/worksafe");
  auto profiles = rtw::worksafe::BoardProfiles::load(kSource / "conf/boards");
  rtw::worksafe::ValidationOptions options;
  options.today = *rtw::worksafe::Date::parse("2025-06-30");
  options.expected_type = rtw::worksafe::DocumentType::kReferral;
  long count = 0;
  const auto start = std::chrono::steady_clock::now();
  const auto until = start + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (rtw::worksafe::hasErrors(
            rtw::worksafe::validateDocument(*schemas, *profiles, body, options))) {
      throw std::runtime_error("the benchmark document is not valid");
    }
    ++count;
  }
  return count / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) try {
  const Settings settings = parse(argc, argv);
  const std::string body = readText(kSource / "tests/data/worksafe/referral-wsbc-crrtw.xml");
  if (settings.validate_only) {
    std::cout << "validations/s (one thread)="
              << static_cast<long>(validationsPerSecond(body, settings.seconds)) << std::endl;
    return 0;
  }
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

  const auto tls = rtw::security::clientContext(certificate(certs, "gateway-client"));
  std::atomic<bool> stop{false};
  std::atomic<long> created{0};
  std::atomic<long> other{0};
  std::atomic<double> client_cpu{0};
  std::vector<std::thread> clients;
  const double cpu_at_start = cpuSeconds(RUSAGE_SELF);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < settings.clients; ++i) {
    clients.emplace_back(
        [&, i] { client(simulator.port(), tls, body, i, stop, created, other, client_cpu); });
  }
  std::this_thread::sleep_for(std::chrono::seconds(settings.seconds));
  stop = true;
  for (auto& thread : clients) {
    thread.join();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The simulator's CPU: the process's minus the clients' (TLS and HTTP on
  // their side), per document accepted.
  const double simulator_cpu = cpuSeconds(RUSAGE_SELF) - cpu_at_start - client_cpu.load();
  simulator.stop();
  const long documents = std::max(created.load(), 1L);
  std::cout << "clients=" << settings.clients << " seconds=" << seconds
            << " created=" << created.load() << " other=" << other.load()
            << " documents/s=" << static_cast<long>(created.load() / seconds)
            << " simulator-cpu-us/document=" << static_cast<long>(simulator_cpu * 1e6 / documents)
            << " client-cpu-us/document=" << static_cast<long>(client_cpu.load() * 1e6 / documents)
            << std::endl;
  std::filesystem::remove_all(certs);
  return other.load() == 0 && created.load() > 0 ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "bench-board-sim: " << e.what() << std::endl;
  return 2;
}
