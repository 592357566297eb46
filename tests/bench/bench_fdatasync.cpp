// bench-fdatasync: how many 4 KiB write + fdatasync pairs per second the
// filesystem under a folder takes, the ceiling of a journal that syncs once
// per commit. Overwrites a preallocated file (as SQLite reuses its WAL) unless
// --append. Prints the rate for every second and the median.
// Usage: bench-fdatasync --dir DIR [--seconds S] [--bytes N] [--append] [--json]

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::filesystem::path dir = ".";
  double seconds = 5;
  std::size_t bytes = 4096;
  bool append = false;
  bool json = false;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        throw std::runtime_error(arg + " needs a value");
      }
      return argv[++i];
    };
    if (arg == "--dir") {
      o.dir = value();
    } else if (arg == "--seconds") {
      o.seconds = std::stod(value());
    } else if (arg == "--bytes") {
      o.bytes = std::stoul(value());
    } else if (arg == "--append") {
      o.append = true;
    } else if (arg == "--json") {
      o.json = true;
    } else {
      throw std::runtime_error(
          "usage: bench-fdatasync --dir DIR [--seconds S] [--bytes N] "
          "[--append] [--json]");
    }
  }
  return o;
}

void check(bool ok, const std::string& what) {
  if (!ok) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
  }
}

int run(const Options& o) {
  constexpr std::size_t kSlots = 1024;  // the overwritten region: 4 MiB with 4 KiB blocks
  const auto file = o.dir / ("fdatasync-probe-" + std::to_string(::getpid()));
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  check(fd >= 0, "open " + file.string());
  std::vector<char> block(o.bytes, 'x');
  if (!o.append) {
    for (std::size_t i = 0; i < kSlots; ++i) {
      check(::pwrite(fd, block.data(), block.size(), static_cast<off_t>(i * o.bytes)) ==
                static_cast<ssize_t>(block.size()),
            "pwrite");
    }
    check(::fsync(fd) == 0, "fsync");
  }
  std::vector<double> per_second;
  std::uint64_t total = 0;
  std::uint64_t in_second = 0;
  const auto start = Clock::now();
  auto second_start = start;
  const auto end = start + std::chrono::duration<double>(o.seconds);
  for (std::uint64_t i = 0;; ++i) {
    const off_t at = static_cast<off_t>((o.append ? i : i % kSlots) * o.bytes);
    block[0] = static_cast<char>(i);
    check(::pwrite(fd, block.data(), block.size(), at) == static_cast<ssize_t>(block.size()),
          "pwrite");
    check(::fdatasync(fd) == 0, "fdatasync");
    ++total;
    ++in_second;
    const auto now = Clock::now();
    if (now - second_start >= std::chrono::seconds(1)) {
      per_second.push_back(in_second / std::chrono::duration<double>(now - second_start).count());
      std::cout << "second " << per_second.size() << ": " << static_cast<long>(per_second.back())
                << " fdatasync/s\n";
      in_second = 0;
      second_start = now;
    }
    if (now >= end) {
      break;
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  ::close(fd);
  std::filesystem::remove(file);
  std::vector<double> sorted = per_second;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted.empty() ? total / seconds : sorted[sorted.size() / 2];
  std::cout << "fdatasync: " << static_cast<long>(total / seconds) << "/s overall, median second "
            << static_cast<long>(median) << "/s (" << o.bytes << "-byte "
            << (o.append ? "appends" : "overwrites") << " in " << o.dir.string() << ")\n";
  if (o.json) {
    std::cout << "RESULT {\"fdatasync_per_s\":" << static_cast<long>(median)
              << ",\"overall_per_s\":" << static_cast<long>(total / seconds)
              << ",\"bytes\":" << o.bytes << ",\"append\":" << (o.append ? "true" : "false")
              << "}\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "bench-fdatasync: " << e.what() << "\n";
    return 1;
  }
}
