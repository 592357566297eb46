// Running mappings: every source form, transform, condition, repeat and the
// findings a user sees when a source is empty or a value cannot be used.

#include <catch2/catch.hpp>

#include "mapping_fixture.h"

using namespace rtw::mapping;
using namespace rtw::mapping::testing;

namespace {

const std::string kReferral =
    "MSH|^~\\&|EMR|FAC|RTWGW|WSBC|20250301101500-0800||REF^I12|M1|P|2.5.1\r"
    "RF1|A|R|CRRTW^Customized^L|||REF-1|20250301|||WC^x|WR1^WSBC\r"
    "PID|1||111^^^X^MR~12345678^^^WSBC^WCN~9698658215^^^BC^JHN||  Doe ^Jane||19800101|F\r"
    "ACC|20250115||||Y|||Lifting boxes at work\r"
    "DG1|1||S33.5^Sprain^I10\r"
    "DG1|2||M54.5^Low back pain^I9\r"
    "AUT||||20250301|2025-13-01|A1||12|12\r";

Mapped referral(const std::string& fields, const std::string& extra = "") {
  return run(referralMapping(fields, extra), "REF^I12", kReferral);
}

}  // namespace

TEST_CASE("an HL7 path with 'where' picks the repetition by its identifier type, in any position") {
  const Mapped m = referral(
      "\"header/claimNumber\": { \"hl7\": \"PID-3(*).1\", \"where\": { \".5\": \"WCN\" } },\n"
      "\"worker/healthNumber/value\": { \"hl7\": \"PID-3(*).1\", \"where\": { \".5\": \"JHN\" } }");
  CHECK(m.get("header/claimNumber") == "12345678");
  CHECK(m.get("worker/healthNumber/value") == "9698658215");
  REQUIRE(m.evaluation.trace.size() == 2);
  CHECK(m.evaluation.trace[0].source == "PID-3(2).1");  // the trace names the repetition read
}

TEST_CASE("without a trace the mapping writes the same document and the same findings") {
  const std::string mapping = referralMapping(
      "\"header/claimNumber\": { \"hl7\": \"PID-3(*).1\", \"where\": { \".5\": \"WCN\" } },\n"
      "\"worker/family\": { \"hl7\": \"PID-5.1\" },\n"
      "\"worker/phone\": { \"hl7\": \"PID-13.1\" }");
  const Mapped traced = run(mapping, "REF^I12", kReferral);
  MappingFolder folder;
  folder.write("mapping.json", mapping);
  const auto set = folder.load();
  auto parsed = rtw::hl7v2::Message::parse(kReferral);
  REQUIRE(parsed.message);
  auto document = schemas()->newDocument(rtw::worksafe::DocumentType::kReferral);
  const Evaluation untraced =
      evaluate(*set->find("REF^I12"), *set, Hl7Source(*parsed.message), document, Trace::kSkip);
  CHECK(untraced.trace.empty());
  CHECK(traced.evaluation.trace.size() == 2);
  CHECK(document.toXml() == traced.document.toXml());
  REQUIRE(untraced.findings.size() == 1);  // worker/phone: PID-13 is empty
  REQUIRE(traced.evaluation.findings.size() == 1);
  CHECK(untraced.findings[0].target == traced.evaluation.findings[0].target);
  CHECK(untraced.findings[0].message == traced.evaluation.findings[0].message);
}

TEST_CASE("a 'where' that matches nothing leaves the field empty with a warning naming it") {
  const Mapped m =
      referral("\"worker/phone\": { \"hl7\": \"PID-3(*).1\", \"where\": { \".5\": \"PHONE\" } }");
  CHECK(m.get("worker/phone").empty());
  CHECK_THAT(m.findings(), Catch::Contains("WARNING worker/phone: left empty: its source "
                                           "PID-3(*).1 where .5 = PHONE gave no value"));
  CHECK_FALSE(m.evaluation.hasErrors());
}

