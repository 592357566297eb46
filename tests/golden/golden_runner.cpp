// One golden test: tests/golden/<partner>/<case>.hl7 through the partner's
// plugin and mappings (as `rtwctl map` runs it) must give exactly
// <case>.expected.xml, valid for the board. The document is dated by the
// message: createdAt is MSH-7 and the board rules are checked as of its day.
// On a difference the actual document is written to
// build/golden-actual/<partner>/<case>.xml for review.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "rtw/hl7v2/timestamp.h"
#include "rtw/pipeline/dry_run.h"
#include "rtw/pipeline/intake.h"

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

pipeline::HostFields hostFields(const hl7v2::Message& message, const std::string& seed) {
  const auto sent = hl7v2::parseTimestamp(message.get("MSH-7"));
  if (!sent || !sent->offset_minutes || sent->precision < hl7v2::Timestamp::Precision::kSecond) {
    throw std::runtime_error("a golden message needs MSH-7 to the second with a UTC offset");
  }
  pipeline::HostFields host;
  host.document_id_seed = seed;
  host.created_at = sent->toIso8601();
  host.today = *worksafe::Date::parse(host.created_at.substr(0, 10));
  return host;
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
  const auto schemas = worksafe::SchemaSet::load(source / "mappings/worksafe");
  const auto profiles = worksafe::BoardProfiles::load(source / "conf/boards");
  const auto mappings =
      mapping::MappingSet::load(source / "mappings" / partner->mappings, *schemas);

  auto parsed = hl7v2::Message::parse(readText(folder / (name + ".hl7")),
                                      pipeline::parseOptionsFor(*partner));
  if (!parsed.message) {
    throw std::runtime_error("not an HL7 v2 message: " + parsed.error->message);
  }
  const pipeline::DryRun run =
      pipeline::dryRun({*partner, plugin, mappings, *schemas, *profiles}, *parsed.message,
                       hostFields(*parsed.message, "golden/" + partner_id + "/" + name));
  std::string actual;
  for (const auto& document : run.documents) {
    actual += document.xml;
    for (const auto& problem : document.problems) {
      std::cerr << worksafe::format(problem) << "\n";
    }
    for (const auto& finding : document.evaluation.findings) {
      std::cerr << mapping::format(finding) << "\n";
    }
  }
  if (!run.accepted()) {
    std::cerr << "REJECTED: " << (run.status.isOk() ? "invalid document" : run.status.reason())
              << "\n";
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
