#include "rtw/pipeline/kill_point.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace rtw::pipeline {
namespace {

/// Read once: "POINT" or "POINT:TEXT", or "" when not armed.
std::string armed(const char* variable) {
  const char* value = std::getenv(variable);
  return value ? value : "";
}

bool hits(const std::string& armed_point, std::string_view name, std::string_view key) {
  if (armed_point.empty()) {
    return false;
  }
  const std::string_view point(armed_point);
  const auto colon = point.find(':');
  if (point.substr(0, colon) != name) {
    return false;
  }
  return colon == std::string_view::npos ||
         key.find(point.substr(colon + 1)) != std::string_view::npos;
}

}  // namespace

void killPoint(std::string_view name, std::string_view key) {
  static const std::string point = armed("RTW_TEST_KILL_POINT");
  if (hits(point, name, key)) {
    ::kill(::getpid(), SIGKILL);
  }
}

void throwPoint(std::string_view name, std::string_view key) {
  static const std::string point = armed("RTW_TEST_THROW_POINT");
  if (hits(point, name, key)) {
    throw std::runtime_error("test throw point " + std::string(name));
  }
}

}  // namespace rtw::pipeline