TEST_CASE("trim, extract, split and case") {
  const Mapped m = referral(
      "\"worker/family\": \"PID-5.1\",\n"
      "\"notes\": { \"hl7\": \"ACC-8\", \"extract\": \"^(\\\\w+)\", \"case\": \"upper\" },\n"
      "\"service/description\": { \"hl7\": \"ACC-8\", \"split\": { \"separator\": \" \", "
      "\"part\": 2 } },\n"
      "\"worker/given\": { \"hl7\": \"PID-5.1\", \"trim\": false }");
  CHECK(m.get("worker/family") == "Doe");
  CHECK(m.get("notes") == "LIFTING");
  CHECK(m.get("service/description") == "boxes");
  CHECK(m.get("worker/given") == "  Doe ");
}

TEST_CASE("an HL7 field reads its first primitive, and 'encoded' reads it whole") {
  // PID-5.1 is FN: the surname first, then its prefix and own surname; the
  // sender put an unescaped '^' in the free text of ACC-8.
  const std::string message =
      "MSH|^~\\&|EMR|FAC|RTWGW|WSBC|20250301101500-0800||REF^I12|M1|P|2.5.1|||||||UNICODE UTF-8\r"
      "PID|1||12345678^^^WSBC^WCN~9698658215^^^BC^JHN||Lefebvre-Ng&van&Ng^Chlo\xC3\xA9\r"
      "ACC|20250115||||Y|||Lifting boxes ^ twisting \\T\\ turning\r";
  const Mapped m =
      run(referralMapping("\"worker/family\": \"PID-5\",\n"
                          "\"worker/given\": \"PID-5.2\",\n"
                          "\"header/claimNumber\": \"PID-3\",\n"
                          "\"notes\": { \"hl7\": \"ACC-8\", \"encoded\": true },\n"
                          "\"service/description\": { \"hl7\": \"PID-5\", \"encoded\": true },\n"
                          "\"worker/healthNumber/value\": { \"hl7\": \"PID-3(*)\", \"where\": "
                          "{ \".5\": \"JHN\" }, \"encoded\": true, \"extract\": \"^(\\\\d+)\" }"),
          "REF^I12", message);
  CHECK(m.get("worker/family") == "Lefebvre-Ng");
  CHECK(m.get("worker/given") == "Chlo\xC3\xA9");
  CHECK(m.get("header/claimNumber") == "12345678");
  CHECK(m.get("notes") == "Lifting boxes ^ twisting & turning");
  CHECK(m.get("service/description") == "Lefebvre-Ng&van&Ng^Chlo\xC3\xA9");
  CHECK(m.get("worker/healthNumber/value") == "9698658215");
  // Without 'encoded' the free text stops at the sender's separator.
  const Mapped plain = run(referralMapping("\"notes\": \"ACC-8\""), "REF^I12", message);
  CHECK(plain.get("notes") == "Lifting boxes");
}

TEST_CASE("an extract that does not match gives an empty value, reported") {
  const Mapped m = referral("\"notes\": { \"hl7\": \"ACC-8\", \"extract\": \"claim (\\\\d+)\" }");
  CHECK(m.get("notes").empty());
  CHECK_THAT(m.findings(), Catch::Contains("WARNING notes: left empty"));
}

TEST_CASE("code tables: inline, from a file, with a fallback, and a code not in the table") {
  const std::string tables =
      "\"tables\": { \"status\": { \"A\": \"ACCEPTED\" }, \"lenient\": { \"*\": \"ACKNOWLEDGED\" } "
      "},\n";
  const Mapped m = referral("\"status\": { \"hl7\": \"RF1-1\", \"table\": \"status\" }", tables);
  CHECK(m.get("status") == "ACCEPTED");
  const Mapped fallback =
      referral("\"status\": { \"hl7\": \"RF1-2\", \"table\": \"lenient\" }", tables);
  CHECK(fallback.get("status") == "ACKNOWLEDGED");
  const Mapped missing =
      referral("\"status\": { \"hl7\": \"RF1-2\", \"table\": \"status\" }", tables);
  CHECK(missing.get("status").empty());
  CHECK(missing.evaluation.hasErrors());
  CHECK_THAT(missing.findings(),
             Catch::Contains("ERROR status: the source code is not in table 'status'"));
  CHECK_THAT(missing.findings(), !Catch::Contains("\"R\""));  // no value in the finding

  MappingFolder folder;
  folder.write("tables/status.json", "// file table\n{ \"A\": \"ACCEPTED\" }");
  folder.write("mapping.json",
               referralMapping("\"status\": { \"hl7\": \"RF1-1\", \"table\": \"status\" }",
                               "\"tables\": { \"status\": \"tables/status.json\" },\n"));
  const auto set = folder.load();
  CHECK(set->table("status")->codes.at("A") == "ACCEPTED");
  CHECK(set->files().size() == 2);  // both watched for reload
}

