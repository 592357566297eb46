// The FHIR R4 endpoint of the running gateway (partner HTTPS listener), over
// mutual TLS with the partners' dev certificates: a resource mapped and
// validated in the request, 201 only after the commit and then delivered,
// 422 with an OperationOutcome for one that can never be a board document,
// and every refusal as an OperationOutcome with its status.

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "fhir_client.h"
#include "rtw/fhir/resource.h"

namespace {

using rtw::testing::Answer;
using rtw::testing::call;
using rtw::testing::golden;
using rtw::testing::issueCodes;
using rtw::testing::json;
using rtw::testing::RunningSystem;
using rtw::testing::waitUntil;

/// The referral with its claim number removed and a PHN whose check digit is wrong.
std::string invalidReferral() {
  std::string text = golden("servicerequest-referral.json");
  const auto claim = text.find("{ \"system\": \"https://rtw.gateway/NamingSystem/wsbc-claim\"");
  REQUIRE(claim != std::string::npos);
  text.erase(claim, text.find('}', claim) + 1 - claim);
  const auto comma = text.rfind(',', claim);
  text.erase(comma, 1);
  const auto phn = text.find("9698658215");
  REQUIRE(phn != std::string::npos);
  text.replace(phn, 10, "9698658216");
  return text;
}

}  // namespace

TEST_CASE("FHIR: a ServiceRequest is answered 201 after the commit, read back, and delivered") {
  RunningSystem system;
  const Answer created = call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest",
                              golden("servicerequest-referral.json"));
  REQUIRE(created.status == 201);
  const std::string location = created.head.get("Location", "");
  const std::string prefix =
      "https://127.0.0.1:" + std::to_string(system.httpsPort()) + "/fhir/ServiceRequest/";
  REQUIRE(location.rfind(prefix, 0) == 0);
  REQUIRE(location.size() > prefix.size() + 11);
  CHECK(location.substr(location.size() - 11) == "/_history/1");
  const std::string id = location.substr(prefix.size(), location.size() - prefix.size() - 11);
  CHECK(created.head.get("ETag", "") == "W/\"1\"");
  CHECK_FALSE(created.head.get("Last-Modified", "").empty());
  const auto body = json(created.body);
  CHECK(std::string(body["id"].GetString()) == id);
  CHECK(std::string(body["meta"]["versionId"].GetString()) == "1");

  // Answered after the commit: the row is there, as a FHIR row.
  CHECK(system.queryJournal("SELECT channel, format, message_type, control_id FROM messages") ==
        "fhir|fhir+json|ServiceRequest|" + id + "\n");
  const Answer read = call(system, "westcoast-fhir", "GET", "/fhir/ServiceRequest/" + id);
  CHECK(read.status == 200);
  CHECK(json(read.body)["id"].GetString() == id);
  // An unknown id is 404.
  CHECK(call(system, "westcoast-fhir", "GET", "/fhir/ServiceRequest/no-such-id").status == 404);

  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
  CHECK(waitUntil(
      [&] { return system.queryJournal("SELECT state FROM messages") == "delivered\n"; }));
}

TEST_CASE("FHIR: a resource that can never be a valid Referral is 422, naming each problem") {
  RunningSystem system;
  const Answer refused =
      call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", invalidReferral());
  REQUIRE(refused.status == 422);
  CHECK(refused.head.getContentType() == "application/fhir+json; charset=utf-8");
  const auto outcome = json(refused.body);
  REQUIRE(std::string(outcome["resourceType"].GetString()) == "OperationOutcome");
  CHECK(issueCodes(outcome) == "required,invariant,business-rule");
  // The FHIRPath of each value the rule read, into the submitted resource.
  const auto& issues = outcome["issue"];
  // The claim number's rule takes the first of three places: each is named,
  // a FHIRPath of its own.
  REQUIRE(issues[0]["expression"].Size() == 3);
  CHECK_THAT(issues[0]["expression"][0].GetString(),
             Catch::StartsWith("ServiceRequest.insurance.resolve().where(") &&
                 Catch::EndsWith(".identifier.where(system in %claimNumberSystem).value"));
  CHECK_THAT(issues[0]["expression"][1].GetString(),
             Catch::StartsWith("ServiceRequest.insurance.resolve().where(") &&
                 Catch::EndsWith(").subscriberId"));
  CHECK(std::string(issues[0]["expression"][2].GetString()) ==
        "ServiceRequest.identifier.where(system in %claimNumberSystem).value");
  for (const auto& expression : issues[0]["expression"].GetArray()) {
    CHECK(rtw::fhir::checkPath(expression.GetString()).empty());  // each one FHIRPath
  }
  CHECK_THAT(issues[2]["diagnostics"].GetString(), Catch::Contains("BC PHN check digit"));
  CHECK(std::string(issues[2]["expression"][0].GetString()) ==
        "ServiceRequest.subject.resolve().identifier.where(system in %bcPhnSystems).value");
  // No patient data and no server paths in what the client reads; nothing journaled.
  CHECK_THAT(refused.body, !Catch::Contains("Doe") && !Catch::Contains("9698658216") &&
                               !Catch::Contains("/mappings/"));
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "0\n");
}

