// rtwctl map on FHIR resources (.json) and CSV files (.csv): the documents,
// the rejections with what to fix, and the exit codes, as for HL7.

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "map_scratch.h"

using namespace rtw::testing;

namespace {

const std::string kReferral = kGolden + "westcoast-fhir/servicerequest-referral.json";
const std::string kExport = kGolden + "fanshawe-college/enrolment-export.csv";
const std::string kToday = "2026-03-02";

}  // namespace

TEST_CASE("map takes a FHIR ServiceRequest by its resourceType and exits 0", "[rtwctl][map]") {
  MapScratch scratch;
  const Run run =
      scratch.map({"--partner", "westcoast-fhir", "--today", kToday, "--trace", kReferral});
  CHECK(run.status == 0);
  CHECK_THAT(run.err,
             Catch::Contains("servicerequest-referral.json ServiceRequest/wc-ref-2026-0042\n"
                             "-- referral servicerequest-referral.1.referral.xml\n"));
  CHECK_THAT(run.out, Catch::StartsWith("<?xml"));
  CHECK_THAT(run.out, Catch::Contains("<claimNumber>12345678</claimNumber>"));
  CHECK_THAT(
      run.err,
      Catch::Contains("  injury[2]/diagnosisCode = \"S46.0\"  <- ServiceRequest.reasonReference."
                      "resolve().ofType(Condition)[1].code.coding.code  [mappings/westcoast-fhir/"
                      "referral.json:"));
  // Today's shape: the claim number on the request, under the board's system.
  CHECK_THAT(run.err,
             Catch::Contains("  header/claimNumber = \"12345678\"  <- first(ServiceRequest."
                             "identifier.where(system in %claimNumberSystem).value)"));
  CHECK_THAT(run.err, !Catch::Contains("REJECTED") && !Catch::Contains("ERROR"));
}

TEST_CASE("map takes each entry of a FHIR Bundle", "[rtwctl][map]") {
  MapScratch scratch;
  const Run run =
      scratch.map({"--partner", "westcoast-fhir", "--today", kToday, "--out",
                   scratch.dir().string(), kGolden + "westcoast-fhir/bundle-two-referrals.json"});
  CHECK(run.status == 0);
  CHECK_THAT(run.err, Catch::Contains(" entry 1 ServiceRequest/wc-ref-2026-0042\n"));
  CHECK_THAT(run.err, Catch::Contains(" entry 2 ServiceRequest/wc-ref-2026-0043\n"));
  CHECK_THAT(readText(scratch.dir() / "bundle-two-referrals.2.referral.xml"),
             Catch::Contains("<claimNumber>23456789</claimNumber>"));
}

TEST_CASE("map rejects a FHIR resource it has no mapping for, or no resource, exits 1",
          "[rtwctl][map]") {
  MapScratch scratch;
  const std::string patient = scratch.write(
      "patient.json", R"({"resourceType": "Patient", "id": "p1", "name": [{"family": "Doe"}]})");
  const std::string not_fhir = scratch.write("other.json", R"({"name": "x"})");
  const Run run =
      scratch.map({"--partner", "westcoast-fhir", "--today", kToday, kReferral, patient, not_fhir});
  CHECK(run.status == 1);
  CHECK_THAT(run.err,
             Catch::Contains("REJECTED: message type Patient is not mapped for this partner"));
  CHECK_THAT(run.err, Catch::Contains("other.json\nREJECTED: not a FHIR R4 resource in JSON"));
}

TEST_CASE("map rejects a ServiceRequest without a claim number, naming field and rule",
          "[rtwctl][map]") {
  MapScratch scratch;
  const Run run = scratch.map({"--partner", "westcoast-fhir", "--today", kToday,
                               RTW_CORPUS_DIR "/fhir/r4core-ServiceRequest-physiotherapy.json"});
  CHECK(run.status == 1);
  CHECK_THAT(run.err, Catch::Contains("ERROR header/claimNumber: required, and its source "
                                      "first(ServiceRequest.insurance.resolve().where("));
  CHECK_THAT(run.err, Catch::Contains(".subscriberId, ServiceRequest.identifier.where(system in "
                                      "%claimNumberSystem).value) gave no value"));
  CHECK_THAT(run.err, Catch::Contains("(ServiceRequest header/claimNumber)"));
}