TEST_CASE("dates: HL7 TS to xs:date, and an invalid date is an error naming the source") {
  const Mapped m = referral(
      "\"referralDate\": { \"hl7\": \"RF1-7\", \"date\": \"date\" },\n"
      "\"authorization/end\": { \"hl7\": \"AUT-5\", \"date\": \"date\" }");
  CHECK(m.get("referralDate") == "2025-03-01");
  CHECK_THAT(m.findings(), Catch::Contains("ERROR authorization/end: the source is not an HL7 "
                                           "date (YYYYMMDD...) (AUT-5)"));
}

TEST_CASE("timestamps: the offset is kept, and the zone policy decides for those without one") {
  const std::string appointment = "\"appointment\": { \"hl7\": \"MSH-7\", \"date\": \"dateTime\" }";
  CHECK(referral(appointment).get("appointment") == "2025-03-01T10:15:00-08:00");

  const std::string local = "\"appointment\": { \"hl7\": \"RF1-7\", \"date\": \"dateTime\" }";
  const std::string no_time = referral(local).findings();
  CHECK_THAT(no_time, Catch::Contains("has no time of day"));

  const std::string local_time =
      "\"appointment\": { \"concat\": [\"RF1-7\", { \"const\": \"0930\" }], \"date\": "
      "\"dateTime\" }";
  const Mapped rejected = referral(local_time);  // the default policy is reject
  CHECK(rejected.get("appointment").empty());
  CHECK_THAT(rejected.findings(), Catch::Contains("no UTC offset and the mapping's timeZone "
                                                  "policy is reject"));
  CHECK(referral(local_time, "\"timeZone\": \"-08:00\",\n").get("appointment") ==
        "2025-03-01T09:30:00-08:00");
  CHECK(referral(local_time, "\"timeZone\": \"UTC\",\n").get("appointment") ==
        "2025-03-01T09:30:00+00:00");
}

TEST_CASE("default, required and optional") {
  const Mapped m = referral(
      "\"worker/phone\": { \"hl7\": \"PID-13\", \"default\": \"unknown\" },\n"
      "\"referralId\": { \"hl7\": \"RF1-99\", \"required\": true },\n"
      "\"notes\": { \"hl7\": \"NTE-3\", \"optional\": true },\n"
      "\"worker/gender\": \"PID-99\"");
  CHECK(m.get("worker/phone") == "unknown");
  CHECK(m.evaluation.hasErrors());
  CHECK_THAT(m.findings(), Catch::Contains("ERROR referralId: required, and its source RF1-99 "
                                           "gave no value"));
  CHECK_THAT(m.findings(), !Catch::Contains("notes"));
  CHECK_THAT(m.findings(), Catch::Contains("WARNING worker/gender: left empty"));
  // Each finding names the rule's file and line.
  CHECK_THAT(m.findings(), Catch::Contains("mapping.json:7 (rule REF^I12 referralId)"));
}

TEST_CASE("concat skips empty parts and first takes the first value") {
  const Mapped m = referral(
      "\"requester/name\": { \"concat\": [\"PID-5.2\", \"PID-5.3\", \"PID-5.1\"], \"separator\": "
      "\" \" },\n"
      "\"referralId\": { \"first\": [\"RF1-99\", \"RF1-11.1\", \"RF1-6\"] }");
  CHECK(m.get("requester/name") == "Jane Doe");
  CHECK(m.get("referralId") == "WR1");
  CHECK(m.evaluation.trace[1].source == "first(RF1-11.1)");
}

