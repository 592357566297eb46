// Transaction and document Bundles at the running gateway: all or nothing
// (one journal row), urn:uuid references rewritten to the server's ids,
// each entry read back, the same Bundle.identifier answered the same
// transaction-response (also from clients racing each other), and the
// size limits.

#include <catch2/catch.hpp>

#include <set>
#include <thread>
#include <vector>

#include "fhir_client.h"

namespace {

using rtw::testing::Answer;
using rtw::testing::call;
using rtw::testing::golden;
using rtw::testing::issueCodes;
using rtw::testing::json;
using rtw::testing::replaced;
using rtw::testing::RunningSystem;
using rtw::testing::transactionBundle;
using rtw::testing::transactionEntries;
using rtw::testing::waitUntil;

const std::string kSample = "transaction-identified-referral.json";

std::vector<std::string> statuses(const Answer& answer) {
  std::vector<std::string> all;
  for (const auto& entry : json(answer.body)["entry"].GetArray()) {
    all.emplace_back(entry["response"]["status"].GetString());
  }
  return all;
}

/// "/fhir/Patient/<id>" of "https://host:port/fhir/Patient/<id>/_history/1".
std::string pathOf(const std::string& location) {
  const auto fhir = location.find("/fhir/");
  return location.substr(fhir, location.rfind("/_history/") - fhir);
}

std::string diagnostics(const Answer& answer) {
  return json(answer.body)["issue"][0]["diagnostics"].GetString();
}

std::string expression(const Answer& answer) {
  const auto outcome = json(answer.body);
  const auto& issue = outcome["issue"][0];
  return issue.HasMember("expression") ? issue["expression"][0].GetString() : "";
}

}  // namespace

TEST_CASE("FHIR transaction: four entries with urn:uuid references, one row, one Referral") {
  RunningSystem system;
  const Answer answer = call(system, "westcoast-fhir", "POST", "/fhir", golden(kSample));
  REQUIRE(answer.status == 200);
  const auto response = json(answer.body);
  CHECK(std::string(response["type"].GetString()) == "transaction-response");
  CHECK(statuses(answer) ==
        std::vector<std::string>{"201 Created", "201 Created", "201 Created", "201 Created"});
  std::vector<std::string> paths;
  for (const auto& entry : response["entry"].GetArray()) {
    paths.push_back(pathOf(entry["response"]["location"].GetString()));
    CHECK(std::string(entry["response"]["etag"].GetString()) == "W/\"1\"");
  }
  // One row: the whole Bundle, as message type Bundle.
  const std::string bundle_id = paths[0].substr(paths[0].rfind('/') + 1, 36);
  CHECK(paths == std::vector<std::string>{"/fhir/Patient/" + bundle_id + ".0",
                                          "/fhir/Coverage/" + bundle_id + ".1",
                                          "/fhir/Condition/" + bundle_id + ".2",
                                          "/fhir/ServiceRequest/" + bundle_id + ".3"});
  CHECK(system.queryJournal("SELECT message_type, control_id, format FROM messages") ==
        "Bundle|" + bundle_id + "|fhir+json\n");

  // Each entry reads back, its urn:uuid references now the server's.
  const Answer request = call(system, "westcoast-fhir", "GET", paths[3]);
  REQUIRE(request.status == 200);
  const auto service_request = json(request.body);
  CHECK(std::string(service_request["id"].GetString()) == bundle_id + ".3");
  CHECK(std::string(service_request["subject"]["reference"].GetString()) ==
        "Patient/" + bundle_id + ".0");
  CHECK(std::string(service_request["insurance"][0]["reference"].GetString()) ==
        "Coverage/" + bundle_id + ".1");
  CHECK(std::string(service_request["reasonReference"][0]["reference"].GetString()) == "#injury1");
  const Answer coverage = call(system, "westcoast-fhir", "GET", paths[1]);
  CHECK(coverage.status == 200);
  CHECK(std::string(json(coverage.body)["beneficiary"]["reference"].GetString()) ==
        "Patient/" + bundle_id + ".0");
  const Answer condition = call(system, "westcoast-fhir", "GET", paths[2]);
  CHECK(std::string(json(condition.body)["subject"]["reference"].GetString()) ==
        "Patient/" + bundle_id + ".0");
  const Answer whole = call(system, "westcoast-fhir", "GET", "/fhir/Bundle/" + bundle_id);
  CHECK(whole.status == 200);
  CHECK(std::string(json(whole.body)["type"].GetString()) == "transaction");
  // Another entry's type, an entry that is not there, another partner: 404.
  CHECK(call(system, "westcoast-fhir", "GET", "/fhir/Patient/" + bundle_id + ".3").status == 404);
  CHECK(call(system, "westcoast-fhir", "GET", "/fhir/Patient/" + bundle_id + ".9").status == 404);
  CHECK(call(system, "westcoast-fhir", "GET", "/fhir/Patient/" + bundle_id + ".x").status == 404);

  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 1; }));
  CHECK(waitUntil(
      [&] { return system.queryJournal("SELECT state FROM messages") == "delivered\n"; }));
  CHECK(system.acceptedPerMessage("referral") ==
        std::map<std::string, int>{{"ServiceRequest/" + bundle_id + ".3", 1}});

  // The same Bundle.identifier again: the same transaction-response, byte
  // for byte, and nothing new.
  const Answer again = call(system, "westcoast-fhir", "POST", "/fhir", golden(kSample));
  CHECK(again.status == 200);
  CHECK(again.body == answer.body);
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "1\n");
}

