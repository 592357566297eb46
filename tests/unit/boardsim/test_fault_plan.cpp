// The simulator's fault plans: each line one fault, and a line that is not
// one refused with a sentence naming it.

#include <catch2/catch.hpp>

#include <stdexcept>

#include "rtw/boardsim/fault_plan.h"

using rtw::boardsim::Fault;
using rtw::boardsim::FaultPlan;

TEST_CASE("a fault plan's Retry-After comes as delta-seconds or as an HTTP-date") {
  FaultPlan plan;
  plan.add("503 retry-after=2\n503 retry-after-date=3\n429\n");
  const auto delta = plan.next();
  REQUIRE(delta);
  CHECK(delta->retry_after_s == 2);
  CHECK_FALSE(delta->retry_after_as_date);
  const auto date = plan.next();
  REQUIRE(date);
  CHECK(date->retry_after_s == 3);
  CHECK(date->retry_after_as_date);
  const auto none = plan.next();
  REQUIRE(none);
  CHECK(none->status == 429);
  CHECK_FALSE(none->retry_after_s);
  CHECK_FALSE(plan.next());
}

TEST_CASE("a Retry-After option without seconds is refused, naming the line") {
  FaultPlan plan;
  for (const char* line : {"503 retry-after=soon", "503 retry-after-date=", "503 retry-after=-1",
                           "503 retry-after=99999999999", "503 retry-later=2"}) {
    INFO(line);
    CHECK_THROWS_WITH(plan.add(line), Catch::Contains(std::string("fault '") + line + "'"));
  }
  CHECK_FALSE(plan.next());  // nothing of a refused plan is kept
}
