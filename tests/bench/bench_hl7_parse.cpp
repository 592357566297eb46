// bench-hl7-parse: how fast rtw::hl7v2 parses real messages and reads 20
// values from each, on one core, next to the ceiling (a vectorised scan that
// only counts delimiters). The peers are run by tests/bench/run-hl7-bench.sh
// on the corpus this program writes (--write-peer-input). See BENCHMARKS.md.

#include <sched.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "corpus.h"
#include "delimiter_scan.h"
#include "report.h"
#include "rtw/hl7v2/message.h"
#include "timing.h"

namespace {

using rtw::bench::Measurement;
using rtw::bench::RunLimits;
using rtw::hl7v2::Message;

// The same 20 paths are read by every peer (they get this list through
// paths.txt). A path with '*' is read with getAllEncoded(), the others with
// getEncoded(): the peers' runners read a whole field or component, as get()
// did before it read one primitive (issue 14), so the values compare like
// with like; the path walk is the one get() does.
constexpr std::string_view kPaths[] = {
    "MSH-3",      "MSH-4",        "MSH-7",      "MSH-9.1",    "MSH-9.2",   "MSH-10",   "MSH-12",
    "PID-3(1).1", "PID-3(1).4.1", "PID-3(2).1", "PID-3(2).5", "PID-5.1.1", "PID-5.2",  "PID-7",
    "PID-8",      "PID-11.3",     "PV1-2",      "PV1-3.1",    "PV1-19",    "OBX[*]-5",
};

constexpr std::string_view kUsage =
    "usage: bench-hl7-parse [options]\n"
    "  --corpus DIR            HL7 v2 files to measure (default: the shared corpus)\n"
    "  --seconds S             length of each timed run (default 2)\n"
    "  --runs N                timed runs per variant; the median is reported (default 5)\n"
    "  --iterations N          exactly N passes per run instead of --seconds (smoke test)\n"
    "  --only TEXT             only the variants whose parser or work contains TEXT\n"
    "  --write-peer-input DIR  write DIR/corpus.er7 and DIR/paths.txt for the peer runners\n"
    "  --dump FILE             write the values read from each message (JSON lines)\n"
    "  --expect-messages N     exit 1 unless the corpus holds N messages\n"
    "JSON lines go to stdout, the table to stderr.\n";

struct Options {
  std::string corpus = RTW_CORPUS_DIR "/hl7v2";
  RunLimits limits;
  int runs = 5;
  std::string only;
  std::string peer_input;
  std::string dump;
  std::optional<std::size_t> expect_messages;
};

std::optional<Options> parseOptions(int argc, char** argv) {
  Options options;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || i + 1 >= args.size()) {
      return std::nullopt;
    }
    const std::string& value = args[++i];
    if (flag == "--corpus") {
      options.corpus = value;
    } else if (flag == "--seconds") {
      options.limits.seconds = std::stod(value);
    } else if (flag == "--runs") {
      options.runs = std::stoi(value);
    } else if (flag == "--iterations") {
      options.limits.passes = std::stoull(value);
    } else if (flag == "--only") {
      options.only = value;
    } else if (flag == "--write-peer-input") {
      options.peer_input = value;
    } else if (flag == "--dump") {
      options.dump = value;
    } else if (flag == "--expect-messages") {
      options.expect_messages = std::stoull(value);
    } else {
      return std::nullopt;
    }
  }
  if (options.runs < 1 || (options.limits.passes == 0 && options.limits.seconds <= 0)) {
    return std::nullopt;
  }
  return options;
}

// The 20 reads; returns the summed lengths of the values (the checksum).
std::uint64_t readPaths(const Message& message) {
  std::uint64_t total = 0;
  for (std::string_view path : kPaths) {
    if (path.find('*') != std::string_view::npos) {
      for (const std::string& value : message.getAllEncoded(path)) {
        total += value.size();
      }
    } else {
      total += message.getEncoded(path).size();
    }
  }
  return total;
}

void dumpValues(const std::vector<Message>& parsed, const std::vector<std::size_t>& indexes,
                const std::string& file) {
  std::ofstream out(file, std::ios::trunc);
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    for (std::string_view path : kPaths) {
      std::vector<std::string> values;
      if (path.find('*') != std::string_view::npos) {
        values = parsed[i].getAllEncoded(path);
      } else {
        values.push_back(parsed[i].getEncoded(path));
      }
      out << "{\"message\":" << indexes[i] << ",\"path\":" << rtw::bench::jsonString(path)
          << ",\"values\":[";
      for (std::size_t v = 0; v < values.size(); ++v) {
        out << (v > 0 ? "," : "") << rtw::bench::jsonString(values[v]);
      }
      out << "]}\n";
    }
  }
  if (!out.flush()) {
    throw std::runtime_error("cannot write " + file);
  }
}

int allowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
}

class Bench {
 public:
  Bench(const Options& options, const rtw::bench::Corpus& corpus)
      : options_(options), corpus_(corpus) {
    warmup_.seconds = options.limits.passes > 0 ? 0 : std::min(0.5, options.limits.seconds);
    warmup_.passes = options.limits.passes > 0 ? 1 : 0;
    context_ = {RTW_BENCH_BUILD_TYPE, "g++ " __VERSION__, allowedCpus()};
  }

