#pragma once
// The status file tells a launcher (scripts/run, the integration tests)
// which ports a process bound when it was asked for port 0.

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace rtw::app {

/// Writes `content` to `file` atomically (temp + rename), so a reader never
/// sees half of it.
inline void writeStatusFile(const std::string& file, const std::string& content) {
  if (file.empty()) {
    return;
  }
  const std::string temp = file + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << content;
  }
  std::filesystem::rename(temp, file);
}

/// Holds back the termination signals (SIGINT, SIGQUIT, SIGTERM) from the
/// start, in this thread and every thread it starts after, until
/// ServerApplication::waitForTerminationRequest() takes them with sigwait:
/// a stop requested while the process is still starting up (as soon as the
/// status file is there, say) is then a clean stop, not death by the signal.
inline void deferTerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGQUIT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

}  // namespace rtw::app
