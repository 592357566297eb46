#include "cli.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>

namespace rtw::app::cli {

bool Arguments::has(const std::string& name) const { return options.count(name) != 0; }

bool Arguments::flag(const std::string& name) const {
  return std::find(flags.begin(), flags.end(), name) != flags.end();
}

std::string Arguments::value(const std::string& name, const std::string& fallback) const {
  auto it = options.find(name);
  return it == options.end() ? fallback : it->second.back();
}

std::string Arguments::required(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) {
    throw UsageError("--" + name + " is required");
  }
  return it->second.back();
}

const std::vector<std::string>& Arguments::all(const std::string& name) const {
  static const std::vector<std::string> kNone;
  auto it = options.find(name);
  return it == options.end() ? kNone : it->second;
}

Arguments parseArguments(int argc, char** argv, int first,
                         const std::vector<std::string>& with_value) {
  Arguments args;
  for (int i = first; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      args.files.push_back(arg);
      continue;
    }
    const std::string name = arg.substr(2);
    if (std::find(with_value.begin(), with_value.end(), name) == with_value.end()) {
      args.flags.push_back(name);
      continue;
    }
    if (i + 1 >= argc) {
      throw UsageError(arg + " needs a value");
    }
    args.options[name].push_back(argv[++i]);
  }
  return args;
}

std::int64_t wholeNumber(const std::string& what, const std::string& text, std::int64_t min,
                         std::int64_t max) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || value < min || value > max) {
    const bool unbounded = max == std::numeric_limits<std::int64_t>::max();
    throw UsageError(what + " must be a whole number from " + std::to_string(min) +
                     (unbounded ? "" : " to " + std::to_string(max)) + ", not '" + text + "'");
  }
  return value;
}

std::string readFile(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace rtw::app::cli
