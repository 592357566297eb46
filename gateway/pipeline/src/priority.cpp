#include "rtw/pipeline/worker_pool.h"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <stdexcept>

#include <Poco/Logger.h>
#include <Poco/NumberParser.h>

namespace rtw::pipeline {

WorkerPriority WorkerPriority::parse(const std::string& text) {
  if (text == "idle") {
    return {};
  }
  int nice = 0;
  if (!Poco::NumberParser::tryParse(text, nice) || nice < 0 || nice > 19) {
    throw std::invalid_argument(
        "workers.nice must be \"idle\" or a nice increment from 0 to 19, not '" + text + "'");
  }
  return {false, nice};
}

void lowerThreadPriority(const WorkerPriority& priority) {
  Poco::Logger& logger = Poco::Logger::get("rtw.pipeline");
  if (priority.idle) {
    // Linux: the policy of the calling thread alone; lowering it needs no
    // privilege.
    const sched_param no_priority{};
    if (sched_setscheduler(0, SCHED_IDLE, &no_priority) != 0) {
      logger.warning("could not give a worker thread the idle policy; it runs beside intake");
    }
    return;
  }
  if (priority.nice <= 0) {
    return;
  }
  // Linux: PRIO_PROCESS with a thread id sets that thread alone. Raising
  // one's own nice value needs no privilege.
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), priority.nice) != 0) {
    logger.warning("could not lower a worker thread's priority (nice %d); it runs beside intake",
                   priority.nice);
  }
}

}  // namespace rtw::pipeline
