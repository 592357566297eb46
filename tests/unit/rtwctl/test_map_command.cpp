// rtwctl map, run as the built binary from the project folder: the document
// alone on stdout (or one file each with --out), the trace, findings and
// validation on stderr as a user reads them, and the exit codes.

#include <catch2/catch.hpp>

#include "map_scratch.h"

using namespace rtw::testing;

TEST_CASE("map prints the document of a valid message and exits 0", "[rtwctl][map]") {
  MapScratch scratch;
  const Run run = scratch.map({"--partner", "harbour-physio", "--today", "2025-03-04",
                               kGolden + "harbour-physio/referral.hl7"});
  CHECK(run.status == 0);
  // stdout is the document and nothing else.
  CHECK_THAT(run.out, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Referral ") &&
                          Catch::EndsWith("</Referral>\n"));
  CHECK_THAT(run.out, Catch::Contains("<claimNumber>30441829</claimNumber>"));
  CHECK_THAT(run.out, Catch::Contains("<value>9698658215</value>"));
  CHECK(run.err == "== " + kGolden +
                       "harbour-physio/referral.hl7 REF^I12 HP20250303-0001\n"
                       "-- referral referral.1.referral.xml\n");
}

TEST_CASE("map --trace names, per field, the rule and the source value", "[rtwctl][map]") {
  MapScratch scratch;
  const Run run = scratch.map({"--partner", "harbour-physio", "--today", "2025-03-14", "--trace",
                               kGolden + "harbour-physio/dft-invoice-gst.hl7"});
  CHECK(run.status == 0);
  CHECK_THAT(run.out, Catch::StartsWith("<?xml") && !Catch::Contains("-- trace"));
  // The claim number is the third PID-3 repetition, chosen by its type WCN.
  CHECK_THAT(run.err, Catch::Contains("  header/claimNumber = \"30441829\"  <- PID-3(3).1  "
                                      "[mappings/harbour-physio/invoice.json:"));
  CHECK_THAT(run.err, Catch::Contains("  invoiceDate = \"2025-03-14\"  <- EVN-2 "
                                      "\"20250314170000-0700\"  [mappings/harbour-physio/"
                                      "invoice.json:"));
  CHECK_THAT(run.err, Catch::Contains("  line[3]/taxCode = \"G\"  <- FT1[3]-7.1 \"CRRTW-EQP\""));
  CHECK_THAT(run.err,
             Catch::Contains("  line[3]/taxAmount = \"2.25\"  <- line[3]/amount \"45.00\""));
  CHECK_THAT(run.err, Catch::Contains("  total = \"511.00\"  <- sum"));
  CHECK_THAT(run.err, Catch::Contains("(rule DFT^P03 line/feeCode)"));
}

TEST_CASE("map prints validation problems as validate does and exits 1", "[rtwctl][map]") {
  MapScratch scratch;
  const std::string bad_phn = scratch.write(
      "bad-phn.hl7",
      replaced(readText(kGolden + "harbour-physio/referral.hl7"), "9698658215", "9698648215"));
  const Run run = scratch.map({"--partner", "harbour-physio", "--today", "2025-03-04", bad_phn});
  CHECK(run.status == 1);
  CHECK_THAT(run.err, Catch::Contains("-- referral (INVALID) bad-phn.1.referral.xml\n"));
  CHECK_THAT(run.err, Catch::Contains("ERROR worker/healthNumber/value: "));
  // The invalid document is still there to look at; the exit code says it is rejected.
  CHECK_THAT(run.out, Catch::StartsWith("<?xml") && Catch::Contains("9698648215"));
}

TEST_CASE("map rejects a message whose required source is empty, naming field and rule",
          "[rtwctl][map]") {
  MapScratch scratch;
  const std::string no_claim = scratch.write(
      "no-claim.hl7",
      replaced(readText(kGolden + "harbour-physio/referral.hl7"), "~30441829^^^WSBC^WCN", ""));
  const std::string good = kGolden + "harbour-physio/referral.hl7";
  const std::string out = (scratch.dir() / "docs").string();
  const Run run = scratch.map(
      {"--partner", "harbour-physio", "--today", "2025-03-04", "--out", out, good, no_claim});
  CHECK(run.status == 1);  // one of the two was rejected
  CHECK(fs::exists(scratch.dir() / "docs/referral.1.referral.xml"));
  CHECK(fs::exists(scratch.dir() / "docs/no-claim.1.referral.xml"));
  CHECK_THAT(run.err, Catch::Contains("ERROR header/claimNumber: required, and its source "
                                      "PID-3(*).1 where .5 = WCN gave no value"));
  CHECK_THAT(run.err, Catch::Contains("REJECTED: mapping: header/claimNumber: required"));
  CHECK_THAT(run.err, Catch::Contains("(REF^I12 header/claimNumber)"));
}

