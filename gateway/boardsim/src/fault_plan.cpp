#include "rtw/boardsim/fault_plan.h"

#include <sstream>
#include <stdexcept>

namespace rtw::boardsim {
namespace {

Fault parseFault(const std::string& line) {
  std::istringstream words(line);
  std::string first;
  words >> first;
  Fault fault;
  if (first == "hang" || first == "hang-after-store") {
    fault.kind = first == "hang" ? Fault::Kind::kHang : Fault::Kind::kHangAfterStore;
    if (!(words >> fault.hang_ms) || fault.hang_ms < 0) {
      throw std::invalid_argument("fault '" + line + "': " + first + " needs milliseconds");
    }
    return fault;
  }
  try {
    fault.status = std::stoi(first);
  } catch (const std::exception&) {
    throw std::invalid_argument("fault '" + line + "' is not a status, hang or hang-after-store");
  }
  if (fault.status < 400 || fault.status > 599) {
    throw std::invalid_argument("fault '" + line + "': status must be 4xx or 5xx");
  }
  std::string option;
  while (words >> option) {
    if (option.rfind("retry-after=", 0) != 0) {
      throw std::invalid_argument("fault '" + line + "': unknown option " + option);
    }
    fault.retry_after_s = std::stoi(option.substr(12));
  }
  return fault;
}

}  // namespace

void FaultPlan::add(const std::string& plan) {
  std::deque<Fault> parsed;
  std::istringstream lines(plan);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) {
      parsed.push_back(parseFault(line));
    }
  }
  std::lock_guard lock(mutex_);
  faults_.insert(faults_.end(), parsed.begin(), parsed.end());
}

void FaultPlan::clear() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

std::optional<Fault> FaultPlan::next() {
  std::lock_guard lock(mutex_);
  if (faults_.empty()) {
    return std::nullopt;
  }
  Fault fault = faults_.front();
  faults_.pop_front();
  return fault;
}

}  // namespace rtw::boardsim