TEST_CASE("conditions: equals, in, matches, present, absent and a field already written") {
  const Mapped m = referral(
      "\"status\": { \"const\": \"ACCEPTED\", \"if\": { \"hl7\": \"RF1-1\", \"equals\": \"A\" } "
      "},\n"
      "\"notes\": { \"const\": \"no\", \"if\": { \"hl7\": \"RF1-1\", \"in\": [\"R\", \"H\"] } },\n"
      "\"worker/gender\": { \"hl7\": \"PID-8\", \"if\": { \"hl7\": \"DG1-3.1\", \"matches\": "
      "\"^S3\" } },\n"
      "\"worker/phone\": { \"const\": \"x\", \"if\": { \"hl7\": \"PID-13\", \"present\": true } "
      "},\n"
      "\"referralId\": { \"const\": \"none\", \"if\": { \"hl7\": \"PID-13\", \"absent\": true } "
      "},\n"
      "\"statusReason/code\": { \"const\": \"R1\", \"if\": { \"field\": \"status\", \"equals\": "
      "\"ACCEPTED\" } }");
  CHECK(m.get("status") == "ACCEPTED");
  CHECK(m.get("notes").empty());
  CHECK(m.get("worker/gender") == "F");
  CHECK(m.get("worker/phone").empty());
  CHECK(m.get("referralId") == "none");
  CHECK(m.get("statusReason/code") == "R1");
  CHECK(m.findings().empty());  // a rule whose condition fails is not a gap
}

TEST_CASE("repeats: one item per segment, filtered, with paths read in the current segment") {
  const std::string mapping =
      "{ \"tables\": { \"system\": { \"I10\": \"ICD-10-CA\", \"I9\": \"ICD-9\" } },\n"
      "\"messages\": { \"REF^I12\": { \"document\": \"referral\", \"repeat\": [\n"
      "{ \"target\": \"injury\", \"each\": \"DG1[*]\", \"fields\": {\n"
      "  \"nature\": \"DG1-3.2\", \"diagnosisCode\": \"DG1-3.1\",\n"
      "  \"diagnosisSystem\": { \"hl7\": \"DG1-3.3\", \"table\": \"system\" } } },\n"
      "{ \"target\": \"service\", \"each\": \"DG1[*]\",\n"
      "  \"where\": { \"hl7\": \"DG1-3.3\", \"equals\": \"I9\" },\n"
      "  \"fields\": { \"description\": \"DG1-3.2\" } } ] } } }";
  const Mapped m = run(mapping, "REF^I12", kReferral);
  CHECK(m.document.count("injury") == 2);
  CHECK(m.get("injury[1]/diagnosisCode") == "S33.5");
  CHECK(m.get("injury[2]/diagnosisCode") == "M54.5");
  CHECK(m.get("injury[2]/diagnosisSystem") == "ICD-9");
  CHECK(m.document.count("service") == 1);
  CHECK(m.get("service[1]/description") == "Low back pain");
  CHECK(m.evaluation.trace[0].target == "injury[1]/nature");
  CHECK(m.evaluation.trace[0].source == "DG1[1]-3.2");
}

TEST_CASE("repeats over field repetitions, and a leaf that repeats itself") {
  const std::string oru =
      "MSH|^~\\&|EMR|FAC|RTWGW|WSBC|20250404163000-0700||ORU^R01|M2|P|2.5.1\r"
      "PV1|1|O|||||A1^Ortiz^Sam^^^^PT~B2^Nguyen^Kim^^^^KIN\r"
      "OBX|1|TX|CONSID||Pacing needed\r"
      "OBX|2|NM|LIFT^Lift^FA||15\r"
      "OBX|3|TX|CONSID||Avoid ladders\r";
  const std::string mapping =
      "{ \"messages\": { \"ORU^R01\": { \"document\": \"report\", \"repeat\": [\n"
      "{ \"target\": \"clinician\", \"each\": \"PV1-7(*)\", \"fields\": {\n"
      "  \"name\": { \"concat\": [\"PV1-7.3\", \"PV1-7.2\"], \"separator\": \" \" },\n"
      "  \"registrationNumber\": \"PV1-7.1\" } },\n"
      "{ \"target\": \"consideration\", \"each\": \"OBX[*]\",\n"
      "  \"where\": { \"hl7\": \"OBX-3\", \"equals\": \"CONSID\" }, \"fields\": { \".\": "
      "\"OBX-5\" } } ] } } }";
  const Mapped m = run(mapping, "ORU^R01", oru);
  CHECK(m.get("clinician[1]/name") == "Sam Ortiz");
  CHECK(m.get("clinician[2]/name") == "Kim Nguyen");
  CHECK(m.get("clinician[2]/registrationNumber") == "B2");
  CHECK(m.get("consideration[1]") == "Pacing needed");
  CHECK(m.get("consideration[2]") == "Avoid ladders");
  CHECK(m.document.count("consideration") == 2);
}