TEST_CASE("map reports an empty source as a warning and still exits 0", "[rtwctl][map]") {
  MapScratch scratch;
  // Without PRD-7 the provider's payee number has no source.
  const std::string no_payee = scratch.write(
      "no-payee.hl7",
      replaced(readText(kGolden + "harbour-physio/referral.hl7"), "||PY1234^WSBC", ""));
  const Run run = scratch.map({"--partner", "harbour-physio", "--today", "2025-03-04", no_payee});
  CHECK(run.status == 0);
  // The trace of the finding names the PRD the 'where' chose.
  CHECK_THAT(run.err, Catch::Contains("WARNING provider/payeeNumber: left empty: its source "
                                      "PRD[2]-7.1 gave no value "
                                      "[mappings/harbour-physio/referral.json:"));
}

TEST_CASE("map: a message type the partner does not map is rejected", "[rtwctl][map]") {
  MapScratch scratch;
  const std::string adt =
      scratch.write("adt.hl7",
                    "MSH|^~\\&|OSCAR|HARBOURPHYSIO|RTWGW|WSBC|20250301||ADT^A04|A1|P|2.5.1\r"
                    "PID|1||30441829^^^WSBC^WCN\r");
  const Run run = scratch.map({"--partner", "harbour-physio", adt});
  CHECK(run.status == 1);
  CHECK_THAT(run.err, Catch::Contains("REJECTED: message type ADT^A04 is not mapped for this "
                                      "partner"));
}

TEST_CASE("map: a broken mapping names file, line and rule, and bad usage exits 2",
          "[rtwctl][map]") {
  MapScratch scratch;
  fs::copy(RTW_SOURCE_DIR "/mappings", scratch.dir() / "mappings", fs::copy_options::recursive);
  const std::string invoice = (scratch.dir() / "mappings/harbour-physio/invoice.json").string();
  scratch.write("mappings/harbour-physio/invoice.json",
                replaced(readText(invoice), "\"invoiceNumber\"", "\"invoiceNo\""));
  const Run broken = scratch.map({"--partner", "harbour-physio", "--mappings",
                                  (scratch.dir() / "mappings").string(),
                                  kGolden + "harbour-physio/dft-invoice-gst.hl7"});
  CHECK(broken.status == 1);
  CHECK_THAT(broken.err, Catch::Contains("harbour-physio/invoice.json:17 (rule DFT^P03 "
                                         "invoiceNo): unknown field 'invoiceNo'"));

  CHECK(scratch.map({kGolden + "harbour-physio/referral.hl7"}).status == 2);  // no --partner
  CHECK(scratch.map({"--partner", "nobody", kGolden + "harbour-physio/referral.hl7"}).status == 2);
}

TEST_CASE("map of a 100 KB functional-ability note answers with the rule's finding",
          "[rtwctl][map]") {
  // The review's crash: std::regex on this note overflowed its stack and
  // rtwctl map died with SIGSEGV, as the gateway did.
  MapScratch scratch;
  const std::string note = "Floor to waist lift" + std::string(100 * 1024, 'x') +
                           ": 10 kg by functional capacity evaluation (baseline 10, target 23)";
  const std::string file = scratch.write(
      "long-note.hl7", replaced(readText(kGolden + "harbour-physio/mdm-initial.hl7"),
                                "Floor to waist lift: 10 kg by functional capacity evaluation "
                                "(baseline 10, target 23)",
                                note));
  const Run run = scratch.map({"--partner", "harbour-physio", "--today", "2025-03-06", file});
  CHECK(run.status == 1);
  CHECK_THAT(run.err, Catch::Contains("the value of OBX[7]-5 is 102485 bytes, more than the "
                                      "65536 a mapping rule takes (mappings.maxValueBytes)"));
}

TEST_CASE("map --incomplete runs a mapping that does not yet write every required element",
          "[rtwctl][map]") {
  MapScratch scratch;
  scratch.write("mappings/clinic01/referral.json",
                replaced(readText(RTW_SOURCE_DIR "/mappings/clinic01/referral.json"),
                         "\"dateOfInjury\": { \"hl7\": \"ACC-1\", \"date\": \"date\", "
                         "\"required\": true },",
                         ""));
  const std::string mappings = (scratch.dir() / "mappings").string();
  const std::string message = RTW_SOURCE_DIR "/tests/data/hl7/ref-i12-sample.hl7";
  const Run refused = scratch.map(
      {"--partner", "clinic01", "--mappings", mappings, "--today", "2025-03-02", message});
  CHECK(refused.status != 0);
  CHECK_THAT(refused.err, Catch::Contains("no rule writes 'dateOfInjury'"));

  const Run dry = scratch.map({"--partner", "clinic01", "--mappings", mappings, "--incomplete",
                               "--today", "2025-03-02", message});
  CHECK(dry.status == 1);  // the document misses dateOfInjury: the XSD says so
  CHECK_THAT(dry.out, Catch::Contains("<Referral"));
  CHECK_THAT(dry.err, Catch::Contains("dateOfInjury"));
}
