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
    const std::size_t equals = option.find('=');
    const std::string name = option.substr(0, equals);
    if (equals == std::string::npos || (name != "retry-after" && name != "retry-after-date")) {
      throw std::invalid_argument("fault '" + line + "': unknown option " + option);
    }
    const std::string seconds = option.substr(equals + 1);
    if (seconds.empty() || seconds.size() > 6 ||
        seconds.find_first_not_of("0123456789") != std::string::npos) {
      throw std::invalid_argument("fault '" + line + "': " + name + " needs seconds");
    }
    fault.retry_after_s = std::stoi(seconds);
    fault.retry_after_as_date = name == "retry-after-date";
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
