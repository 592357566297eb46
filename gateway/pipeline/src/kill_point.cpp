#include "rtw/pipeline/kill_point.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace rtw::pipeline {
namespace {

/// Read once: the point this process should die at, or "".
const std::string& armedPoint() {
  static const std::string point = [] {
    const char* value = std::getenv("RTW_TEST_KILL_POINT");
    return std::string(value ? value : "");
  }();
  return point;
}

}  // namespace

void killPoint(std::string_view name) {
  if (!armedPoint().empty() && armedPoint() == name) {
    ::kill(::getpid(), SIGKILL);
  }
}

}  // namespace rtw::pipeline