TEST_CASE("FHIR: refusals are OperationOutcomes with the status a FHIR server gives") {
  RunningSystem system;
  const std::string referral = golden("servicerequest-referral.json");
  auto code = [](const Answer& answer) { return issueCodes(json(answer.body)); };

  const Answer metadata = call(system, "westcoast-fhir", "GET", "/fhir/metadata");
  REQUIRE(metadata.status == 200);
  const auto capability = json(metadata.body);
  CHECK(std::string(capability["resourceType"].GetString()) == "CapabilityStatement");
  CHECK(std::string(capability["fhirVersion"].GetString()) == "4.0.1");
  CHECK(capability["rest"][0]["resource"].Size() == 7);
  CHECK(std::string(capability["rest"][0]["resource"][0]["type"].GetString()) == "Bundle");
  CHECK(std::string(capability["rest"][0]["interaction"][0]["code"].GetString()) == "transaction");

  const Answer garbage = call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", "garbage");
  CHECK(garbage.status == 400);
  CHECK(code(garbage) == "structure");
  const Answer text =
      call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", referral, "text/plain");
  CHECK(text.status == 415);
  const Answer wrong_type = call(system, "westcoast-fhir", "POST", "/fhir/Claim", referral);
  CHECK(wrong_type.status == 400);
  CHECK(code(wrong_type) == "invalid");
  // An update is not an interaction of this server: 405, an OperationOutcome.
  const Answer update = call(system, "westcoast-fhir", "PUT", "/fhir/ServiceRequest/x", referral);
  CHECK(update.status == 405);
  CHECK(code(update) == "not-supported");
  CHECK(update.head.get("Allow", "") == "GET, POST");
  CHECK(call(system, "westcoast-fhir", "DELETE", "/fhir/ServiceRequest/x").status == 405);
  const Answer patient =
      call(system, "westcoast-fhir", "POST", "/fhir/Patient", R"({"resourceType":"Patient"})");
  CHECK(patient.status == 404);
  CHECK(code(patient) == "not-supported");

  // clinic01's file has no fhir section: 403, before its body is read.
  const Answer no_channel = call(system, "clinic01", "POST", "/fhir/ServiceRequest", referral);
  CHECK(no_channel.status == 403);
  CHECK(code(no_channel) == "forbidden");
  CHECK_THAT(json(no_channel.body)["issue"][0]["diagnostics"].GetString(),
             Catch::Contains("clinic01"));

  // The resource must be sent for the partner's own organization (its file's
  // fhir.organizations), as MSH-4 must be the partner's over MLLP.
  std::string other_clinic = referral;
  other_clinic.replace(other_clinic.find("WESTCOASTPT"), 11, "HARBOURPHYSIO");
  const Answer foreign =
      call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", other_clinic);
  CHECK(foreign.status == 403);
  CHECK(code(foreign) == "forbidden");
  CHECK_THAT(json(foreign.body)["issue"][0]["diagnostics"].GetString(),
             Catch::Contains("ServiceRequest.performer.identifier"));
  std::string unnamed = referral;
  const auto identifier =
      unnamed.find("\"identifier\": { \"system\": \"https://rtw.test/sid/bc-clinic\"");
  REQUIRE(identifier != std::string::npos);
  unnamed.erase(identifier, unnamed.find("}, ", identifier) + 3 - identifier);
  const Answer nobody = call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", unnamed);
  CHECK(nobody.status == 403);
  CHECK_THAT(json(nobody.body)["issue"][0]["diagnostics"].GetString(),
             Catch::Contains("names none of partner 'westcoast-fhir''s organizations"));
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "0\n");

  // Prefer, and the base URL with a trailing slash.
  const Answer minimal = call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest/", referral,
                              "application/json", "return=minimal");
  CHECK(minimal.status == 201);
  CHECK(minimal.body.empty());
  const Answer as_outcome = call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", referral,
                                 "application/fhir+json", "return=OperationOutcome");
  CHECK(as_outcome.status == 201);
  CHECK(code(as_outcome) == "informational");
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "2\n");
}

