#include "report.h"

#include <algorithm>
#include <cstdio>

namespace rtw::bench {
namespace {

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// 1234567.8 -> "1,234,568": throughput tables are read at a glance.
std::string grouped(double value) {
  std::string digits = fixed(value, 0);
  std::string out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count > 0 && count % 3 == 0 && *it != '-') {
      out.push_back(',');
    }
    out.push_back(*it);
    ++count;
  }
  return std::string(out.rbegin(), out.rend());
}

std::string padLeft(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string padRight(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

double minMegabytes(const Measurement& m) {
  double low = m.runs.empty() ? 0 : m.runs.front().megabytesPerSecond();
  for (const RunSample& run : m.runs) {
    low = std::min(low, run.megabytesPerSecond());
  }
  return low;
}

double maxMegabytes(const Measurement& m) {
  double high = 0;
  for (const RunSample& run : m.runs) {
    high = std::max(high, run.megabytesPerSecond());
  }
  return high;
}

}  // namespace

std::string jsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

void printJsonLine(std::ostream& out, const Measurement& m, const RunContext& context) {
  std::uint64_t timed = m.runs.empty() ? 0 : m.runs.front().messages / m.runs.front().passes;
  double seconds = 0;
  for (const RunSample& run : m.runs) {
    seconds += run.seconds;
  }
  out << "{\"bench\":\"hl7-parse\",\"parser\":" << jsonString(m.parser)
      << ",\"work\":" << jsonString(m.work)
      << ",\"runtime\":" << jsonString(context.compiler + " " + context.build_type)
      << ",\"cpus\":" << context.cpus << ",\"messages\":" << m.messages
      << ",\"failures\":" << m.failures << ",\"timed_messages\":" << timed
      << ",\"bytes_per_pass\":" << m.pass_bytes << ",\"runs\":" << m.runs.size()
      << ",\"seconds\":" << fixed(seconds, 3)
      << ",\"msgs_per_s\":" << fixed(m.median(&RunSample::messagesPerSecond), 1)
      << ",\"mb_per_s\":" << fixed(m.median(&RunSample::megabytesPerSecond), 3)
      << ",\"mb_per_s_min\":" << fixed(minMegabytes(m), 3)
      << ",\"mb_per_s_max\":" << fixed(maxMegabytes(m), 3) << ",\"checksum\":" << m.checksum
      << "}\n";
  out.flush();
}

void printTable(std::ostream& out, const std::vector<Measurement>& measurements) {
  out << padRight("parser", 26) << padRight("work", 28) << padLeft("messages/s", 13)
      << padLeft("MB/s", 11) << padLeft("MB/s min-max", 22) << padLeft("failures", 10)
      << padLeft("checksum", 12) << "\n";
  for (const Measurement& m : measurements) {
    std::string range = grouped(minMegabytes(m)) + "-" + grouped(maxMegabytes(m));
    out << padRight(m.parser, 26) << padRight(m.work, 28)
        << padLeft(grouped(m.median(&RunSample::messagesPerSecond)), 13)
        << padLeft(fixed(m.median(&RunSample::megabytesPerSecond), 1), 11) << padLeft(range, 22)
        << padLeft(std::to_string(m.failures) + "/" + std::to_string(m.messages), 10)
        << padLeft(std::to_string(m.checksum), 12) << "\n";
  }
  out.flush();
}

}  // namespace rtw::bench
