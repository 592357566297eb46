// rtwctl map: messages through a partner's plugin and mappings without a
// server. The documents alone go to stdout (one), or with --out DIR to one
// file each; what a person reads about them (which message, findings,
// validation, --trace: the rule and source value behind every field) goes to
// stderr, so that `rtwctl map ... > doc.xml && rtwctl validate doc.xml` works.

#include <fstream>
#include <iostream>
#include <set>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>

#include "cli.h"
#include "rtw/mapping/fhir_source.h"
#include "rtw/mapping/mapping.h"
#include "rtw/pipeline/payload.h"
#include "rtw/pipeline/translation.h"
#include "rtw/plugin/settings.h"
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
  plugin::checkSettings(*setup.partner, setup.plugin);  // as the gateway does at start-up
  setup.schemas = worksafe::SchemaSet::load(args.value("schemas", "mappings/worksafe"));
  setup.profiles = worksafe::BoardProfiles::load(args.value("boards", "conf/boards"));
  if (!setup.partner->mappings.empty()) {
    const std::filesystem::path dir = args.value("mappings", "mappings");
    mapping::MappingOptions options;
    options.require_complete = !args.flag("incomplete");
    setup.mappings =
        mapping::MappingSet::load(dir / setup.partner->mappings, *setup.schemas, options);
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
    std::cerr << "  " << entry.target << " = \"" << entry.value << "\"  <- " << entry.source;
    if (entry.source != "const" && entry.source_value != entry.value) {
      std::cerr << " \"" << entry.source_value << "\"";
    }
    std::cerr << "  [" << mapping::format(entry.rule) << "]\n";
  }
}

// The documents of a run, kept until every file is mapped: only then is it
// known whether stdout can hold them (one) or --out must.
class MapOutput {
 public:
  // `file` is the input the document came from; its name without the
  // extension starts the document's file name.
  void add(const std::string& file, const pipeline::TranslatedDocument& document) {
    const std::string stem = std::filesystem::path(file).stem().string();
    const std::string name = stem + "." + std::to_string(++made_[file]) + "." +
                             std::string(worksafe::toString(document.type)) + ".xml";
    if (!names_.insert(name).second) {
      throw std::runtime_error("two documents would be " + name +
                               ": map input files with the same name one at a time");
    }
    documents_.push_back({name, document.xml});
    std::cerr << "-- " << worksafe::toString(document.type)
              << (document.valid() ? "" : " (INVALID)") << " " << name << "\n";
  }

  // The documents to stdout, or to DIR/<name> for --out DIR.
  void write(const Arguments& args) const {
    if (args.has("out")) {
      const std::filesystem::path dir = args.value("out", "");
      std::filesystem::create_directories(dir);
      for (const auto& [name, xml] : documents_) {
        std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
        if (!(out << xml) || !out.flush()) {
          throw std::runtime_error("cannot write " + (dir / name).string());
        }
        std::cerr << "wrote " << (dir / name).string() << "\n";
      }
    } else if (documents_.size() > 1) {
      throw UsageError(std::to_string(documents_.size()) +
                       " documents, and stdout holds one: write them to files with --out DIR");
    } else if (!documents_.empty()) {
      std::cout << documents_.front().second << std::flush;
    }
  }

 private:
  std::map<std::string, int> made_;  // per input file
  std::set<std::string> names_;
  std::vector<std::pair<std::string, std::string>> documents_;  // name, XML
};

struct MapContext {
  const MapSetup& setup;
  bool trace = false;
  MapOutput& output;
  // The FHIR files of the run: a Task's ServiceRequest may be one of them.
  pipeline::HeldLookup held;
};

bool printRun(const pipeline::Translation& run, const std::string& file,
              const MapContext& context) {
  for (const auto& document : run.documents) {
    context.output.add(file, document);
    if (context.trace) {
      std::cerr << "-- trace\n";
      printTrace(document.evaluation);
    }
    for (const auto& finding : document.evaluation.findings) {
      std::cerr << mapping::format(finding) << "\n";
    }
    for (const auto& problem : document.problems()) {
      std::cerr << worksafe::format(problem) << "\n";
    }
  }
  if (!run.status.isOk()) {
    std::cerr << "REJECTED: " << run.status.reason() << "\n";
  } else if (run.documents.empty()) {
    std::cerr << "REJECTED: the plugin produced no document\n";
  }
  return run.accepted();
}

// One message, resource or record through the partner's plugin, as the
// translate worker does; document ids from `seed` (the same input, the same ids).
pipeline::Translation runPayload(const MapSetup& setup, const pipeline::Payload& payload,
                                 const std::string& seed) {
  pipeline::HostFields host = setup.host;
  host.document_id = pipeline::seededDocumentIds(setup.partner->id + "/" + seed);
  const pipeline::TranslationSetup translation{*setup.partner, setup.plugin, setup.mappings,
                                               *setup.schemas, *setup.profiles};
  return pipeline::translate(translation, payload, host);
}

