#pragma once
// Test-only crash points: when the environment variable RTW_TEST_KILL_POINT
// names a point, the gateway kills itself with SIGKILL the first time it
// passes there. The crash tests use them to prove the guarantees at the
// worst moments; without the variable a kill point costs one branch.
//
// Points: after-commit-before-ack, after-ack-before-translate,
//         after-board-2xx-before-delivered.

#include <string_view>

namespace rtw::pipeline {

void killPoint(std::string_view name);

}  // namespace rtw::pipeline