TEST_CASE("FHIR transaction: one bad entry refuses it whole, naming the entry") {
  RunningSystem system;
  const std::string sample = golden(kSample);
  auto post = [&](const std::string& body) {
    return call(system, "westcoast-fhir", "POST", "/fhir", body);
  };
  // The ServiceRequest (entry 3) without its authoredOn (the referral date):
  // 422 at its place.
  const Answer invalid = post(replaced(sample, R"("authoredOn")", R"("occurrenceDateTime")"));
  CHECK(invalid.status == 422);
  CHECK_THAT(issueCodes(json(invalid.body)), Catch::StartsWith("required"));
  CHECK(expression(invalid) == "Bundle.entry[3].resource.authoredOn");
  CHECK_THAT(diagnostics(invalid), Catch::StartsWith("Bundle.entry[3]: referralDate"));

  // Only creates: a PUT entry refuses the whole transaction.
  const Answer put = post(replaced(sample, R"("method": "POST",
        "url": "Condition")",
                                   R"("method": "PUT",
        "url": "Condition/x")"));
  CHECK(put.status == 422);
  CHECK(expression(put) == "Bundle.entry[2].request");
  CHECK_THAT(diagnostics(put), Catch::Contains("only creates"));
  // request.url not a type; an entry without a resource, or whose resource
  // has no resourceType.
  const Answer url = post(replaced(sample, R"("url": "Coverage")", R"("url": "Coverage/c1")"));
  CHECK(url.status == 400);
  CHECK(expression(url) == "Bundle.entry[1].request.url");
  const Answer no_resource =
      post(transactionBundle(R"({"request":{"method":"POST","url":"Patient"}})"));
  CHECK(no_resource.status == 400);
  CHECK(expression(no_resource) == "Bundle.entry[0].resource");
  const Answer untyped = post(
      transactionBundle(R"({"resource":{"id":"x"},"request":{"method":"POST","url":"Patient"}})"));
  CHECK(untyped.status == 400);
  CHECK(issueCodes(json(untyped.body)) == "structure");
  // A type the gateway does not take; a resource that is not what its url says.
  const Answer medication =
      post(replaced(sample, R"("resourceType": "Coverage")", R"("resourceType": "Medication")"));
  CHECK(medication.status == 400);
  CHECK(expression(medication) == "Bundle.entry[1].resource");
  const Answer not_taken = post(
      replaced(replaced(sample, R"("resourceType": "Coverage")", R"("resourceType": "Medication")"),
               R"("url": "Coverage")", R"("url": "Medication")"));
  CHECK(not_taken.status == 422);
  CHECK(issueCodes(json(not_taken.body)) == "not-supported");
  CHECK(expression(not_taken) == "Bundle.entry[1].resource");
  // Two entries with one fullUrl.
  const Answer same_url = post(replaced(sample, "0d2b6e8f0002", "0d2b6e8f0001"));
  CHECK(same_url.status == 400);
  CHECK(expression(same_url) == "Bundle.entry[1].fullUrl");
  // The ServiceRequest sent for another clinic: 403 naming it.
  const Answer foreign = post(replaced(sample, "WESTCOASTPT", "HARBOURPHYSIO"));
  CHECK(foreign.status == 403);
  CHECK(expression(foreign) == "Bundle.entry[3].resource");
  // Nothing the partner maps (a Patient alone): nothing would reach the board.
  const auto patient_end = sample.find("\"fullUrl\"", sample.find("\"fullUrl\"") + 1);
  const Answer patient_only = post(sample.substr(0, sample.rfind(',', patient_end)) + "]}");
  CHECK(patient_only.status == 422);
  CHECK_THAT(diagnostics(patient_only), Catch::Contains("maps none"));
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "0\n");
}