TEST_CASE("FHIR: a body past https.maxBodyBytes is 413 with an OperationOutcome, unread") {
  RunningSystem system({"https.maxBodyBytes=4096"});
  const Answer big = call(
      system, "westcoast-fhir", "POST", "/fhir/ServiceRequest",
      R"({"resourceType":"ServiceRequest","note":[{"text":")" + std::string(8000, 'x') + R"("}]})");
  CHECK(big.status == 413);
  CHECK(issueCodes(json(big.body)) == "too-costly");
  CHECK_THAT(json(big.body)["issue"][0]["diagnostics"].GetString(), Catch::Contains("4096"));
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "0\n");
}

TEST_CASE("FHIR: parallel conditional creates give one resource, one 201 and 200s naming it") {
  RunningSystem system;
  const std::string referral = golden("servicerequest-referral.json");
  const std::string condition = "identifier=https://westcoast.example/referrals|WC-2026-0042";
  constexpr int kClients = 8;
  std::vector<Answer> answers(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      answers[static_cast<std::size_t>(i)] =
          call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", referral,
               "application/fhir+json", "", condition);
    });
  }
  for (auto& client : clients) {
    client.join();
  }
  int created = 0;
  int matched = 0;
  const std::string location = [&] {
    for (const Answer& answer : answers) {
      if (answer.status == 201) {
        return answer.head.get("Location", "");
      }
    }
    return std::string();
  }();
  REQUIRE_FALSE(location.empty());
  for (const Answer& answer : answers) {
    created += answer.status == 201 ? 1 : 0;
    matched += answer.status == 200 ? 1 : 0;
    CHECK(answer.head.get("Location", "") == location);
  }
  CHECK(created == 1);
  CHECK(matched == kClients - 1);
  // Later, the same condition again: the first one's resource, not a new one.
  const Answer again = call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", referral,
                            "application/fhir+json", "", condition);
  CHECK(again.status == 200);
  CHECK(again.head.get("Location", "") == location);
  // Another condition is another resource.
  CHECK(call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", referral,
             "application/fhir+json", "", condition + "-2")
            .status == 201);
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "2\n");
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 2; }));
}

TEST_CASE("FHIR: a batch Bundle is each entry alone, answered 200 with a response per entry") {
  RunningSystem system({"fhir.maxBundleEntries=10"});
  const std::string referral = golden("servicerequest-referral.json");
  auto entry = [](const std::string& resource, const std::string& method, const std::string& url,
                  const std::string& if_none_exist = "") {
    return R"({"resource":)" + resource + R"(,"request":{"method":")" + method + R"(","url":")" +
           url + "\"" +
           (if_none_exist.empty() ? "" : R"(,"ifNoneExist":")" + if_none_exist + "\"") + "}}";
  };
  const std::string condition = "identifier=https://westcoast.example/referrals|WC-2026-0042";
  const std::string batch = R"({"resourceType":"Bundle","type":"batch","entry":[)" +
                            entry(referral, "POST", "ServiceRequest") + "," +
                            entry(invalidReferral(), "POST", "ServiceRequest") + "," +
                            entry(R"({"resourceType":"Patient"})", "POST", "Patient") + "," +
                            entry(referral, "PUT", "ServiceRequest/x") + "," +
                            entry(referral, "POST", "ServiceRequest", condition) + "," +
                            entry(referral, "POST", "ServiceRequest", condition) + "]}";
  const Answer answer = call(system, "westcoast-fhir", "POST", "/fhir", batch);
  REQUIRE(answer.status == 200);
  const auto response = json(answer.body);
  CHECK(std::string(response["type"].GetString()) == "batch-response");
  REQUIRE(response["entry"].Size() == 6);
  std::vector<std::string> statuses;
  for (const auto& item : response["entry"].GetArray()) {
    statuses.emplace_back(item["response"]["status"].GetString());
  }
  CHECK(statuses == std::vector<std::string>{"201 Created", "422 Unprocessable Entity",
                                             "404 Not Found", "405 Method Not Allowed",
                                             "201 Created", "200 OK"});
  const auto& entries = response["entry"];
  CHECK_THAT(entries[0]["response"]["location"].GetString(),
             Catch::Contains("/fhir/ServiceRequest/"));
  CHECK(std::string(entries[1]["response"]["outcome"]["resourceType"].GetString()) ==
        "OperationOutcome");
  CHECK(std::string(entries[4]["response"]["location"].GetString()) ==
        entries[5]["response"]["location"].GetString());
  // Two created (the conditional one once): two rows, two referrals at the board.
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "2\n");
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 2; }));

  // The base with a trailing slash; a document Bundle goes to [base]/Bundle.
  const Answer document = call(system, "westcoast-fhir", "POST", "/fhir/",
                               R"({"resourceType":"Bundle","type":"document","entry":[]})");
  CHECK(document.status == 400);
  CHECK_THAT(json(document.body)["issue"][0]["diagnostics"].GetString(),
             Catch::Contains("POST it to [base]/Bundle"));
  // Past fhir.maxBundleEntries: 413, nothing processed.
  std::string eleven = R"({"resourceType":"Bundle","type":"batch","entry":[)";
  for (int i = 0; i < 11; ++i) {
    eleven += (i ? "," : "") + entry(referral, "POST", "ServiceRequest");
  }
  const Answer too_many = call(system, "westcoast-fhir", "POST", "/fhir", eleven + "]}");
  CHECK(too_many.status == 413);
  CHECK(issueCodes(json(too_many.body)) == "too-costly");
  CHECK(call(system, "westcoast-fhir", "POST", "/fhir", referral).status == 400);
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "2\n");
}