  // Parses each message once, outside any timing: which ones our parser
  // accepts (only those are timed) and, with --dump, the values it reads.
  void prepare() {
    for (std::size_t i = 0; i < corpus_.messages.size(); ++i) {
      const std::string& bytes = corpus_.messages[i].bytes;
      auto outcome = Message::parse(bytes);
      if (!outcome.message) {
        std::cerr << "rtw-hl7v2 rejects " << corpus_.messages[i].name << ": "
                  << outcome.error->message << "\n";
        continue;
      }
      accepted_.push_back(bytes);
      accepted_bytes_ += bytes.size();
      accepted_index_.push_back(i);
      parsed_.push_back(std::move(*outcome.message));
    }
    for (const auto& message : corpus_.messages) {
      all_.push_back(message.bytes);
    }
    if (!options_.dump.empty()) {
      dumpValues(parsed_, accepted_index_, options_.dump);
    }
  }

  void runAll() {
    run("rtw-hl7v2", "parse + 20 reads", accepted_, accepted_bytes_,
        [](std::string_view bytes) -> std::uint64_t {
          auto outcome = Message::parse(bytes);
          return outcome.message ? readPaths(*outcome.message) : 0;
        });
    run("rtw-hl7v2", "parse only", accepted_, accepted_bytes_,
        [](std::string_view bytes) -> std::uint64_t {
          auto outcome = Message::parse(bytes);
          return outcome.message ? outcome.message->segmentCount() : 0;
        });
    std::vector<const Message*> messages;
    for (const Message& message : parsed_) {
      messages.push_back(&message);
    }
    run("rtw-hl7v2", "20 reads only (pre-parsed)", messages, accepted_bytes_,
        [](const Message* message) { return readPaths(*message); });
    std::uint64_t all_bytes = corpus_.totalBytes();
    run("delimiter-scan-sse2", "count CR|^~\\& (ceiling)", all_, all_bytes,
        [](std::string_view bytes) -> std::uint64_t {
          return rtw::bench::countDelimitersSse2(bytes);
        });
    if (rtw::bench::cpuHasAvx2()) {
      run("delimiter-scan-avx2", "count CR|^~\\& (ceiling)", all_, all_bytes,
          [](std::string_view bytes) -> std::uint64_t {
            return rtw::bench::countDelimitersAvx2(bytes);
          });
    }
    std::cerr << "\n";
    rtw::bench::printTable(std::cerr, results_);
  }

 private:
  template <class Item, class Work>
  void run(const std::string& parser, const std::string& work, const std::vector<Item>& items,
           std::uint64_t bytes, Work fn) {
    if (!options_.only.empty() && parser.find(options_.only) == std::string::npos &&
        work.find(options_.only) == std::string::npos) {
      return;
    }
    Measurement m;
    m.parser = parser;
    m.work = work;
    m.messages = corpus_.messages.size();
    m.failures = corpus_.messages.size() - items.size();
    m.pass_bytes = bytes;
    rtw::bench::measureRuns(m, items, warmup_, options_.limits, options_.runs, fn);
    rtw::bench::printJsonLine(std::cout, m, context_);
    results_.push_back(std::move(m));
  }

  const Options& options_;
  const rtw::bench::Corpus& corpus_;
  RunLimits warmup_;
  rtw::bench::RunContext context_;
  std::vector<std::string_view> all_;
  std::vector<std::string_view> accepted_;
  std::vector<std::size_t> accepted_index_;
  std::uint64_t accepted_bytes_ = 0;
  std::vector<Message> parsed_;
  std::vector<Measurement> results_;
};

int runBench(const Options& options) {
  if (!rtw::bench::delimiterScanSelfCheck()) {
    std::cerr << "bench-hl7-parse: the vector delimiter scan disagrees with the scalar one\n";
    return 1;
  }
  rtw::bench::Corpus corpus = rtw::bench::loadCorpus(options.corpus);
  std::cerr << "corpus: " << corpus.messages.size() << " messages, " << corpus.totalBytes()
            << " bytes after normalisation (" << options.corpus << ")\n";
  if (options.expect_messages && *options.expect_messages != corpus.messages.size()) {
    std::cerr << "bench-hl7-parse: expected " << *options.expect_messages << " messages\n";
    return 1;
  }
  if (std::string_view(RTW_BENCH_BUILD_TYPE) != "Release") {
    std::cerr << "warning: built as '" RTW_BENCH_BUILD_TYPE
                 "', not Release: figures are not comparable\n";
  }
  if (!options.peer_input.empty()) {
    rtw::bench::writePeerInput(corpus, {std::begin(kPaths), std::end(kPaths)}, options.peer_input);
  }
  Bench bench(options, corpus);
  bench.prepare();
  bench.runAll();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Options> options;
  try {
    options = parseOptions(argc, argv);
  } catch (const std::exception&) {
    // a number flag without a number
  }
  if (!options) {
    std::cerr << kUsage;
    return 2;
  }
  try {
    return runBench(*options);
  } catch (const std::exception& e) {
    std::cerr << "bench-hl7-parse: " << e.what() << "\n";
    return 1;
  }
}
