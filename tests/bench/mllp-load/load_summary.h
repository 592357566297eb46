#pragma once
// The figures of one load run, merged over its connections, and how they
// are printed (a human summary and one JSON line for scripts).

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "load_connection.h"

namespace rtw::bench {

struct LoadSummary {
  std::uint64_t sent = 0;
  std::uint64_t acked = 0;
  double seconds = 0;  // from the start to the last ACK
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  std::map<std::string, std::uint64_t> ack_codes;
  std::uint64_t duplicate_acks = 0;
  std::uint64_t mismatched_acks = 0;
  std::uint64_t unparseable = 0;
  std::uint64_t out_of_order = 0;
  std::uint64_t unanswered = 0;
  std::vector<std::string> failures;  // one per connection that ended early
  bool wrong = false;                 // the server answered with too many or the wrong ACKs

  double messagesPerSecond() const { return seconds > 0 ? acked / seconds : 0; }
  std::uint64_t errors() const {
    return duplicate_acks + mismatched_acks + unparseable + unanswered + failures.size();
  }
};

LoadSummary summarize(std::vector<ConnectionResult>& results, LoadClock::time_point start);

void printSummary(std::ostream& out, const std::string& label, const std::string& mode,
                  const LoadPlan& plan, const LoadSummary& summary);

std::string summaryJson(const std::string& label, const std::string& mode, const LoadPlan& plan,
                        const LoadSummary& summary);

}  // namespace rtw::bench
