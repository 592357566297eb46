#pragma once
// The MLLP listener over TLS: binds the client certificate to a partner
// (security::bindPartner, again for the next message after a registry
// reload), frames messages, and answers each with the ACK intake returns
// (after its journal commit), in order, on the same connection. Handshakes
// run on a pool of threads; authenticated connections are spread over
// mllp.ioThreads event loops, one per core by default (src/mllp_event_loop.h).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Net/TCPServer.h>

#include "rtw/pipeline/intake.h"
#include "rtw/security/binding.h"

namespace rtw::transport {

namespace detail {
class MllpEventLoop;
}

struct MllpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 2575;  // 0 picks a free port
  std::size_t max_frame_bytes = 16 * 1024 * 1024;
  int handshake_timeout_ms = 10'000;
  int frame_timeout_ms = 30'000;  // start block to end block
  int idle_timeout_ms = 300'000;  // no bytes at all
  int max_connections = 64;
  /// Threads serving authenticated connections (event loops); 0 = one per core.
  int io_threads = 0;
};

class MllpServer {
 public:
  MllpServer(MllpServerOptions options, Poco::Net::Context::Ptr tls,
             const security::LivePartnerRegistry& partners, pipeline::Hl7Intake& intake);
  ~MllpServer();

  void start();
  void stop();
  std::uint16_t port() const;

 private:
  MllpServerOptions options_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> open_connections_{0};  // across the loops, for max_connections
  std::vector<std::unique_ptr<detail::MllpEventLoop>> loops_;  // serve authenticated connections
  std::unique_ptr<Poco::Net::TCPServer> server_;               // accepts, and runs TLS handshakes
};

}  // namespace rtw::transport
