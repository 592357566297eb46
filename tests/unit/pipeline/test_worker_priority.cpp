// workers.nice: "idle" (the default) or a nice increment.

#include <catch2/catch.hpp>

#include <stdexcept>

#include "rtw/pipeline/workers.h"

using rtw::pipeline::WorkerPriority;

TEST_CASE("workers.nice takes idle or a nice increment from 0 to 19") {
  CHECK(WorkerPriority::parse("idle").idle);
  const WorkerPriority seven = WorkerPriority::parse("7");
  CHECK_FALSE(seven.idle);
  CHECK(seven.nice == 7);
  CHECK(WorkerPriority::parse("0").nice == 0);
  CHECK(WorkerPriority::parse("19").nice == 19);
  CHECK(WorkerPriority{}.idle);  // the default
}

TEST_CASE("workers.nice refuses anything else, naming the value") {
  for (const char* bad : {"20", "-1", "high", "", "10ms"}) {
    INFO(bad);
    CHECK_THROWS_AS(WorkerPriority::parse(bad), std::invalid_argument);
  }
  CHECK_THROWS_WITH(WorkerPriority::parse("high"), Catch::Contains("'high'"));
}
