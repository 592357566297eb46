// The journal alone, without network or translation: how many messages per
// second it records (each call returns after the commit holding it) from N
// writer threads, and how many full lives (recorded → claimed → translated →
// claimed for delivery → delivered) it carries, on SQLite or PostgreSQL.
//
//   bench-journal [--backend sqlite|postgresql] [--target FILE|CONNINFO]
//                 [--threads N] [--messages N] [--group-commit on|off]

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "rtw/store/journal.h"

using namespace rtw::store;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  Backend backend = Backend::kSqlite;
  std::string target;
  int threads = 16;
  int messages = 20000;
  bool group_commit = true;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--backend") {
      options.backend = value == "postgresql" ? Backend::kPostgresql : Backend::kSqlite;
    } else if (key == "--target") {
      options.target = value;
    } else if (key == "--threads") {
      options.threads = std::stoi(value);
    } else if (key == "--messages") {
      options.messages = std::stoi(value);
    } else if (key == "--group-commit") {
      options.group_commit = value == "on";
    } else {
      throw std::invalid_argument("unknown option " + key);
    }
  }
  if (options.target.empty()) {
    options.target = (std::filesystem::temp_directory_path() / "bench-journal.sqlite").string();
  }
  return options;
}

std::string payload() {
  std::string text = "MSH|^~\\&|CLINICEMR|CLINIC01|RTWGW|WSBC|20250301101500||REF^I12|X|P|2.5\r";
  text.resize(2500, 'x');  // the size of the sample referral
  return text;
}

template <typename Work>
double run(int threads, int count, Work work) {
  std::atomic<int> next{0};
  const auto start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < count; i = next++) {
        work(i);
      }
    });
  }
  for (auto& thread : pool) {
    thread.join();
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  if (options.backend == Backend::kSqlite) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(options.target + suffix);
    }
  }
  JournalOptions journal_options;
  journal_options.backend = options.backend;
  journal_options.group_commit = options.group_commit;
  Journal journal(options.target, journal_options);
  const std::string body = payload();
  const std::string document(3000, 'd');

  const double record_s = run(options.threads, options.messages, [&](int i) {
    journal.record(
        {"clinic01", "mllp", "EMR|CLINIC01", "B" + std::to_string(i), "REF^I12", body, "ACK"});
  });
  const std::uint64_t commits = journal.commits();

  const double translate_s = run(options.threads, options.messages, [&](int) {
    if (auto entry = journal.nextReceived(0)) {
      journal.markTranslated(entry->id,
                             {{"doc-" + std::to_string(entry->id), "referral", document}}, 0);
    }
  });
  const double deliver_s = run(options.threads, options.messages, [&](int) {
    if (auto item = journal.nextDue(0)) {
      journal.markDelivered(item->id, "RCPT");
    }
  });
  const auto counts = journal.counts();
  const double n = options.messages;
  std::printf(
      "backend=%s threads=%d messages=%d group_commit=%s\n"
      "  record:    %8.0f messages/s (%.2f messages per commit)\n"
      "  translate: %8.0f messages/s (claim + markTranslated)\n"
      "  deliver:   %8.0f documents/s (claim + markDelivered)\n"
      "  full life: %8.0f messages/s\n"
      "  delivered: %lld of %d\n",
      options.backend == Backend::kSqlite ? "sqlite" : "postgresql", options.threads,
      options.messages, options.group_commit ? "on" : "off", n / record_s,
      n / static_cast<double>(std::max<std::uint64_t>(commits, 1)), n / translate_s, n / deliver_s,
      n / (record_s + translate_s + deliver_s), static_cast<long long>(counts.delivered),
      options.messages);
  return counts.delivered == options.messages ? 0 : 1;
}