TEST_CASE(
    "map reads the claim number of a transaction Bundle from its WCBPOL Coverage of the board",
    "[rtwctl][map]") {
  MapScratch scratch;
  const std::string bundle = readText(kGolden + "westcoast-fhir/transaction-referral.json");
  const Run run = scratch.map({"--partner", "westcoast-fhir", "--today", kToday, "--trace",
                               scratch.write("tx.json", bundle)});
  CHECK(run.status == 0);
  // Only the ServiceRequest is translated; the Patient, Coverage, Condition
  // and Organization are read through its references.
  CHECK_THAT(run.err, Catch::StartsWith("== " + (scratch.dir() / "tx.json").string() +
                                        " ServiceRequest\n-- referral tx.1.referral.xml\n"));
  CHECK_THAT(run.out, Catch::Contains("<claimNumber>40518862</claimNumber>"));
  CHECK_THAT(run.out, Catch::Contains("<family>Okafor</family>"));
  // The payor is another organization: no claim number, and the referral is rejected.
  const Run other = scratch.map(
      {"--partner", "westcoast-fhir", "--today", kToday,
       scratch.write("other-payor.json", replaced(bundle, "\"name\": \"WorkSafeBC\"",
                                                  "\"name\": \"Pacific Blue Cross\""))});
  CHECK(other.status == 1);
  CHECK_THAT(other.err, Catch::Contains("ERROR header/claimNumber: required"));
  // Not of type WCBPOL: the same.
  const Run not_wcb =
      scratch.map({"--partner", "westcoast-fhir", "--today", kToday,
                   scratch.write("ehcpol.json", replaced(bundle, "\"WCBPOL\"", "\"EHCPOL\""))});
  CHECK(not_wcb.status == 1);
  CHECK_THAT(not_wcb.err, Catch::Contains("ERROR header/claimNumber: required"));
  // A subscriberId instead of an identifier under the board's system.
  const Run subscriber = scratch.map(
      {"--partner", "westcoast-fhir", "--today", kToday,
       scratch.write("subscriber.json",
                     replaced(bundle,
                              "\"identifier\": [\n          { \"system\": "
                              "\"https://rtw.gateway/NamingSystem/wsbc-claim\", \"value\": "
                              "\"40518862\" }\n        ],",
                              "\"subscriberId\": \"40518863\","))});
  CHECK(subscriber.status == 0);
  CHECK_THAT(subscriber.out, Catch::Contains("<claimNumber>40518863</claimNumber>"));
}

TEST_CASE("map reads %claimNumberSystem from the partner's board profile", "[rtwctl][map]") {
  MapScratch scratch;
  // The same profiles, WorkSafeBC's claim-number system changed: the
  // Coverage's identifier under the shipped system is no longer the claim number.
  scratch.write("boards/wsib.json", readText(RTW_SOURCE_DIR "/conf/boards/wsib.json"));
  scratch.write("boards/wsbc.json",
                replaced(readText(RTW_SOURCE_DIR "/conf/boards/wsbc.json"),
                         "\"system\": \"https://rtw.gateway/NamingSystem/wsbc-claim\"",
                         "\"system\": \"https://board.example/claims\""));
  const std::string bundle = kGolden + "westcoast-fhir/transaction-referral.json";
  const Run run = scratch.map({"--partner", "westcoast-fhir", "--today", kToday, "--boards",
                               (scratch.dir() / "boards").string(), bundle});
  CHECK(run.status == 1);
  CHECK_THAT(run.err, Catch::Contains("ERROR header/claimNumber: required"));
  // Under the system the profile names, it is read again.
  const Run renamed = scratch.map(
      {"--partner", "westcoast-fhir", "--today", kToday, "--boards",
       (scratch.dir() / "boards").string(),
       scratch.write(
           "tx.json",
           replaced(readText(bundle), "\"system\": \"https://rtw.gateway/NamingSystem/wsbc-claim\"",
                    "\"system\": \"https://board.example/claims\""))});
  CHECK(renamed.status == 0);
  CHECK_THAT(renamed.out, Catch::Contains("<claimNumber>40518862</claimNumber>"));
}

