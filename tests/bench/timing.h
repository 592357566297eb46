#pragma once
// Timing loop shared by every measurement: whole passes over the corpus until
// a duration (or an exact number of passes) is reached, repeated for several
// runs; the value each pass computes is summed into a sink that is checked
// afterwards, so the work cannot be optimised away or silently skipped.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace rtw::bench {

struct RunLimits {
  double seconds = 2.0;      // run at least this long (whole passes)...
  std::uint64_t passes = 0;  // ...or exactly this many passes when > 0
};

struct RunSample {
  double seconds = 0;
  std::uint64_t passes = 0;
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;

  double messagesPerSecond() const { return static_cast<double>(messages) / seconds; }
  double megabytesPerSecond() const { return static_cast<double>(bytes) / seconds / 1e6; }
};

/// One measured variant: what ran, on what, and each run's figures.
struct Measurement {
  std::string parser;            // e.g. "rtw-hl7v2"
  std::string work;              // e.g. "parse + 20 reads"
  std::size_t messages = 0;      // corpus messages offered
  std::size_t failures = 0;      // messages the parser rejected (not timed)
  std::uint64_t pass_bytes = 0;  // normalised bytes of the timed messages
  std::uint64_t checksum = 0;    // what one pass computes (value lengths, counts)
  std::vector<RunSample> runs;

  double median(double (RunSample::*figure)() const) const {
    std::vector<double> values;
    for (const RunSample& run : runs) {
      values.push_back((run.*figure)());
    }
    std::sort(values.begin(), values.end());
    std::size_t mid = values.size() / 2;
    return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }
};

/// Runs `work` over every item for whole passes until `limits` is met.
template <class Item, class Work>
RunSample timeRun(const std::vector<Item>& items, std::uint64_t pass_bytes, const RunLimits& limits,
                  Work& work, std::uint64_t& sink) {
  using Clock = std::chrono::steady_clock;
  RunSample sample;
  auto start = Clock::now();
  for (;;) {
    for (const Item& item : items) {
      sink += work(item);
    }
    ++sample.passes;
    sample.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    bool done =
        limits.passes > 0 ? sample.passes >= limits.passes : sample.seconds >= limits.seconds;
    if (done) {
      break;
    }
  }
  sample.messages = sample.passes * items.size();
  sample.bytes = sample.passes * pass_bytes;
  return sample;
}

/// A warm-up run, then `runs` timed runs. Throws when the sink does not hold
/// exactly checksum × passes (the work was not done as often as counted).
template <class Item, class Work>
void measureRuns(Measurement& m, const std::vector<Item>& items, const RunLimits& warmup,
                 const RunLimits& limits, int runs, Work work) {
  m.checksum = 0;
  for (const Item& item : items) {
    m.checksum += work(item);
  }
  std::uint64_t sink = 0;
  std::uint64_t passes = timeRun(items, m.pass_bytes, warmup, work, sink).passes;
  for (int i = 0; i < runs; ++i) {
    m.runs.push_back(timeRun(items, m.pass_bytes, limits, work, sink));
    passes += m.runs.back().passes;
  }
  if (sink != m.checksum * passes) {
    throw std::runtime_error(m.parser + " / " + m.work + ": checksum mismatch (" +
                             std::to_string(sink) + " != " + std::to_string(m.checksum) + " x " +
                             std::to_string(passes) + ")");
  }
}

}  // namespace rtw::bench
