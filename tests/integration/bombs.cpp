#include "bombs.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "rtw/hl7v2/message.h"

namespace rtw::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kGoldenControlId = "HP20250506-0015";
// The recommendation of the golden report (its OBX-13), repeated as filler.
constexpr const char* kRecommendation = "Continue the home exercise program";

// A "Vm...:   1234 kB" line of /proc/PID/status, in bytes.
std::size_t statusBytes(int pid, const std::string& key) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      return std::stoull(line.substr(key.size() + 1)) * 1024;
    }
  }
  throw std::runtime_error("no " + key + " in /proc/" + std::to_string(pid) + "/status");
}

}  // namespace

AckAnswer readAck(const std::string& ack) {
  auto parsed = hl7v2::Message::parse(ack);
  REQUIRE(parsed.message);
  const hl7v2::Message& m = *parsed.message;
  return {m.get("MSA-1"), m.get("MSA-2"), m.get("ERR-3.1"), std::string(m.raw("ERR-2")),
          m.get("ERR-8")};
}

std::string replaceOnce(std::string message, const std::string& from, const std::string& to) {
  const auto at = message.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(message.find(from, at + 1) == std::string::npos);
  return message.replace(at, from.size(), to);
}

std::string dischargeReport(const std::string& control_id) {
  std::string text = readFile(RTW_SOURCE_DIR "/tests/golden/harbour-physio/mdm-discharge.hl7");
  for (char& c : text) {
    c = c == '\n' ? '\r' : c;
  }
  return replaceOnce(text, std::string("|") + kGoldenControlId + "|", "|" + control_id + "|");
}

std::string noteText(std::size_t bytes) {
  const std::string sentence = std::string(kRecommendation) + ". ";
  std::string text;
  text.reserve(bytes + sentence.size());
  while (text.size() < bytes) {
    text += sentence;
  }
  text.resize(bytes);
  return text;
}

std::size_t paddedValueBytes(const std::string& control_id, std::size_t bytes) {
  const std::size_t others = dischargeReport(control_id).size() - std::strlen(kRecommendation);
  REQUIRE(bytes >= others);
  return bytes - others;
}

std::string reportOfSize(const std::string& control_id, std::size_t bytes) {
  const std::string value = noteText(paddedValueBytes(control_id, bytes));
  std::string sized = replaceOnce(dischargeReport(control_id),
                                  std::string("||") + kRecommendation + "||", "||" + value + "||");
  REQUIRE(sized.size() == bytes);
  return sized;
}

Exchange exchangeOn(transport::MllpClient& client, const std::string& message) {
  const auto start = Clock::now();
  const auto first = client.exchange(message);
  REQUIRE(first);
  Exchange exchange{readAck(*first), std::nullopt, {}};
  if (exchange.first.code == "CA") {
    const auto application = client.receive();
    REQUIRE(application);
    exchange.application = readAck(*application);
  }
  exchange.took = Clock::now() - start;
  return exchange;
}

Exchange sendAsHarbourPhysio(const RunningSystem& system, const std::string& message) {
  auto client = system.connect(TestCertificates::get().partner("harbour-physio"));
  return exchangeOn(*client, message);
}

void referralStillDelivered(RunningSystem& system, const std::string& control_id) {
  auto client = system.connect(TestCertificates::get().partner("clinic01"));
  const auto commit = client->exchange(replaceOnce(sampleReferral(), "MSG0001", control_id));
  REQUIRE(commit);
  CHECK(readAck(*commit).code == "CA");
  const auto application = client->receive();
  REQUIRE(application);
  CHECK(readAck(*application).code == "AA");
  CHECK(waitUntil([&] { return system.acceptedPerMessage("referral").count(control_id) == 1; }));
  CHECK(system.gateway().running());
}

std::size_t residentBytes(int pid) { return statusBytes(pid, "VmRSS"); }

PeakMemory::PeakMemory(int pid) : pid_(pid) {
  // "5" resets the peak (VmHWM) to the current resident size (proc(5)).
  std::ofstream("/proc/" + std::to_string(pid) + "/clear_refs") << "5";
  before_ = residentBytes(pid);
}

std::size_t PeakMemory::growth() const {
  const std::size_t peak = statusBytes(pid_, "VmHWM");
  return peak > before_ ? peak - before_ : 0;
}

void printFigure(const std::string& input, std::size_t bytes, const std::string& answer,
                 std::chrono::duration<double> took, std::optional<std::size_t> peak_growth,
                 std::optional<std::size_t> left_after) {
  constexpr double kMiB = 1024.0 * 1024.0;
  std::ostringstream line;
  line.precision(2);
  line << std::fixed << "bomb: " << input << " | " << bytes << " bytes | " << answer << " | "
       << took.count() << " s";
  if (peak_growth) {
    line << " | peak RSS +" << static_cast<double>(*peak_growth) / kMiB << " MiB ("
         << static_cast<double>(*peak_growth) / static_cast<double>(bytes) << "x)";
  }
  if (left_after) {
    line << " | held after +" << static_cast<double>(*left_after) / kMiB << " MiB";
  }
  std::printf("%s\n", line.str().c_str());
  std::fflush(stdout);
}

}  // namespace rtw::testing
