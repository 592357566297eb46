#include "load_summary.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace rtw::bench {
namespace {

double percentileMs(std::vector<std::uint32_t>& sorted, double fraction) {
  if (sorted.empty()) {
    return 0;
  }
  const auto at = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(at, sorted.size() - 1)] / 1000.0;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  return out + "\"";
}

}  // namespace

LoadSummary summarize(std::vector<ConnectionResult>& results, LoadClock::time_point start) {
  LoadSummary s;
  std::vector<std::uint32_t> latencies;
  LoadClock::time_point last = start;
  for (ConnectionResult& r : results) {
    s.sent += r.sent;
    s.acked += r.acked;
    latencies.insert(latencies.end(), r.latencies_us.begin(), r.latencies_us.end());
    for (const auto& [code, count] : r.ack_codes) {
      s.ack_codes[code] += count;
    }
    s.duplicate_acks += r.duplicate_acks;
    s.mismatched_acks += r.mismatched_acks;
    s.unparseable += r.unparseable;
    s.out_of_order += r.out_of_order;
    s.unanswered += r.unanswered;
    if (!r.failure.empty()) {
      s.failures.push_back(r.failure);
    }
    last = std::max(last, r.last_ack);
  }
  s.seconds = std::chrono::duration<double>(last - start).count();
  std::sort(latencies.begin(), latencies.end());
  s.p50_ms = percentileMs(latencies, 0.50);
  s.p90_ms = percentileMs(latencies, 0.90);
  s.p99_ms = percentileMs(latencies, 0.99);
  s.max_ms = latencies.empty() ? 0 : latencies.back() / 1000.0;
  s.wrong = s.duplicate_acks + s.mismatched_acks + s.unparseable > 0;
  return s;
}

void printSummary(std::ostream& out, const std::string& label, const std::string& mode,
                  const LoadPlan& plan, const LoadSummary& s) {
  out << std::fixed << std::setprecision(2);
  out << "run:         " << (label.empty() ? "mllp-load" : label) << " (" << mode << ", "
      << plan.connections << " connection(s))\n";
  out << "messages:    " << s.sent << " sent, " << s.acked << " acknowledged in " << s.seconds
      << " s\n";
  out << "throughput:  " << std::setprecision(0) << s.messagesPerSecond()
      << " acknowledged messages/s\n"
      << std::setprecision(3);
  out << "ACK latency: p50 " << s.p50_ms << " ms, p90 " << s.p90_ms << " ms, p99 " << s.p99_ms
      << " ms, max " << s.max_ms << " ms\n";
  out << "ACK codes:  ";
  for (const auto& [code, count] : s.ack_codes) {
    out << " " << code << "=" << count;
  }
  out << "\n";
  out << "errors:      " << s.duplicate_acks << " duplicate ACK(s), " << s.mismatched_acks
      << " ACK(s) naming no waiting message, " << s.unparseable << " unparseable frame(s), "
      << s.unanswered << " unanswered, " << s.failures.size() << " connection(s) ended early";
  if (s.out_of_order > 0) {
    out << ", " << s.out_of_order << " ACK(s) out of order";
  }
  out << "\n";
  for (const std::string& failure : s.failures) {
    out << "  connection: " << failure << "\n";
  }
  if (s.wrong) {
    out << "WRONG: the server does not answer one ACK per message\n";
  }
}

std::string summaryJson(const std::string& label, const std::string& mode, const LoadPlan& plan,
                        const LoadSummary& s) {
  std::ostringstream j;
  j << std::fixed << std::setprecision(3);
  j << "{\"label\":" << quoted(label) << ",\"mode\":" << quoted(mode)
    << ",\"connections\":" << plan.connections << ",\"pipeline\":" << plan.pipeline
    << ",\"rate\":" << plan.rate << ",\"sent\":" << s.sent << ",\"acked\":" << s.acked
    << ",\"seconds\":" << s.seconds << ",\"msgs_per_s\":" << s.messagesPerSecond()
    << ",\"p50_ms\":" << s.p50_ms << ",\"p90_ms\":" << s.p90_ms << ",\"p99_ms\":" << s.p99_ms
    << ",\"max_ms\":" << s.max_ms << ",\"ack_codes\":{";
  bool first = true;
  for (const auto& [code, count] : s.ack_codes) {
    j << (first ? "" : ",") << quoted(code) << ":" << count;
    first = false;
  }
  j << "},\"duplicate_acks\":" << s.duplicate_acks << ",\"mismatched_acks\":" << s.mismatched_acks
    << ",\"unparseable\":" << s.unparseable << ",\"unanswered\":" << s.unanswered
    << ",\"out_of_order\":" << s.out_of_order << ",\"failures\":" << s.failures.size()
    << ",\"wrong\":" << (s.wrong ? "true" : "false") << "}";
  return j.str();
}

}  // namespace rtw::bench
