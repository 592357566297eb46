#pragma once
// What test_bombs.cpp sends and measures: harbour-physio reports grown from
// the golden MDM^T02 into bombs, the answers a sender reads, and the
// gateway's peak memory while it handles them.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "harness.h"

namespace rtw::testing {

/// One ACK as the sender reads it.
struct AckAnswer {
  std::string code;        // MSA-1
  std::string control_id;  // MSA-2
  std::string error;       // ERR-3.1 (table 0357)
  std::string location;    // ERR-2 as sent (SEG^occurrence^field)
  std::string text;        // ERR-8
};

AckAnswer readAck(const std::string& ack);

/// tests/golden/harbour-physio/mdm-discharge.hl7 (a discharge report in
/// enhanced mode, CR-terminated segments) under MSH-10 `control_id`.
std::string dischargeReport(const std::string& control_id);

/// `message` with its one `from` replaced by `to`.
std::string replaceOnce(std::string message, const std::string& from, const std::string& to);

/// Note text of exactly `bytes` bytes: the golden report's recommendation
/// sentence over and over.
std::string noteText(std::size_t bytes);

/// The discharge report whose recommendations (OBX-13, OBX-5) are padded so
/// that the whole message is exactly `bytes` long.
std::string reportOfSize(const std::string& control_id, std::size_t bytes);

/// The length of that padded OBX-13, OBX-5.
std::size_t paddedValueBytes(const std::string& control_id, std::size_t bytes);

/// What a sender saw for one message: the first answer (the commit ACK in
/// enhanced mode) and the application ACK when one came, and how long from
/// the first byte sent to the last answer read.
struct Exchange {
  AckAnswer first;
  std::optional<AckAnswer> application;
  std::chrono::duration<double> took{};
};

/// Sends `message` on `client`; waits for the application ACK only after a CA.
Exchange exchangeOn(transport::MllpClient& client, const std::string& message);

/// The same on a new connection with harbour-physio's certificate.
Exchange sendAsHarbourPhysio(const RunningSystem& system, const std::string& message);

/// A clinic01 referral under `control_id` is acknowledged AA and reaches the
/// board simulator, and the gateway is still running.
void referralStillDelivered(RunningSystem& system, const std::string& control_id);

/// VmRSS of a process, in bytes.
std::size_t residentBytes(int pid);

/// The gateway's peak resident memory from now on, read from
/// /proc/PID/status: the peak is reset (clear_refs 5) at construction.
class PeakMemory {
 public:
  explicit PeakMemory(int pid);
  /// VmHWM now minus VmRSS at construction, in bytes.
  std::size_t growth() const;
  std::size_t residentBefore() const { return before_; }

 private:
  int pid_;
  std::size_t before_;
};

/// One line of the figures test_bombs prints (BENCHMARKS.md's table).
/// `peak_growth` and `left_after`: the peak's growth while the input was
/// handled, and what the process still held above its start a moment later.
void printFigure(const std::string& input, std::size_t bytes, const std::string& answer,
                 std::chrono::duration<double> took, std::optional<std::size_t> peak_growth,
                 std::optional<std::size_t> left_after = std::nullopt);

}  // namespace rtw::testing
