// rtwctl validate: WorkSafe documents against their XSD.

#include <iostream>

#include "cli.h"
#include "rtw/worksafe/schema.h"

namespace rtw::app::cli {

int runValidate(int argc, char** argv) {
  const Arguments args = parseArguments(argc, argv, 2, {"schemas"});
  if (args.files.empty()) {
    throw UsageError("validate needs at least one FILE");
  }
  auto schemas = worksafe::SchemaSet::load(args.value("schemas", "mappings/worksafe"));
  bool all_valid = true;
  for (const auto& file : args.files) {
    const std::string prefix = args.files.size() > 1 ? file + ": " : "";
    const std::string xml = readFile(file);
    std::optional<worksafe::DocumentType> type = schemas->detectType(xml);
    if (!type) {
      std::cout << prefix << "ERROR: not a WorkSafe document (unknown root element or namespace)\n";
      all_valid = false;
      continue;
    }
    for (const auto& problem : schemas->validate(*type, xml)) {
      std::cout << prefix << worksafe::format(problem) << "\n";
      all_valid = all_valid && problem.severity != worksafe::Problem::Severity::kError;
    }
  }
  return all_valid ? kOk : kFailed;
}

}  // namespace rtw::app::cli
