#pragma once
// Shared pieces of rtwctl's commands: arguments, files, exit codes.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace rtw::app::cli {

inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;
inline constexpr int kUsage = 2;

/// A command line error: rtwctl prints it with the usage and exits 2.
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct Arguments {
  std::map<std::string, std::vector<std::string>> options;  // --name VALUE, repeatable
  std::vector<std::string> flags;                           // --name without a value
  std::vector<std::string> files;                           // positional arguments

  bool has(const std::string& name) const;
  bool flag(const std::string& name) const;
  std::string value(const std::string& name, const std::string& fallback) const;
  std::string required(const std::string& name) const;
  const std::vector<std::string>& all(const std::string& name) const;
};

/// Parses argv[first..]: `--name VALUE` for names in `with_value`, `--name`
/// alone for the others; the rest are positional.
Arguments parseArguments(int argc, char** argv, int first,
                         const std::vector<std::string>& with_value);

/// `text` as a whole number from `min` to `max`, or a UsageError naming the
/// argument (`what`: "--limit", "a message id"), the range and the text.
std::int64_t wholeNumber(const std::string& what, const std::string& text, std::int64_t min,
                         std::int64_t max);

std::string readFile(const std::string& file);

/// A command: `rtwctl <name> ...`.
struct Command {
  const char* name;
  const char* usage;                  // the help lines for this command
  int (*run)(int argc, char** argv);  // argv[0] is "rtwctl", argv[1] the command
};

// The commands, each in its own file.
int runSend(int argc, char** argv);
int runValidate(int argc, char** argv);
int runHl7(int argc, char** argv);
int runMessages(int argc, char** argv);
int runMap(int argc, char** argv);
int runPartners(int argc, char** argv);
/// rtwctl hl7 redate (redate.cpp), dispatched by runHl7.
int runRedate(const Arguments& args);

}  // namespace rtw::app::cli
