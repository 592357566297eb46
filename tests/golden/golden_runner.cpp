// One golden test: tests/golden/<partner>/<case>.hl7 through the partner's
// plugin and mappings (as `rtwctl map` runs it) must give exactly
// <case>.expected.xml, valid for the board. The document is dated by the
// message: createdAt is MSH-7 and the board rules are checked as of its day.
// <case>.json (a FHIR resource or Bundle) and <case>.csv (one document per
// record) go through the mappings alone and are dated kRecordCreatedAt;
// their documents are concatenated in order in <case>.expected.xml, and a
// CSV case whose bad records must be rejected lists their line numbers in
// <case>.rejected (one per line; no file: every record must be accepted).
// An HL7 case is run a second time re-encoded with other delimiters
// (reencode.h): the documents must be the same, byte for byte.
// On a difference the actual document is written to
// build/golden-actual/<partner>/<case>.xml (<case>.reencoded.xml) for review.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "reencode.h"
#include "rtw/hl7v2/timestamp.h"
#include "rtw/mapping/fhir_source.h"
#include "rtw/pipeline/payload.h"
#include "rtw/pipeline/translation.h"
#include "rtw/plugin/settings.h"

namespace {

namespace fs = std::filesystem;
using namespace rtw;

std::string readText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The first line where two texts differ, with both versions.
void printDifference(const std::string& expected, const std::string& actual) {
  std::istringstream e(expected);
  std::istringstream a(actual);
  std::string expected_line;
  std::string actual_line;
  for (int line = 1;; ++line) {
    const bool more_expected = static_cast<bool>(std::getline(e, expected_line));
    const bool more_actual = static_cast<bool>(std::getline(a, actual_line));
    if (!more_expected && !more_actual) {
      return;
    }
    if (expected_line != actual_line || more_expected != more_actual) {
      std::cerr << "first difference at line " << line
                << ":\n  expected: " << (more_expected ? expected_line : "(end)")
                << "\n  actual:   " << (more_actual ? actual_line : "(end)") << "\n";
      return;
    }
  }
}

// FHIR resources and CSV records carry no send time of their own.
constexpr const char* kRecordCreatedAt = "2026-03-02T09:00:00-08:00";

pipeline::HostFields recordHostFields(const std::string& seed) {
  pipeline::HostFields host;
  host.document_id = pipeline::seededDocumentIds(seed);
  host.created_at = kRecordCreatedAt;
  host.today = *worksafe::Date::parse(host.created_at.substr(0, 10));
  return host;
}

// What one run gives: the accepted documents' XML; findings and problems to stderr.
bool collect(const pipeline::Translation& run, const std::string& what, std::string& actual) {
  for (const auto& document : run.documents) {
    actual += run.accepted() ? document.xml : "";
    for (const auto& problem : document.problems()) {
      std::cerr << what << ": " << worksafe::format(problem) << "\n";
    }
    for (const auto& finding : document.evaluation.findings) {
      std::cerr << what << ": " << mapping::format(finding) << "\n";
    }
  }
  if (!run.accepted()) {
    std::cerr << what
              << ": REJECTED: " << (run.status.isOk() ? "invalid document" : run.status.reason())
              << "\n";
  }
  return run.accepted();
}

// What a FHIR case's Task may answer: the partner's other cases, as if it
// had sent them before (the gateway holds what a partner created).
pipeline::HeldLookup heldBeside(const fs::path& folder) {
  std::vector<std::string> resources;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".json") {
      resources.push_back(readText(entry.path()));
    }
  }
  return pipeline::heldAmong(resources);
}

// Every resource of <case>.json the partner maps must be accepted (a
// document Bundle: its Composition).
bool runFhir(const pipeline::TranslationSetup& setup, const std::string& text,
             const pipeline::HeldLookup& held, const std::string& seed, std::string& actual) {
  std::string error;
  const auto resource = fhir::Resource::parseJson(text, error);
  // As rtwctl map: entries the partner does not map are read through references.
  const auto units = resource ? fhir::translationUnits(*resource, error,
                                                       mapping::mappedResourceTypes(setup.mappings))
                              : std::vector<fhir::Resource>{};
  if (units.empty()) {
    throw std::runtime_error(error);
  }
  bool accepted = true;
  for (const auto& unit : units) {
    const auto payload = pipeline::fhirPayload(pipeline::withHeldResources(unit, held), text);
    const std::string id = payload->sourceMessageId();
    accepted = collect(pipeline::translate(setup, *payload, recordHostFields(seed + "/" + id)), id,
                       actual) &&
               accepted;
  }
  return accepted;
}

// The records of <case>.csv: the rejected ones must be exactly <case>.rejected.
bool runCsv(const pipeline::TranslationSetup& setup, const std::string& text,
            const std::string& rejected_text, const std::string& seed, std::string& actual) {
  std::string error;
  auto parsed = enrolment::parseCsv(text, error);
  if (!parsed) {
    throw std::runtime_error(error);
  }
  const auto table = std::make_shared<const enrolment::CsvTable>(std::move(*parsed));
  std::vector<std::string> kinds;
  for (const auto& type : setup.mappings->messageTypes()) {
    if (mapping::sourceFormatOf(type) == mapping::SourceFormat::kCsv) {
      kinds.push_back(type);
    }
  }
  if (kinds.size() != 1) {
    throw std::runtime_error("a CSV golden case needs a partner with one CSV record kind");
  }
  std::string rejected;
  for (std::size_t i = 0; i < table->records.size(); ++i) {
    const auto& record = table->records[i];
    const std::string line = std::to_string(record.line);
    bool accepted = false;
    if (const std::string problem = table->problem(record); !problem.empty()) {
      std::cerr << problem << "\n";
    } else {
      const auto payload = pipeline::csvPayload(table, i, kinds.front(), "golden.csv");
      accepted = collect(pipeline::translate(setup, *payload, recordHostFields(seed + ":" + line)),
                         "line " + line, actual);
    }
    rejected += accepted ? "" : line + "\n";
  }
  if (rejected != rejected_text) {
    std::cerr << "rejected lines:\n" << rejected << "expected rejected lines:\n" << rejected_text;
    return false;
  }
  return true;
}

