// What rtwctl map leaves a user to work with: stdout holds the one document
// and nothing else, so it can be redirected and validated; several
// documents go to files with --out DIR, one each, named after the input.

#include <catch2/catch.hpp>

#include <algorithm>

#include "map_scratch.h"

using namespace rtw::testing;

namespace {

const std::string kRtwctl = RTW_BINARY_DIR "/bin/rtwctl";

// A shell line run in the project folder, as a user types it; its exit status.
int shell(const std::string& line, const MapScratch& scratch) {
  const std::string command = "cd '" RTW_SOURCE_DIR "' && { " + line + " ; } >'" +
                              (scratch.dir() / "shell.out").string() + "' 2>'" +
                              (scratch.dir() / "shell.err").string() + "'";
  const int raw = std::system(command.c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

}  // namespace

TEST_CASE("rtwctl map > doc.xml && rtwctl validate doc.xml works on golden messages",
          "[rtwctl][map]") {
  MapScratch scratch;
  struct Case {
    std::string file;
    std::string today;
  };
  for (const Case& c : {Case{"harbour-physio/referral.hl7", "2025-03-04"},
                        Case{"harbour-physio/dft-invoice-gst.hl7", "2025-03-14"}}) {
    INFO(c.file);
    const std::string doc = (scratch.dir() / "doc.xml").string();
    const std::string line =
        "'" + kRtwctl + "' map --plugins '" RTW_PLUGIN_DIR "' --partner harbour-physio --today " +
        c.today + " tests/golden/" + c.file + " > '" + doc + "' && '" + kRtwctl +
        "' validate --today " + c.today + " '" + doc + "'";
    CHECK(shell(line, scratch) == 0);
    CHECK(readText(scratch.dir() / "shell.out").empty());  // validate found nothing to say
    CHECK_THAT(readText(doc), Catch::StartsWith("<?xml"));
  }
}

TEST_CASE("several documents without --out are refused with a sentence, stdout left empty",
          "[rtwctl][map]") {
  MapScratch scratch;
  const Run run = scratch.map({"--partner", "westcoast-fhir", "--today", "2026-03-02",
                               kGolden + "westcoast-fhir/bundle-two-referrals.json"});
  CHECK(run.status == 2);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::Contains("rtwctl map: 2 documents, and stdout holds one: write them "
                                      "to files with --out DIR"));
  // What was found is still told: which entry made which document.
  CHECK_THAT(run.err, Catch::Contains(" entry 2 ServiceRequest/wc-ref-2026-0043\n"
                                      "-- referral bundle-two-referrals.2.referral.xml\n"));
}

TEST_CASE("map --out DIR writes one file per document, each one rtwctl validate reads",
          "[rtwctl][map]") {
  MapScratch scratch;
  const fs::path out = scratch.dir() / "new/docs";  // made when missing
  const Run run = scratch.map({"--partner", "fanshawe-college", "--today", "2026-03-02", "--out",
                               out.string(), kGolden + "fanshawe-college/enrolment-export.csv"});
  CHECK(run.status == 1);  // line 4 has no claim number
  CHECK(run.out.empty());
  std::vector<std::string> written;
  for (const auto& entry : fs::directory_iterator(out)) {
    written.push_back(entry.path().filename().string());
  }
  std::sort(written.begin(), written.end());
  CHECK(written == std::vector<std::string>{"enrolment-export.1.training-report.xml",
                                            "enrolment-export.2.training-report.xml",
                                            "enrolment-export.3.training-report.xml",
                                            "enrolment-export.4.training-report.xml"});
  CHECK_THAT(run.err, Catch::Contains("enrolment-export.csv line 4 csv:enrolment\n"
                                      "-- training-report (INVALID) "
                                      "enrolment-export.3.training-report.xml\n"));
  CHECK_THAT(run.err,
             Catch::Contains("wrote " + (out / "enrolment-export.4.training-report.xml").string()));
  for (const std::string& name : written) {
    INFO(name);
    const Run valid = scratch.rtwctl({"validate", "--today", "2026-03-02", (out / name).string()});
    // The third is line 4's, which has no claim number: rejected, as map said.
    CHECK(valid.status == (name == "enrolment-export.3.training-report.xml" ? 1 : 0));
  }
  CHECK_THAT(readText(out / "enrolment-export.2.training-report.xml"),
             Catch::StartsWith("<?xml") && Catch::EndsWith("</TrainingReport>\n"));
}

TEST_CASE("map --out names the documents of each input file apart", "[rtwctl][map]") {
  MapScratch scratch;
  const fs::path out = scratch.dir() / "docs";
  const Run run = scratch.map({"--partner", "westcoast-fhir", "--today", "2026-03-02", "--out",
                               out.string(), kGolden + "westcoast-fhir/bundle-two-referrals.json",
                               kGolden + "westcoast-fhir/servicerequest-referral.json"});
  CHECK(run.status == 0);
  CHECK(fs::exists(out / "bundle-two-referrals.1.referral.xml"));
  CHECK(fs::exists(out / "bundle-two-referrals.2.referral.xml"));
  CHECK(fs::exists(out / "servicerequest-referral.1.referral.xml"));
  CHECK_THAT(readText(out / "bundle-two-referrals.2.referral.xml"),
             Catch::Contains("<claimNumber>23456789</claimNumber>"));
}