TEST_CASE("money, scale, document fields and totals for an invoice with GST") {
  const std::string dft =
      "MSH|^~\\&|EMR|FAC|RTWGW|WSBC|20250314170000-0700||DFT^P03|M3|P|2.5.1\r"
      "FT1|1|||20250305||CG|CRRTW-ADM^Assessment||||250|250\r"
      "FT1|2|||20250310||CG|CRRTW-EQP^Brace||||45.5|45.5\r"
      "FT1|3|||20250310||PY|PAY^Payment||||-20|-20\r";
  const std::string mapping =
      "{ \"tables\": { \"tax\": { \"CRRTW-EQP\": \"G\", \"*\": \"E\" } },\n"
      "\"messages\": { \"DFT^P03\": { \"document\": \"invoice\", \"repeat\": [\n"
      "{ \"target\": \"line\", \"each\": \"FT1[*]\", \"where\": { \"hl7\": \"FT1-6\", "
      "\"equals\": \"CG\" },\n"
      "  \"fields\": { \"amount\": { \"hl7\": \"FT1-11\", \"money\": true },\n"
      "    \"taxCode\": { \"hl7\": \"FT1-7.1\", \"table\": \"tax\" },\n"
      "    \"taxAmount\": { \"field\": \"amount\", \"scale\": \"0.05\", \"if\": { \"field\": "
      "\"taxCode\", \"equals\": \"G\" } } } } ],\n"
      "\"totals\": { \"subtotal\": { \"sum\": \"line[*]/amount\" },\n"
      "  \"gstTotal\": { \"sum\": \"line[*]/taxAmount\", \"where\": { \"taxCode\": \"G\" } },\n"
      "  \"total\": { \"sum\": [\"subtotal\", \"gstTotal\"] } } } } }";
  const Mapped m = run(mapping, "DFT^P03", dft);
  CHECK(m.document.count("line") == 2);  // the payment line is not billed
  CHECK(m.get("line[1]/amount") == "250.00");
  CHECK(m.get("line[1]/taxAmount").empty());
  CHECK(m.get("line[2]/amount") == "45.50");
  CHECK(m.get("line[2]/taxAmount") == "2.28");  // 2.275 rounded half up
  CHECK(m.get("subtotal") == "295.50");
  CHECK(m.get("gstTotal") == "2.28");
  CHECK(m.get("total") == "297.78");
}

TEST_CASE("a mapping's 'extends' keeps the base's order and replaces its rules by target") {
  const std::string mapping =
      "{ \"messages\": {\n"
      "\"REF^I12\": { \"document\": \"referral\", \"fields\": {\n"
      "  \"status\": { \"const\": \"ACCEPTED\" },\n"
      "  \"notes\": { \"const\": \"base\", \"if\": { \"field\": \"status\", \"equals\": "
      "\"DECLINED\" } } } },\n"
      "\"RRI^I12\": { \"document\": \"referral\", \"extends\": \"REF^I12\", \"fields\": {\n"
      "  \"status\": { \"const\": \"DECLINED\" } } } } }";
  const Mapped m = run(mapping, "RRI^I12", kReferral);
  CHECK(m.get("status") == "DECLINED");
  CHECK(m.get("notes") == "base");  // evaluated after the replaced status, as in the base
}
