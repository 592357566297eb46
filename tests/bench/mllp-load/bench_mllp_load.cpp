// mllp-load: a load generator for MLLP servers (issue 6). N connections, polled
// by one thread per core (or --threads T), TLS with a client certificate or plain TCP; closed loop
// (one message at a time, or --pipeline K in flight) or open loop at a fixed
// total --rate; bounded by --messages and --seconds. Every ACK frame is
// checked against the messages sent: a second ACK for one message or an ACK
// whose MSA-2 names no waiting message marks the run WRONG (exit code 2).
// --help lists the options.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "load_connection.h"
#include "load_summary.h"

namespace {

using namespace rtw::bench;

constexpr const char* kUsage = R"(usage: mllp-load --port N [options]
  --host H            server host (default localhost; also the TLS name checked)
  --port N            server port
  --cert F --key F --ca F   TLS with this client certificate (else plain TCP)
  --connections N     connections (default 1)
  --threads T         threads serving the connections, each polling its share
                      (default: one per core, at most one per connection)
  --messages N        messages in total (default 10000)
  --seconds S         stop sending after S seconds (default 10)
  --rate R            open loop: R messages/s over all connections (default: closed loop)
  --pipeline K        closed loop: K messages in flight per connection (default 1)
  --message F         HL7 v2 message used as template (MSH-10 replaced per message)
  --enhanced          keep MSH-15/16 of the template (default: original mode, one ACK each)
  --id-prefix P       prefix of the generated MSH-10 values (default: L<epoch seconds>-)
  --ack-timeout-ms T  a message unanswered this long ends its connection (default 10000)
  --drain-ms T        after the last ACK, listen this long for stray ACKs (default 200)
  --label TEXT        name of the run in the output
  --json              also print the result as one JSON line starting with "RESULT "
  --expect-all        exit 1 unless every message was sent and acknowledged
)";

struct Options {
  std::string host = "localhost";
  int port = 0;
  TlsClientFiles tls;
  LoadPlan plan;
  std::string message_file;
  bool enhanced = false;
  std::string id_prefix;
  std::string label;
  bool json = false;
  bool expect_all = false;
  int threads = 0;  // 0: one per core
};

Options parse(int argc, char** argv) {
  Options o;
  o.plan.messages = 10'000;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        throw std::runtime_error(arg + " needs a value");
      }
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (arg == "--host") {
      o.host = value();
    } else if (arg == "--port") {
      o.port = std::stoi(value());
    } else if (arg == "--cert") {
      o.tls.certificate = value();
    } else if (arg == "--key") {
      o.tls.private_key = value();
    } else if (arg == "--ca") {
      o.tls.ca = value();
    } else if (arg == "--connections") {
      o.plan.connections = std::max(1, std::stoi(value()));
    } else if (arg == "--threads") {
      o.threads = std::max(1, std::stoi(value()));
    } else if (arg == "--messages") {
      o.plan.messages = std::stoull(value());
    } else if (arg == "--seconds") {
      o.plan.seconds = std::stod(value());
    } else if (arg == "--rate") {
      o.plan.rate = std::stod(value());
    } else if (arg == "--pipeline") {
      o.plan.pipeline = std::max(1, std::stoi(value()));
    } else if (arg == "--message") {
      o.message_file = value();
    } else if (arg == "--enhanced") {
      o.enhanced = true;
    } else if (arg == "--id-prefix") {
      o.id_prefix = value();
    } else if (arg == "--ack-timeout-ms") {
      o.plan.ack_timeout_ms = std::stoi(value());
    } else if (arg == "--drain-ms") {
      o.plan.drain_ms = std::stoi(value());
    } else if (arg == "--label") {
      o.label = value();
    } else if (arg == "--json") {
      o.json = true;
    } else if (arg == "--expect-all") {
      o.expect_all = true;
    } else {
      throw std::runtime_error("unknown option " + arg + " (see --help)");
    }
  }
  if (o.port <= 0 || o.message_file.empty()) {
    throw std::runtime_error("--port and --message are required (see --help)");
  }
  if (o.id_prefix.empty()) {
    o.id_prefix = "L" + std::to_string(std::time(nullptr)) + "-";
  }
  return o;
}

std::string readText(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string describeMode(const Options& o) {
  std::ostringstream mode;
  if (o.plan.rate > 0) {
    mode << "open loop " << o.plan.rate << "/s";
  } else if (o.plan.pipeline > 1) {
    mode << "closed loop, PIPELINED " << o.plan.pipeline << " in flight per connection";
  } else {
    mode << "closed loop, 1 in flight per connection";
  }
  mode << (o.tls.certificate.empty() ? ", plain TCP" : ", TLS");
  return mode.str();
}

int run(const Options& o) {
  MessageSource source(readText(o.message_file), o.id_prefix, o.plan.messages, !o.enhanced);
  std::unique_ptr<TlsClientContext> tls;
  if (!o.tls.certificate.empty()) {
    tls = std::make_unique<TlsClientContext>(o.tls);
  }
  // Every connection is open (handshake done) before the clock starts.
  std::vector<std::unique_ptr<ByteStream>> streams;
  for (int c = 0; c < o.plan.connections; ++c) {
    streams.push_back(connectStream(o.host, static_cast<std::uint16_t>(o.port), tls.get()));
  }
  const auto start = LoadClock::now() + std::chrono::milliseconds(20);
  std::vector<ByteStream*> open;
  for (const auto& stream : streams) {
    open.push_back(stream.get());
  }
  // One thread per core by default: a single thread held back the peer
  // (@medplum/hl7, one Node thread) to 11,600-12,500 ACKs/s where two gave it
  // 19,000-20,000; the gateway got the same from both.
  const int threads = o.threads > 0
                          ? o.threads
                          : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  std::vector<ConnectionResult> results = runLoad(open, o.plan, source, threads, start);
  const LoadSummary summary = summarize(results, start);
  printSummary(std::cout, o.label, describeMode(o), o.plan, summary);
  if (o.json) {
    std::cout << "RESULT " << summaryJson(o.label, describeMode(o), o.plan, summary) << "\n";
  }
  if (summary.wrong) {
    return 2;
  }
  if (o.expect_all && (summary.acked != o.plan.messages || summary.errors() > 0)) {
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "mllp-load: " << e.what() << "\n";
    return 1;
  }
}
