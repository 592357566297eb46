#pragma once
// The connections of the MLLP load generator: each sends messages closed
// loop (at most `pipeline` messages waiting for their ACK) or
// open loop (on a fixed schedule), and checks every ACK frame against the
// messages it sent: one ACK per message, MSA-2 naming a message still waiting.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "load_stream.h"

namespace rtw::bench {

using LoadClock = std::chrono::steady_clock;

struct LoadPlan {
  int connections = 1;
  int pipeline = 1;             // closed loop: messages in flight per connection
  double rate = 0;              // open loop when > 0: messages/s over all connections
  std::uint64_t messages = 0;   // total over all connections
  double seconds = 10;          // no message is sent after this
  int ack_timeout_ms = 10'000;  // a message unanswered this long ends its connection
  int drain_ms = 200;           // listening for stray ACK frames after the last ACK
};

/// The messages to send: one template with MSH-10 replaced by a unique id.
/// Shared by all connections; numbers are claimed from one budget.
class MessageSource {
 public:
  /// `message`: one HL7 v2 message (CR or LF segment ends). `original_mode`
  /// empties MSH-15/16 so that the server sends one ACK per message.
  MessageSource(std::string_view message, std::string id_prefix, std::uint64_t budget,
                bool original_mode);
  /// The next message number, or false when the budget is spent.
  bool claim(std::uint64_t& number);
  std::string controlId(std::uint64_t number) const;
  /// The MLLP frame of the message with MSH-10 = `control_id`.
  std::string frame(const std::string& control_id) const;

 private:
  std::string before_id_;  // VT + message up to MSH-10
  std::string after_id_;   // rest of the message + FS CR
  std::string id_prefix_;
  std::uint64_t budget_;
  std::atomic<std::uint64_t> next_{0};
};

struct ConnectionResult {
  std::uint64_t sent = 0;
  std::uint64_t acked = 0;
  std::vector<std::uint32_t> latencies_us;  // send (open loop: scheduled send) -> ACK
  std::map<std::string, std::uint64_t> ack_codes;
  std::uint64_t duplicate_acks = 0;   // a second ACK for a message already acknowledged
  std::uint64_t mismatched_acks = 0;  // MSA-2 names no message sent on this connection
  std::uint64_t unparseable = 0;      // a frame without an MSA segment
  std::uint64_t out_of_order = 0;     // ACK for a later message first (pipelined only)
  std::uint64_t unanswered = 0;       // sent, never acknowledged
  std::string failure;                // why the connection ended early, if it did
  LoadClock::time_point last_ack{};
};

/// Runs the connections from `start` until the plan is done, on `threads`
/// threads (connection c on thread c % threads), each polling its share
/// together: a thread per connection slept and woke for every ACK, a third
/// of the generator's CPU on the cores it shares with the server. Results
/// in the order of `streams`; a connection that fails says why in its
/// result, and nothing throws.
std::vector<ConnectionResult> runLoad(const std::vector<ByteStream*>& streams, const LoadPlan& plan,
                                      MessageSource& source, int threads,
                                      LoadClock::time_point start);

}  // namespace rtw::bench