// A FHIR resource: its resourceType is the message type; a Bundle's entries each.
bool mapFhirFile(const std::string& file, const MapContext& context) {
  std::string error;
  const std::string text = readFile(file);
  const std::optional<fhir::Resource> resource = fhir::Resource::parseJson(text, error);
  // A Bundle's entries the partner has no mapping for (a transaction's
  // Patient, Coverage) are read through references, not translated.
  const std::vector<fhir::Resource> units =
      resource ? fhir::translationUnits(*resource, error,
                                        mapping::mappedResourceTypes(context.setup.mappings))
               : std::vector<fhir::Resource>{};
  if (units.empty()) {
    std::cerr << "== " << file << "\nREJECTED: " << error << "\n";
    return false;
  }
  bool all_accepted = true;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const auto payload =
        pipeline::fhirPayload(pipeline::withHeldResources(units[i], context.held), text);
    const std::string source_id = payload->sourceMessageId();
    std::cerr << "== " << file << (units.size() > 1 ? " entry " + std::to_string(i + 1) : "") << " "
              << source_id << "\n";
    const auto run =
        runPayload(context.setup, *payload,
                   source_id + (units[i].id().empty() ? "#" + std::to_string(i + 1) : ""));
    all_accepted = printRun(run, file, context) && all_accepted;
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
bool mapCsvFile(const std::string& file, const std::string& type, const MapContext& context) {
  std::string error;
  std::optional<enrolment::CsvTable> parsed = enrolment::parseCsv(readFile(file), error);
  if (!parsed) {
    std::cerr << "== " << file << "\nREJECTED: " << error << "\n";
    return false;
  }
  const auto table = std::make_shared<const enrolment::CsvTable>(std::move(*parsed));
  if (table->records.empty()) {
    std::cerr << "== " << file << "\nREJECTED: no records below the header\n";
    return false;
  }
  bool all_accepted = true;
  const std::string name = std::filesystem::path(file).filename().string();
  for (std::size_t i = 0; i < table->records.size(); ++i) {
    const auto& record = table->records[i];
    const std::string line = "line " + std::to_string(record.line);
    std::cerr << "== " << file << " " << line << " " << type << "\n";
    if (const std::string problem = table->problem(record); !problem.empty()) {
      std::cerr << "REJECTED: " << problem << "\n";
      all_accepted = false;
      continue;
    }
    const auto payload = pipeline::csvPayload(table, i, type, name);
    const auto run = runPayload(context.setup, *payload, payload->sourceMessageId());
    if (!printRun(run, file, context)) {
      std::cerr << "REJECTED: " << line << "\n";
      all_accepted = false;
    }
  }
  return all_accepted;
}

bool hasExtension(const std::string& file, const char* extension) {
  return std::filesystem::path(file).extension() == extension;
}

bool mapFile(const std::string& file, const MapContext& context) {
  const MapSetup& setup = context.setup;
  const std::vector<std::string> messages = splitMessages(readFile(file));
  bool all_accepted = !messages.empty();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    auto parsed = hl7v2::Message::parse(messages[i], pipeline::parseOptionsFor(*setup.partner));
    std::cerr << "== " << file << (messages.size() > 1 ? " #" + std::to_string(i + 1) : "");
    if (!parsed.message) {
      std::cerr << "\nREJECTED: not an HL7 v2 message: " << parsed.error->message << "\n";
      all_accepted = false;
      continue;
    }
    std::cerr << " " << parsed.message->messageType() << " " << parsed.message->controlId() << "\n";
    const auto payload = pipeline::hl7Payload(std::move(*parsed.message));
    all_accepted =
        printRun(runPayload(setup, *payload, payload->sourceMessageId()), file, context) &&
        all_accepted;
  }
  return all_accepted;
}

}  // namespace

int runMap(int argc, char** argv) {
  const Arguments args = parseArguments(argc, argv, 2,
                                        {"partner", "partners", "plugins", "mappings", "schemas",
                                         "boards", "today", "created-at", "kind", "out"});
  if (args.files.empty()) {
    throw UsageError("map needs at least one FILE");
  }
  for (const auto& flag : args.flags) {
    if (flag != "trace" && flag != "incomplete") {
      throw UsageError("unknown option --" + flag);
    }
  }
  MapSetup setup;
  loadSetup(args, setup);
  MapOutput output;
  std::vector<std::string> resources;
  for (const auto& file : args.files) {
    if (hasExtension(file, ".json")) {
      resources.push_back(readFile(file));
    }
  }
  const MapContext context{setup, args.flag("trace"), output, pipeline::heldAmong(resources)};
  bool all_accepted = true;
  for (const auto& file : args.files) {
    bool accepted = false;
    if (hasExtension(file, ".json")) {
      accepted = mapFhirFile(file, context);
    } else if (hasExtension(file, ".csv")) {
      accepted = mapCsvFile(file, csvMessageType(args, setup), context);
    } else {
      accepted = mapFile(file, context);
    }
    all_accepted = accepted && all_accepted;
  }
  output.write(args);
  return all_accepted ? kOk : kFailed;
}

}  // namespace rtw::app::cli