TEST_CASE("FHIR: a Claim becomes an Invoice at the board") {
  RunningSystem system;
  const Answer created =
      call(system, "westcoast-fhir", "POST", "/fhir/Claim", golden("claim-invoice.json"));
  REQUIRE(created.status == 201);
  CHECK_THAT(created.head.get("Location", ""), Catch::Contains("/fhir/Claim/"));
  REQUIRE(waitUntil([&] { return system.accepted("invoice").size() == 1; }));
  // A Claim with a fee code the board does not know is refused in the request.
  std::string unknown_fee = golden("claim-invoice.json");
  unknown_fee.replace(unknown_fee.find("CRRTW-TRT"), 9, "CRRTW-XYZ");
  const Answer refused = call(system, "westcoast-fhir", "POST", "/fhir/Claim", unknown_fee);
  CHECK(refused.status == 422);
  CHECK_THAT(refused.body, Catch::Contains("business-rule"));
}

TEST_CASE(
    "FHIR: a Task answering a ServiceRequest sent before becomes a Referral status update, "
    "and one that answers nothing known or declines without a reason is 422") {
  RunningSystem system;
  const Answer created = call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest",
                              golden("servicerequest-referral.json"));
  REQUIRE(created.status == 201);
  const std::string id = json(created.body)["id"].GetString();
  // The clinic answers the referral by the id the gateway gave it.
  std::string task = golden("task-declined.json");
  for (std::size_t at = task.find("ServiceRequest/wc-ref-2026-0042"); at != std::string::npos;
       at = task.find("ServiceRequest/wc-ref-2026-0042", at)) {
    task.replace(at, 31, "ServiceRequest/" + id);
  }
  const Answer answered = call(system, "westcoast-fhir", "POST", "/fhir/Task", task);
  REQUIRE(answered.status == 201);
  CHECK_THAT(answered.head.get("Location", ""), Catch::Contains("/fhir/Task/"));
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 2; }));
  const std::string update = system.accepted("referral")[1].body;
  CHECK_THAT(update, Catch::Contains("<status>DECLINED</status>"));
  CHECK_THAT(update, Catch::Contains("<code>NO_CAPACITY</code>"));
  CHECK_THAT(update, Catch::Contains("<referralId>WC-2026-0042</referralId>"));
  CHECK_THAT(update, Catch::Contains("<family>Doe</family>"));  // from the ServiceRequest
  CHECK(waitUntil([&] {
    return system.queryJournal("SELECT state FROM messages ORDER BY id") ==
           "delivered\ndelivered\n";
  }));

  // The golden Task names the ServiceRequest by the clinic's own id, which
  // this gateway never gave out.
  const Answer unknown =
      call(system, "westcoast-fhir", "POST", "/fhir/Task", golden("task-declined.json"));
  CHECK(unknown.status == 422);
  const auto outcome = json(unknown.body);
  CHECK(issueCodes(outcome) == "not-found");
  CHECK(std::string(outcome["issue"][0]["expression"][0].GetString()) == "Task.focus");

  // Declined without the board's reason code: the board rule answers in the request.
  std::string no_reason = task;
  no_reason.replace(no_reason.find("NO_CAPACITY"), 11, "BUSY");
  const Answer refused = call(system, "westcoast-fhir", "POST", "/fhir/Task", no_reason);
  CHECK(refused.status == 422);
  CHECK_THAT(refused.body, Catch::Contains("decline reason code"));
  // A Task that is only requested is no answer.
  std::string requested = task;
  requested.replace(requested.find("\"rejected\""), 10, "\"requested\"");
  CHECK(call(system, "westcoast-fhir", "POST", "/fhir/Task", requested).status == 422);
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "2\n");
}
