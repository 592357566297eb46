#pragma once
// Faults the board simulator plays on the next document POSTs, so tests can
// show what the gateway does when the board is down, slow or refusing:
// one fault per POST, in order, then normal answers again.
//
// A plan is text, one fault per line:
//   503 [retry-after=S]     answer with this status (any 4xx/5xx), optional Retry-After
//                           in delta-seconds ("Retry-After: 2")
//   503 [retry-after-date=S]  the same Retry-After as an HTTP-date S seconds from the
//                           answer ("Retry-After: Sun, 06 Nov 1994 08:49:39 GMT")
//   422                     a rejection with one SIMULATED problem
//   hang MS                 read the request, wait MS, then answer normally
//   hang-after-store MS     accept and store the document, wait MS, then answer 201

#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace rtw::boardsim {

struct Fault {
  enum class Kind { kStatus, kHang, kHangAfterStore };
  Kind kind = Kind::kStatus;
  int status = 503;
  std::optional<int> retry_after_s;
  bool retry_after_as_date = false;  // Retry-After as an IMF-fixdate, not delta-seconds
  int hang_ms = 0;
};

class FaultPlan {
 public:
  /// Appends the faults of a plan; throws std::invalid_argument naming the
  /// line that is not a fault.
  void add(const std::string& plan);
  void clear();
  /// The fault for the next POST, if any.
  std::optional<Fault> next();

 private:
  std::mutex mutex_;
  std::deque<Fault> faults_;
};

}  // namespace rtw::boardsim