TEST_CASE("FHIR transaction: 100 entries give 25 Referrals, past the limits 413") {
  RunningSystem system({"fhir.maxBundleEntries=100", "fhir.maxBundleBytes=300000"});
  std::string entries;
  for (int n = 0; n < 25; ++n) {
    entries += (n ? "," : "") + transactionEntries(n);
  }
  const Answer answer = call(system, "westcoast-fhir", "POST", "/fhir", transactionBundle(entries));
  REQUIRE(answer.status == 200);
  const std::vector<std::string> all = statuses(answer);
  CHECK(all.size() == 100);
  CHECK(std::set<std::string>(all.begin(), all.end()) == std::set<std::string>{"201 Created"});
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "1\n");
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 25; }));
  CHECK(system.acceptedPerMessage("referral").size() == 25);

  // 101 entries, or more bytes than fhir.maxBundleBytes: 413, nothing processed.
  const Answer too_many = call(system, "westcoast-fhir", "POST", "/fhir",
                               transactionBundle(entries + "," + transactionEntries(25)));
  CHECK(too_many.status == 413);
  CHECK_THAT(diagnostics(too_many), Catch::Contains("fhir.maxBundleEntries"));
  const Answer too_big = call(system, "westcoast-fhir", "POST", "/fhir",
                              transactionBundle(replaced(transactionEntries(0), "Lifting boxes",
                                                         std::string(300000, 'x'))));
  CHECK(too_big.status == 413);
  CHECK_THAT(diagnostics(too_big), Catch::Contains("fhir.maxBundleBytes"));
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "1\n");
}

TEST_CASE("FHIR transaction: the same Bundle.identifier from parallel clients, one set") {
  RunningSystem system;
  const std::string bundle = transactionBundle(transactionEntries(1), "TX-PARALLEL-1");
  constexpr int kClients = 6;
  std::vector<Answer> answers(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      answers[static_cast<std::size_t>(i)] =
          call(system, "westcoast-fhir", "POST", "/fhir", bundle);
    });
  }
  for (auto& client : clients) {
    client.join();
  }
  for (const Answer& answer : answers) {
    CHECK(answer.status == 200);
    CHECK(answer.body == answers[0].body);
  }
  CHECK(statuses(answers[0]).size() == 4);
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "1\n");
  // Another identifier is another transaction.
  CHECK(call(system, "westcoast-fhir", "POST", "/fhir",
             transactionBundle(transactionEntries(1), "TX-PARALLEL-2"))
            .status == 200);
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 2; }));
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "2\n");
}

