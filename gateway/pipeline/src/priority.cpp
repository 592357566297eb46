#include "rtw/pipeline/workers.h"

#include <sys/resource.h>
#include <unistd.h>

#include <Poco/Logger.h>

namespace rtw::pipeline {

void lowerThreadPriority(int nice) {
  if (nice <= 0) {
    return;
  }
  // Linux: PRIO_PROCESS with a thread id sets that thread alone. Raising
  // one's own nice value needs no privilege.
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) != 0) {
    Poco::Logger::get("rtw.pipeline")
        .warning("could not lower a worker thread's priority (nice %d); it runs beside intake",
                 nice);
  }
}

}  // namespace rtw::pipeline
