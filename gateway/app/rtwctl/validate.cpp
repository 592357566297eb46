// rtwctl validate: WorkSafe documents the way the board will check them,
// the XSD and then the board rules of the board's profile.

#include <iostream>

#include "cli.h"
#include "rtw/worksafe/rules.h"
#include "rtw/worksafe/schema.h"

namespace rtw::app::cli {
namespace {

worksafe::ValidationOptions validationOptions(const Arguments& args,
                                              const worksafe::BoardProfiles& profiles) {
  worksafe::ValidationOptions options;
  options.board = args.value("board", "");
  if (!options.board.empty() && profiles.find(options.board) == nullptr) {
    std::string known;
    for (const auto& board : profiles.boards()) {
      known += (known.empty() ? "" : ", ") + board;
    }
    throw UsageError("--board " + options.board + " has no profile (known: " + known + ")");
  }
  if (args.has("today")) {
    const auto today = worksafe::Date::parse(args.value("today", ""));
    if (!today || args.value("today", "").size() != 10) {
      throw UsageError("--today needs a date YYYY-MM-DD");
    }
    options.today = *today;
  }
  return options;
}

// One file: its problems on stdout; true when it has no error.
bool validateFile(const std::string& file, const std::string& prefix,
                  const worksafe::SchemaSet& schemas, const worksafe::BoardProfiles& profiles,
                  const worksafe::ValidationOptions& options) {
  std::string xml;
  try {
    xml = readFile(file);
  } catch (const std::runtime_error& error) {
    std::cout << prefix << "ERROR: " << error.what() << "\n";
    return false;
  }
  const auto problems = worksafe::validateDocument(schemas, profiles, xml, options);
  for (const auto& problem : problems) {
    std::cout << prefix << worksafe::format(problem) << "\n";
  }
  return !worksafe::hasErrors(problems);
}

}  // namespace

int runValidate(int argc, char** argv) {
  const Arguments args = parseArguments(argc, argv, 2, {"schemas", "boards", "board", "today"});
  if (args.files.empty()) {
    throw UsageError("validate needs at least one FILE");
  }
  if (!args.flags.empty()) {
    throw UsageError("unknown option --" + args.flags.front());
  }
  const auto schemas = worksafe::SchemaSet::load(args.value("schemas", "mappings/worksafe"));
  const auto profiles = worksafe::BoardProfiles::load(args.value("boards", "conf/boards"));
  const worksafe::ValidationOptions options = validationOptions(args, *profiles);
  bool all_valid = true;
  for (const auto& file : args.files) {
    const std::string prefix = args.files.size() > 1 ? file + ": " : "";
    all_valid = validateFile(file, prefix, *schemas, *profiles, options) && all_valid;
  }
  return all_valid ? kOk : kFailed;
}

}  // namespace rtw::app::cli