TEST_CASE("FHIR conditional creates: ifNoneExist in a transaction, and 412 on several matches") {
  RunningSystem system;
  const std::string referral = golden("servicerequest-referral.json");
  const std::string system_url = "https://westcoast.example/referrals|";
  const Answer first = call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", referral,
                            "application/fhir+json", "", "identifier=" + system_url + "A");
  REQUIRE(first.status == 201);
  CHECK(call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", referral,
             "application/fhir+json", "", "identifier=" + system_url + "B")
            .status == 201);
  // One of two identifiers made before: 200 with it; both: 412.
  const Answer one =
      call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", referral,
           "application/fhir+json", "", "identifier=" + system_url + "A," + system_url + "Z");
  CHECK(one.status == 200);
  CHECK(one.head.get("Location", "") == first.head.get("Location", ""));
  const Answer several = call(system, "westcoast-fhir", "POST", "/fhir/ServiceRequest", referral,
                              "application/fhir+json", "",
                              "identifier=" + system_url + "A&identifier=" + system_url + "B");
  CHECK(several.status == 412);
  CHECK(issueCodes(json(several.body)) == "multiple-matches");

  // In a transaction: the ServiceRequest made before is 200 with its
  // Location, the rest is created, and no second Referral.
  auto conditional = [&](const std::string& condition) {
    return replaced(golden(kSample), R"("url": "ServiceRequest")",
                    R"("url": "ServiceRequest", "ifNoneExist": ")" + condition + "\"");
  };
  const Answer matched = call(system, "westcoast-fhir", "POST", "/fhir",
                              conditional("identifier=" + system_url + "A"));
  REQUIRE(matched.status == 200);
  CHECK(statuses(matched) ==
        std::vector<std::string>{"201 Created", "201 Created", "201 Created", "200 OK"});
  CHECK(std::string(json(matched.body)["entry"][3]["response"]["location"].GetString()) ==
        first.head.get("Location", ""));
  const Answer refused =
      call(system, "westcoast-fhir", "POST", "/fhir",
           replaced(conditional("identifier=" + system_url + "A," + system_url + "B"),
                    "TX-2026-0042", "TX-2026-0043"));
  CHECK(refused.status == 412);
  CHECK(expression(refused) == "Bundle.entry[3].request.ifNoneExist");
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 2; }));
  CHECK(waitUntil([&] {
    return system.queryJournal("SELECT state FROM messages ORDER BY id") ==
           "delivered\ndelivered\nignored\n";
  }));
}

TEST_CASE("FHIR document Bundles go to [base]/Bundle, translated by their Composition") {
  RunningSystem system({"fhir.maxBundleEntries=10"});
  auto post = [&](const std::string& body) {
    return call(system, "westcoast-fhir", "POST", "/fhir/Bundle", body);
  };
  const std::string composition =
      R"({"fullUrl":"urn:uuid:1","resource":{"resourceType":"Composition","status":"final",)"
      R"("type":{"text":"Progress report"},"title":"Progress","date":"2026-03-01",)"
      R"("author":[{"identifier":{"system":"https://rtw.test/sid/bc-clinic","value":"WESTCOASTPT"}}],)"
      R"("subject":{"reference":"urn:uuid:2"}}})";
  const std::string patient =
      R"({"fullUrl":"urn:uuid:2","resource":{"resourceType":"Patient","name":[{"family":"Doe"}]}})";
  auto document = [&](const std::string& type, const std::string& entries) {
    return R"({"resourceType":"Bundle","type":")" + type +
           R"(","identifier":{"system":"https://westcoast.example/docs","value":"D-1"},"entry":[)" +
           entries + "]}";
  };
  // A transaction or batch is not a document.
  const Answer transaction = post(document("transaction", composition));
  CHECK(transaction.status == 400);
  CHECK_THAT(diagnostics(transaction), Catch::Contains("POST [base]"));
  // A document starts with its Composition.
  const Answer no_composition = post(document("document", patient + "," + composition));
  CHECK(no_composition.status == 422);
  CHECK(expression(no_composition) == "Bundle.entry[0].resource");
  // The Composition sent for another clinic.
  const Answer foreign = post(
      replaced(document("document", composition + "," + patient), "WESTCOASTPT", "HARBOURPHYSIO"));
  CHECK(foreign.status == 403);
  // Entries that are not an array; more entries than fhir.maxBundleEntries.
  const Answer not_array = post(
      R"({"resourceType":"Bundle","type":"document","entry":{"resource":{"resourceType":"Patient"}}})");
  CHECK(not_array.status == 400);
  std::string many;
  for (int i = 0; i < 11; ++i) {
    many += (i ? "," : "") + patient;
  }
  const Answer too_many = post(document("document", composition + "," + many));
  CHECK(too_many.status == 413);
  // This Composition can be no Report (no mapping for it, or none of the
  // fields one needs): 422, nothing journaled. test_pipeline's
  // "a document Bundle is journaled once..." takes one that can.
  const Answer unmapped = post(document("document", composition + "," + patient));
  CHECK(unmapped.status == 422);
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "0\n");
}

