// rtwctl hl7: parse and ack, for integration engineers reading a feed.

#include "cli.h"

namespace rtw::app::cli {

int runHl7(int /*argc*/, char** /*argv*/) {
  throw UsageError("hl7 commands arrive with the HL7 v2 engine issue");
}

}  // namespace rtw::app::cli