TEST_CASE("map translates a document Bundle by its Composition and says what a report lacks",
          "[rtwctl][map]") {
  MapScratch scratch;
  const std::string document =
      readText(kGolden + "westcoast-fhir/composition-discharge-report.json");
  const Run run = scratch.map(
      {"--partner", "westcoast-fhir", "--today", kToday, scratch.write("doc.json", document)});
  CHECK(run.status == 0);
  // One Report: the ServiceRequest entry it references is not a referral of its own.
  CHECK_THAT(run.err,
             Catch::StartsWith("== " + (scratch.dir() / "doc.json").string() +
                               " Composition/wc-dis-2025-0288\n-- report doc.1.report.xml\n"));
  // Without its discharge status a DISCHARGE report is refused, naming the field.
  const Run no_status = scratch.map(
      {"--partner", "westcoast-fhir", "--today", kToday,
       scratch.write("no-status.json", replaced(document, "\"code\": \"discharge-status\"",
                                                "\"code\": \"status\""))});
  CHECK(no_status.status == 1);
  CHECK_THAT(no_status.err, Catch::Contains("ERROR dischargeStatus: required"));
  // A document that does not start with its Composition is refused as a whole.
  const Run unordered = scratch.map(
      {"--partner", "westcoast-fhir", "--today", kToday,
       scratch.write("unordered.json", replaced(document, "\"resourceType\": \"Composition\"",
                                                "\"resourceType\": \"List\""))});
  CHECK(unordered.status == 1);
  CHECK_THAT(unordered.err, Catch::Contains("REJECTED: a document Bundle must start with its "
                                            "Composition, not a List"));
}

TEST_CASE("map refuses a questionnaire's DISCHARGE report without its discharge answers",
          "[rtwctl][map]") {
  MapScratch scratch;
  const std::string progress =
      readText(kGolden + "westcoast-fhir/questionnaire-progress-report.json");
  const Run run =
      scratch.map({"--partner", "westcoast-fhir", "--today", kToday,
                   scratch.write("discharge.json", replaced(progress, "\"code\": \"progress\"",
                                                            "\"code\": \"discharge\""))});
  CHECK(run.status == 1);
  CHECK_THAT(run.err, Catch::Contains("ERROR dischargeDate: required, and its source "
                                      "QuestionnaireResponse.item.where(linkId = "
                                      "'discharge-date').answer.value gave no value"));
  CHECK_THAT(run.err, Catch::Contains("ERROR dischargeStatus: required"));
  // The treatment plan's disciplines are still read: not part of a DISCHARGE report.
  CHECK_THAT(run.err, Catch::Contains("ERROR treatmentPlan: not part of a DISCHARGE report"));
}

TEST_CASE("map says which types a Bundle has when the partner maps none of them", "[rtwctl][map]") {
  MapScratch scratch;
  const Run run =
      scratch.map({"--partner", "westcoast-fhir", "--today", kToday,
                   scratch.write("patients.json",
                                 R"({"resourceType": "Bundle", "type": "batch", "entry": [
                          {"resource": {"resourceType": "Patient"}},
                          {"resource": {"resourceType": "Coverage"}}]})")});
  CHECK(run.status == 1);
  CHECK_THAT(run.err, Catch::Contains("REJECTED: no entry of the Bundle is of a type the partner "
                                      "maps (it has Patient, Coverage)"));
}