TEST_CASE("FHIR transaction: a Task may answer a ServiceRequest created inside a transaction") {
  RunningSystem system;
  const Answer created = call(system, "westcoast-fhir", "POST", "/fhir", golden(kSample));
  REQUIRE(created.status == 200);
  const std::string request =
      pathOf(json(created.body)["entry"][3]["response"]["location"].GetString());
  const std::string reference = request.substr(std::string("/fhir/").size());
  const Answer answered =
      call(system, "westcoast-fhir", "POST", "/fhir/Task",
           replaced(golden("task-declined.json"), "ServiceRequest/wc-ref-2026-0042", reference));
  INFO(answered.body);
  REQUIRE(answered.status == 201);
  REQUIRE(waitUntil([&] { return system.accepted("referral").size() == 2; }));
  const std::string update = system.accepted("referral")[1].body;
  CHECK_THAT(update, Catch::Contains("<status>DECLINED</status>"));
  CHECK_THAT(update, Catch::Contains("<family>Doe</family>"));  // from the transaction's entry
  // Another entry of it (the Condition) is no ServiceRequest to answer.
  const Answer unknown =
      call(system, "westcoast-fhir", "POST", "/fhir/Task",
           replaced(golden("task-declined.json"), "ServiceRequest/wc-ref-2026-0042",
                    reference.substr(0, reference.rfind('.')) + ".2"));
  CHECK(unknown.status == 422);
}

TEST_CASE("FHIR document Bundle: the golden discharge report is one Report at the board") {
  RunningSystem system;
  // The sample names its author by a Practitioner only: the clinic it is
  // sent for goes in as the Composition's custodian (else 403, as for any
  // resource naming none of the partner's organizations).
  const std::string sample = golden("composition-discharge-report.json");
  const auto composition = sample.find(R"("resourceType": "Composition")");
  REQUIRE(composition != std::string::npos);
  const std::string document =
      sample.substr(0, composition) +
      R"("custodian": {"identifier": {"system": "https://rtw.test/sid/bc-clinic", "value": "WESTCOASTPT"}}, )" +
      sample.substr(composition);
  const Answer created = call(system, "westcoast-fhir", "POST", "/fhir/Bundle", document);
  INFO(created.body.substr(0, 2000));
  REQUIRE(created.status == 201);
  const std::string location = created.head.get("Location", "");
  CHECK_THAT(location, Catch::Contains("/fhir/Bundle/"));
  CHECK(system.queryJournal("SELECT message_type, format FROM messages") == "Bundle|fhir+json\n");
  // Its entries read back; the same document again is the first one.
  const std::string id = json(created.body)["id"].GetString();
  CHECK(call(system, "westcoast-fhir", "GET", "/fhir/Composition/" + id + ".0").status == 200);
  const Answer again = call(system, "westcoast-fhir", "POST", "/fhir/Bundle", document);
  CHECK(again.status == 200);
  CHECK(again.head.get("Location", "") == location);
  REQUIRE(waitUntil([&] { return system.accepted("report").size() == 1; }));
  CHECK(system.accepted("referral").empty());  // its ServiceRequest is read, not sent
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "1\n");
}

TEST_CASE(
    "FHIR transaction: a journal that cannot store it answers 503 with Retry-After, and keeps "
    "no part of it") {
  // A page limit just above the empty journal's size stands in for a full disk.
  RunningSystem system({"store.maxPages=12"});
  std::string entries;
  for (int n = 0; n < 25; ++n) {
    entries += (entries.empty() ? "" : ",") + transactionEntries(n);
  }
  const Answer refused =
      call(system, "westcoast-fhir", "POST", "/fhir", transactionBundle(entries, "full-journal"));
  CHECK(refused.status == 503);
  CHECK(refused.head.get("Retry-After", "") == "10");
  CHECK(issueCodes(json(refused.body)) == "transient");
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "0\n");
  // Sent again, it is refused again: no stored answer of a half-kept one.
  const Answer again =
      call(system, "westcoast-fhir", "POST", "/fhir", transactionBundle(entries, "full-journal"));
  CHECK(again.status == 503);
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "0\n");
  CHECK(system.gateway().running());
}