pipeline::HostFields hostFields(const hl7v2::Message& message, const std::string& seed) {
  const auto sent = hl7v2::parseTimestamp(message.get("MSH-7"));
  if (!sent || !sent->offset_minutes || sent->precision < hl7v2::Timestamp::Precision::kSecond) {
    throw std::runtime_error("a golden message needs MSH-7 to the second with a UTC offset");
  }
  pipeline::HostFields host;
  host.document_id = pipeline::seededDocumentIds(seed);
  host.created_at = sent->toIso8601();
  host.today = *worksafe::Date::parse(host.created_at.substr(0, 10));
  return host;
}

// The message re-encoded with other delimiters must give `actual` again.
bool sameReencoded(const pipeline::TranslationSetup& setup, const hl7v2::Message& message,
                   const std::string& seed, const std::string& actual, const fs::path& review) {
  const std::string text = golden::reencoded(message);
  auto parsed = hl7v2::Message::parse(text, pipeline::parseOptionsFor(setup.partner));
  if (!parsed.message) {
    throw std::runtime_error("the re-encoded message does not parse: " + parsed.error->message);
  }
  std::string again;
  const std::string what = "re-encoded with " + std::string(text.substr(3, 5));
  const auto host = hostFields(*parsed.message, seed);
  if (collect(pipeline::translate(setup, *pipeline::hl7Payload(std::move(*parsed.message)), host),
              what, again) &&
      again == actual) {
    return true;
  }
  fs::create_directories(review.parent_path());
  std::ofstream(review, std::ios::binary) << again;
  std::cerr << "the message " << what << " gives another document\n";
  printDifference(actual, again);
  std::cerr << "that document: " << review.string() << "\n";
  return false;
}

int runCase(const std::string& partner_id, const std::string& name) {
  const fs::path source = RTW_SOURCE_DIR;
  const fs::path folder = source / "tests/golden" / partner_id;
  const auto partners = security::PartnerRegistry::load(source / "conf/partners");
  const security::Partner* partner = partners.byId(partner_id);
  if (partner == nullptr) {
    throw std::runtime_error("tests/golden/" + partner_id + " is not a partner in conf/partners");
  }
  const auto plugin = plugin::PluginHost(RTW_PLUGIN_DIR).load(partner->plugin);
  plugin::checkSettings(*partner, plugin);
  const auto schemas = worksafe::SchemaSet::load(source / "mappings/worksafe");
  const auto profiles = worksafe::BoardProfiles::load(source / "conf/boards");
  const auto mappings =
      mapping::MappingSet::load(source / "mappings" / partner->mappings, *schemas);

  const pipeline::TranslationSetup setup{*partner, plugin, mappings, *schemas, *profiles};
  const std::string seed = "golden/" + partner_id + "/" + name;
  std::string actual;
  bool accepted = false;
  if (fs::exists(folder / (name + ".json"))) {
    accepted =
        runFhir(setup, readText(folder / (name + ".json")), heldBeside(folder), seed, actual);
  } else if (fs::exists(folder / (name + ".csv"))) {
    const fs::path rejected = folder / (name + ".rejected");
    accepted = runCsv(setup, readText(folder / (name + ".csv")),
                      fs::exists(rejected) ? readText(rejected) : "", seed, actual);
  } else {
    auto parsed = hl7v2::Message::parse(readText(folder / (name + ".hl7")),
                                        pipeline::parseOptionsFor(*partner));
    if (!parsed.message) {
      throw std::runtime_error("not an HL7 v2 message: " + parsed.error->message);
    }
    const auto payload = pipeline::hl7Payload(*parsed.message);
    accepted = collect(pipeline::translate(setup, *payload, hostFields(*parsed.message, seed)),
                       name, actual) &&
               sameReencoded(setup, *parsed.message, seed, actual,
                             fs::path(RTW_BINARY_DIR) / "golden-actual" / partner_id /
                                 (name + ".reencoded.xml"));
  }
  if (!accepted) {
    return 1;
  }
  const fs::path expected_file = folder / (name + ".expected.xml");
  const std::string expected = fs::exists(expected_file) ? readText(expected_file) : "";
  if (actual == expected) {
    return 0;
  }
  const fs::path actual_file =
      fs::path(RTW_BINARY_DIR) / "golden-actual" / partner_id / (name + ".xml");
  fs::create_directories(actual_file.parent_path());
  std::ofstream(actual_file, std::ios::binary) << actual;
  std::cerr << (expected.empty() ? "no " + expected_file.string() + "\n"
                                 : expected_file.string() + " differs\n");
  printDifference(expected, actual);
  std::cerr << "actual document: " << actual_file.string() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: golden_runner PARTNER CASE\n";
    return 2;
  }
  try {
    return runCase(argv[1], argv[2]);
  } catch (const std::exception& e) {
    std::cerr << "golden " << argv[1] << "/" << argv[2] << ": " << e.what() << "\n";
    return 1;
  }
}
