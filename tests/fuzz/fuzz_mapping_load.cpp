// The mapping loader on a mapping file an engineer wrote: the input is
// mappings/<partner>/fuzz.json of a folder that also holds harbour-physio's
// table files, loaded against the real XSDs. Any problem must be a
// MappingError naming the file; a set that loads is then run on a fixed
// message of each source format it maps.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "rtw/hl7v2/message.h"
#include "rtw/mapping/csv_source.h"
#include "rtw/mapping/evaluate.h"
#include "rtw/mapping/fhir_source.h"
#include "rtw/mapping/mapping.h"
#include "schema_support.h"

namespace {

namespace fs = std::filesystem;
using rtw::mapping::MappingSet;
using rtw::mapping::SourceFormat;

const fs::path& mappingDir() {
  static const fs::path dir = [] {
    const fs::path path = rtw::fuzz::scratchDir() / "mappings";
    fs::create_directories(path / "tables");
    for (const auto& table :
         fs::directory_iterator(rtw::fuzz::sourceDir() / "mappings/harbour-physio/tables")) {
      fs::copy_file(table.path(), path / "tables" / table.path().filename());
    }
    return path;
  }();
  return dir;
}

std::string readSample(const char* relative) {
  std::ifstream in(rtw::fuzz::sourceDir() / relative, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// One sample per source format, from the golden tests.
struct Samples {
  rtw::hl7v2::Message hl7 =
      *rtw::hl7v2::Message::parse(readSample("tests/golden/harbour-physio/referral.hl7")).message;
  std::vector<std::unique_ptr<rtw::mapping::FhirSource>> fhir;
  rtw::enrolment::CsvTable csv;
  Samples() {
    std::string error;
    fhir = rtw::mapping::FhirSource::parse(
        readSample("tests/golden/westcoast-fhir/servicerequest-referral.json"), error);
    csv = *rtw::enrolment::parseCsv(
        readSample("tests/golden/fanshawe-college/enrolment-export.csv"), error);
  }
};

void evaluateAll(const MappingSet& set) {
  static const Samples samples;
  for (const std::string& type : set.messageTypes()) {
    const rtw::mapping::MessageMapping* mapping = set.find(type);
    RTW_FUZZ_CHECK(mapping != nullptr);
    rtw::worksafe::Document document = rtw::fuzz::schemas().newDocument(mapping->document);
    switch (rtw::mapping::sourceFormatOf(type)) {
      case SourceFormat::kHl7:
        rtw::mapping::evaluate(*mapping, set, rtw::mapping::Hl7Source(samples.hl7), document);
        break;
      case SourceFormat::kFhir:
        rtw::mapping::evaluate(*mapping, set, *samples.fhir.front(), document);
        break;
      case SourceFormat::kCsv:
        rtw::mapping::evaluate(
            *mapping, set, rtw::mapping::CsvRecordSource(samples.csv, samples.csv.records.front()),
            document);
        break;
    }
    (void)rtw::fuzz::schemas().validate(mapping->document, document.toXml());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = rtw::fuzz::asText(data, size);
  const fs::path file = mappingDir() / "fuzz.json";
  rtw::fuzz::writeFile(file, text);
  std::shared_ptr<const MappingSet> set;
  try {
    // Coverage of the XSD's required elements has unit tests; without it
    // the fuzzer reaches evaluation with mappings of a few rules.
    rtw::mapping::MappingOptions options;
    options.require_complete = false;
    set = MappingSet::load(mappingDir(), rtw::fuzz::schemas(), options);
  } catch (const rtw::mapping::MappingError& error) {
    RTW_FUZZ_CHECK(std::string(error.what()).find(mappingDir().string()) != std::string::npos);
    return 0;
  }
  RTW_FUZZ_CHECK(!set->messageTypes().empty());
  evaluateAll(*set);
  return 0;
}