// Every JSON resource of the shared FHIR corpus through each FHIR partner's
// mappings: what is not a referral, report or claim of theirs (Patient,
// Organization, ClaimResponse, a batch of GETs...) and what is but lacks the
// board's fields each gets a reason, never a crash or silence.
TEST_CASE("map gives every resource of the FHIR corpus a document or a reason", "[rtwctl][map]") {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(RTW_CORPUS_DIR "/fhir")) {
    if (entry.path().extension() == ".json") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 30);
  for (const std::string partner : {"westcoast-fhir", "bayfront-fhir"}) {
    MapScratch scratch;
    std::vector<std::string> args = {"--partner", partner, "--today",
                                     kToday,      "--out", (scratch.dir() / "docs").string()};
    args.insert(args.end(), files.begin(), files.end());
    const Run run = scratch.map(args);
    INFO(partner << "\n" << run.err);
    CHECK(run.status == 1);  // none of them carries a claim number of the board
    std::istringstream lines(run.err);
    std::size_t blocks = 0;
    std::size_t answered = 0;
    for (std::string line; std::getline(lines, line);) {
      blocks += line.rfind("== ", 0) == 0 ? 1 : 0;
      answered += line.rfind("REJECTED: ", 0) == 0 && line.size() > 20 ? 1 : 0;
    }
    // One "== file [entry N]" per translated unit, each rejected with a reason.
    CHECK(blocks >= files.size());
    CHECK(answered == blocks);
    CHECK_THAT(run.err, Catch::Contains("REJECTED: message type Patient is not mapped"));
    CHECK_THAT(run.err, Catch::Contains("REJECTED: message type ClaimResponse is not mapped"));
  }
}

TEST_CASE("map makes one document per CSV record and rejects a bad one alone with its line",
          "[rtwctl][map]") {
  MapScratch scratch;
  const Run run = scratch.map({"--partner", "fanshawe-college", "--today", kToday, "--out",
                               scratch.dir().string(), kExport});
  CHECK(run.status == 1);  // line 4 has no claim number
  CHECK_THAT(run.err, Catch::Contains("enrolment-export.csv line 2 csv:enrolment\n-- "
                                      "training-report enrolment-export.1.training-report.xml\n"));
  CHECK_THAT(run.err, Catch::Contains("enrolment-export.csv line 5 csv:enrolment\n-- "
                                      "training-report enrolment-export.4.training-report.xml\n"));
  CHECK_THAT(readText(scratch.dir() / "enrolment-export.2.training-report.xml"),
             Catch::Contains("<recordType>ATTENDANCE</recordType>"));
  // Line 4's document, rejected for its claim number, still shows the quoted name.
  CHECK_THAT(readText(scratch.dir() / "enrolment-export.3.training-report.xml"),
             Catch::Contains("<given>Mary \"Mae\"</given>"));
  CHECK_THAT(run.err, Catch::Contains("ERROR header/claimNumber: required, and its source "
                                      "wsib_claim gave no value"));
  CHECK_THAT(run.err, Catch::Contains("REJECTED: line 4\n"));
  CHECK_THAT(run.err, !Catch::Contains("REJECTED: line 2") && !Catch::Contains("REJECTED: line 5"));
}

TEST_CASE("map names the CSV line of a short record and of a header the mapping does not fit",
          "[rtwctl][map]") {
  MapScratch scratch;
  const std::string text = readText(kExport);
  const std::string header = text.substr(0, text.find('\n') + 1);
  const std::string short_record = scratch.write("short.csv", header + "ENROLMENT,7654321\n");
  const std::string renamed =
      scratch.write("renamed.csv", replaced(text, "family_name", "surname"));
  const std::string header_only = scratch.write("empty.csv", header);
  const Run run =
      scratch.map({"--partner", "fanshawe-college", "--kind", "enrolment", "--today", kToday,
                   "--out", (scratch.dir() / "docs").string(), short_record, renamed, header_only});
  CHECK(run.status == 1);
  CHECK_THAT(run.err,
             Catch::Contains("REJECTED: line 2: the record has 2 fields, the header has 23"));
  CHECK_THAT(run.err, Catch::Contains("ERROR student/family: column 'family_name' is not in the "
                                      "file's header"));
  CHECK_THAT(run.err, Catch::Contains("empty.csv\nREJECTED: no records below the header\n"));
}

TEST_CASE("map refuses a CSV kind the partner does not map", "[rtwctl][map]") {
  MapScratch scratch;
  const Run run = scratch.map(
      {"--partner", "fanshawe-college", "--kind", "grades", "--today", kToday, kExport});
  CHECK(run.status == 1);
  CHECK_THAT(run.err, Catch::Contains("REJECTED: message type csv:grades is not mapped"));
}
