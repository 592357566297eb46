#pragma once
// Test-only fault points. When the environment variable RTW_TEST_KILL_POINT
// names a point, the gateway kills itself with SIGKILL when it passes there;
// RTW_TEST_THROW_POINT makes it throw std::runtime_error there instead. The
// crash tests use them to prove the guarantees at the worst moments; without
// the variables a point costs one branch.
//
// "POINT" arms a point for every pass; "POINT:TEXT" only for passes whose key
// (the message's control id, where a point has one) contains TEXT, so that
// one poison message can be made to fail every time it is translated.
//
// Points: after-commit-before-ack, after-ack-before-translate,
//         during-translation (key: MSH-10), after-board-2xx-before-delivered;
//         throw points: after-plugin (key: MSH-10).

#include <string_view>

namespace rtw::pipeline {

void killPoint(std::string_view name, std::string_view key = {});
void throwPoint(std::string_view name, std::string_view key = {});

}  // namespace rtw::pipeline
