// rtwctl map: messages through a partner's plugin and mappings without a
// server, printing the documents, their validation and, with --trace, the
// rule and source value behind every field.

#include <iostream>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>

#include "cli.h"
#include "rtw/mapping/csv_source.h"
#include "rtw/mapping/fhir_source.h"
#include "rtw/mapping/mapping.h"
#include "rtw/pipeline/dry_run.h"
#include "rtw/pipeline/intake.h"
#include "split_messages.h"

namespace rtw::app::cli {
namespace {

struct MapSetup {
  security::PartnerRegistry partners;
  const security::Partner* partner = nullptr;
  plugin::LoadedPlugin plugin;
  std::shared_ptr<const worksafe::SchemaSet> schemas;
  std::shared_ptr<const worksafe::BoardProfiles> profiles;
  std::shared_ptr<const mapping::MappingSet> mappings;
  pipeline::HostFields host;
};

void loadSetup(const Arguments& args, MapSetup& setup) {
  setup.partners = security::PartnerRegistry::load(args.value("partners", "conf/partners"));
  const std::string id = args.required("partner");
  setup.partner = setup.partners.byId(id);
  if (setup.partner == nullptr) {
    throw UsageError("--partner " + id + " is not in " + args.value("partners", "conf/partners"));
  }
  setup.plugin =
      plugin::PluginHost(args.value("plugins", "build/plugins")).load(setup.partner->plugin);
  setup.schemas = worksafe::SchemaSet::load(args.value("schemas", "mappings/worksafe"));
  setup.profiles = worksafe::BoardProfiles::load(args.value("boards", "conf/boards"));
  if (!setup.partner->mappings.empty()) {
    const std::filesystem::path dir = args.value("mappings", "mappings");
    setup.mappings = mapping::MappingSet::load(dir / setup.partner->mappings, *setup.schemas);
  }
  if (args.has("today")) {
    const auto today = worksafe::Date::parse(args.value("today", ""));
    if (!today || args.value("today", "").size() != 10) {
      throw UsageError("--today needs a date YYYY-MM-DD");
    }
    setup.host.today = *today;
  }
  setup.host.created_at = args.value(
      "created-at",
      Poco::DateTimeFormatter::format(Poco::DateTime(), Poco::DateTimeFormat::ISO8601_FORMAT));
}

void printTrace(const mapping::Evaluation& evaluation) {
  for (const auto& entry : evaluation.trace) {
    std::cout << "  " << entry.target << " = \"" << entry.value << "\"  <- " << entry.source;
    if (entry.source != "const" && entry.source_value != entry.value) {
      std::cout << " \"" << entry.source_value << "\"";
    }
    std::cout << "  [" << mapping::format(entry.rule) << "]\n";
  }
}

bool printRun(const pipeline::DryRun& run, bool trace) {
  for (const auto& document : run.documents) {
    std::cout << "-- " << worksafe::toString(document.type)
              << (document.valid() ? "" : " (INVALID)") << "\n"
              << document.xml;
    if (trace) {
      std::cout << "-- trace\n";
      printTrace(document.evaluation);
    }
    for (const auto& finding : document.evaluation.findings) {
      std::cout << mapping::format(finding) << "\n";
    }
    for (const auto& problem : document.problems) {
      std::cout << worksafe::format(problem) << "\n";
    }
  }
  if (!run.status.isOk()) {
    std::cout << "REJECTED: " << run.status.reason() << "\n";
  } else if (run.documents.empty()) {
    std::cout << "REJECTED: the plugin produced no document\n";
  }
  return run.accepted();
}

pipeline::DryRun runMapping(const MapSetup& setup, const mapping::Source& source,
                            const std::string& type, const std::string& source_id) {
  pipeline::HostFields host = setup.host;
  host.document_id_seed = setup.partner->id + "/" + source_id;
  const pipeline::DryRunSetup dry{*setup.partner, setup.plugin, setup.mappings, *setup.schemas,
                                  *setup.profiles};
  return pipeline::dryRunMapping(dry, source, type, source_id, host);
}

// A FHIR resource: its resourceType is the message type; a Bundle's entries each.
bool mapFhirFile(const std::string& file, const MapSetup& setup, bool trace) {
  std::string error;
  const auto resources = mapping::FhirSource::parse(readFile(file), error);
  if (resources.empty()) {
    std::cout << "== " << file << "\nREJECTED: " << error << "\n";
    return false;
  }
  bool all_accepted = true;
  for (std::size_t i = 0; i < resources.size(); ++i) {
    const auto& resource = *resources[i];
    const std::string source_id = resource.resourceType() + "/" +
                                  (resource.id().empty() ? std::to_string(i + 1) : resource.id());
    std::cout << "== " << file << (resources.size() > 1 ? " entry " + std::to_string(i + 1) : "")
              << " " << source_id << "\n";
    all_accepted =
        printRun(runMapping(setup, resource, resource.resourceType(), source_id), trace) &&
        all_accepted;
  }
  return all_accepted;
}

// The CSV record kind: --kind, or the one "csv:" mapping of the partner.
std::string csvMessageType(const Arguments& args, const MapSetup& setup) {
  if (args.has("kind")) {
    return "csv:" + args.value("kind", "");
  }
  std::vector<std::string> kinds;
  for (const auto& type :
       setup.mappings ? setup.mappings->messageTypes() : std::vector<std::string>{}) {
    if (mapping::sourceFormatOf(type) == mapping::SourceFormat::kCsv) {
      kinds.push_back(type);
    }
  }
  if (kinds.size() != 1) {
    throw UsageError("a CSV file needs --kind KIND: partner " + setup.partner->id + " maps " +
                     std::to_string(kinds.size()) + " CSV record kinds");
  }
  return kinds.front();
}

// One document per record; a bad record is rejected alone, naming its line.
bool mapCsvFile(const std::string& file, const std::string& type, const MapSetup& setup,
                bool trace) {
  std::string error;
  const auto table = mapping::parseCsv(readFile(file), error);
  if (!table) {
    std::cout << "== " << file << "\nREJECTED: " << error << "\n";
    return false;
  }
  if (table->records.empty()) {
    std::cout << "== " << file << "\nREJECTED: no records below the header\n";
    return false;
  }
  bool all_accepted = true;
  const std::string name = std::filesystem::path(file).filename().string();
  for (const auto& record : table->records) {
    const std::string line = "line " + std::to_string(record.line);
    std::cout << "== " << file << " " << line << " " << type << "\n";
    if (const std::string problem = table->problem(record); !problem.empty()) {
      std::cout << "REJECTED: " << problem << "\n";
      all_accepted = false;
      continue;
    }
    const mapping::CsvRecordSource source(*table, record);
    const auto run = runMapping(setup, source, type, name + ":" + std::to_string(record.line));
    if (!printRun(run, trace)) {
      std::cout << "REJECTED: " << line << "\n";
      all_accepted = false;
    }
  }
  return all_accepted;
}

bool hasExtension(const std::string& file, const char* extension) {
  return std::filesystem::path(file).extension() == extension;
}

bool mapFile(const std::string& file, const MapSetup& setup, bool trace) {
  const std::vector<std::string> messages = splitMessages(readFile(file));
  bool all_accepted = !messages.empty();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    auto parsed = hl7v2::Message::parse(messages[i], pipeline::parseOptionsFor(*setup.partner));
    std::cout << "== " << file << (messages.size() > 1 ? " #" + std::to_string(i + 1) : "");
    if (!parsed.message) {
      std::cout << "\nREJECTED: not an HL7 v2 message: " << parsed.error->message << "\n";
      all_accepted = false;
      continue;
    }
    std::cout << " " << parsed.message->messageType() << " " << parsed.message->controlId() << "\n";
    pipeline::HostFields host = setup.host;
    host.document_id_seed = setup.partner->id + "/" + parsed.message->controlId();
    const pipeline::DryRunSetup dry{*setup.partner, setup.plugin, setup.mappings, *setup.schemas,
                                    *setup.profiles};
    all_accepted = printRun(pipeline::dryRun(dry, *parsed.message, host), trace) && all_accepted;
  }
  return all_accepted;
}

}  // namespace

int runMap(int argc, char** argv) {
  const Arguments args = parseArguments(argc, argv, 2,
                                        {"partner", "partners", "plugins", "mappings", "schemas",
                                         "boards", "today", "created-at", "kind"});
  if (args.files.empty()) {
    throw UsageError("map needs at least one FILE");
  }
  for (const auto& flag : args.flags) {
    if (flag != "trace") {
      throw UsageError("unknown option --" + flag);
    }
  }
  MapSetup setup;
  loadSetup(args, setup);
  bool all_accepted = true;
  for (const auto& file : args.files) {
    const bool trace = args.flag("trace");
    bool accepted = false;
    if (hasExtension(file, ".json")) {
      accepted = mapFhirFile(file, setup, trace);
    } else if (hasExtension(file, ".csv")) {
      accepted = mapCsvFile(file, csvMessageType(args, setup), setup, trace);
    } else {
      accepted = mapFile(file, setup, trace);
    }
    all_accepted = accepted && all_accepted;
  }
  return all_accepted ? kOk : kFailed;
}

}  // namespace rtw::app::cli
