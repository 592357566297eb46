// What the FHIR endpoint writes and cuts out of what it was sent: the
// server's fields on a created resource, a Bundle's entries as their own
// text (numbers as written), OperationOutcomes and response Bundles.

#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "rtw/fhir/bundle.h"
#include "rtw/fhir/resource.h"
#include "rtw/fhir/server.h"

using namespace rtw::fhir;

TEST_CASE("withServerFields sets id and meta, keeps the rest as written") {
  std::string error;
  const std::string stored = withServerFields(
      R"({"resourceType":"Claim","id":"theirs","meta":{"profile":["p"],"versionId":"7"},)"
      R"("total":{"value":100.00},"item":[{"id":"keep","net":{"value":1e2}}]})",
      "ours", "1", "2026-12-08T00:00:00.000Z", error);
  REQUIRE(error.empty());
  CHECK(stored.find("100.00") != std::string::npos);  // not 100.0, not "100.00"
  CHECK(stored.find("1e2") != std::string::npos);
  CHECK(stored.find("theirs") == std::string::npos);
  rapidjson::Document d;
  d.Parse(stored.c_str());
  REQUIRE(d.IsObject());
  CHECK(std::string(d["id"].GetString()) == "ours");
  CHECK(std::string(d["meta"]["versionId"].GetString()) == "1");
  CHECK(std::string(d["meta"]["lastUpdated"].GetString()) == "2026-12-08T00:00:00.000Z");
  CHECK(std::string(d["meta"]["profile"][0].GetString()) == "p");
  CHECK(std::string(d["item"][0]["id"].GetString()) == "keep");  // only the root's id

  const std::string bare =
      withServerFields(R"({"resourceType":"Task"})", "t1", "1", "2026-12-08T00:00:00Z", error);
  d.Parse(bare.c_str());
  CHECK(std::string(d["meta"]["versionId"].GetString()) == "1");
  CHECK(withServerFields("{broken", "x", "1", "now", error).empty());
  CHECK_FALSE(error.empty());
}

TEST_CASE("readBundle gives each entry's resource as sent and its request") {
  std::string error;
  const auto bundle = readBundle(
      R"({"resourceType":"Bundle","type":"batch","identifier":{"system":"s","value":"v"},)"
      R"("entry":[{"fullUrl":"urn:uuid:1","resource":{"resourceType":"Claim","total":{"value":)"
      R"(10.50}},"request":{"method":"POST","url":"Claim","ifNoneExist":"identifier=a|b"}},)"
      R"({"request":{"method":"GET","url":"Patient/1"}},)"
      R"({"resource":{"resourceType":"Task","note":[{"text":"{}"}]},"request":{"method":"POST","url":"Task"}}]})",
      error);
  REQUIRE(bundle);
  CHECK(bundle->type == "batch");
  CHECK(bundle->identifier == "s|v");
  REQUIRE(bundle->entries.size() == 3);
  CHECK(bundle->entries[0].resource == R"({"resourceType":"Claim","total":{"value":10.50}})");
  CHECK(bundle->entries[0].full_url == "urn:uuid:1");
  CHECK(bundle->entries[0].if_none_exist == "identifier=a|b");
  CHECK(bundle->entries[1].resource.empty());
  CHECK(bundle->entries[1].method == "GET");
  CHECK(bundle->entries[2].resource == R"({"resourceType":"Task","note":[{"text":"{}"}]})");
  CHECK_FALSE(readBundle(R"({"resourceType":"Patient"})", error));
  CHECK_FALSE(readBundle(R"({"resourceType":"Bundle","entry":{}})", error));
  CHECK(error == "Bundle.entry is not an array");
}

TEST_CASE("OperationOutcome and response Bundles are the JSON a FHIR client reads") {
  rapidjson::Document d;
  d.Parse(
      operationOutcomeJson(
          {{"error", "required", "header/claimNumber: required", {"ServiceRequest.identifier"}}})
          .c_str());
  CHECK(std::string(d["issue"][0]["code"].GetString()) == "required");
  CHECK(std::string(d["issue"][0]["expression"][0].GetString()) == "ServiceRequest.identifier");
  d.Parse(
      bundleResponseJson("batch-response",
                         {{"201 Created", "https://x/fhir/Claim/1/_history/1", "W/\"1\"", "", ""},
                          {"422 Unprocessable Entity", "", "", "",
                           operationOutcomeJson({{"error", "value", "d", {}}})}})
          .c_str());
  REQUIRE(d.IsObject());
  CHECK(std::string(d["type"].GetString()) == "batch-response");
  CHECK(std::string(d["entry"][0]["response"]["etag"].GetString()) == "W/\"1\"");
  CHECK(std::string(d["entry"][1]["response"]["outcome"]["resourceType"].GetString()) ==
        "OperationOutcome");
}

TEST_CASE("withServerFields rewrites the references it is given, and only references") {
  std::string error;
  const std::map<std::string, std::string> references = {{"urn:uuid:p", "Patient/b.0"}};
  const std::string stored = withServerFields(
      R"({"resourceType":"ServiceRequest","subject":{"reference":"urn:uuid:p"},)"
      R"("note":[{"text":"urn:uuid:p"}],"performer":[{"reference":"urn:uuid:other"}],)"
      R"("supportingInfo":[{"reference":"urn:uuid:p","display":"urn:uuid:p"}],"x":[{},"urn:uuid:p"]})",
      "b.3", "1", "2026-12-08T00:00:00.000Z", error, references);
  REQUIRE(error.empty());
  rapidjson::Document d;
  d.Parse(stored.c_str());
  REQUIRE(d.IsObject());
  CHECK(std::string(d["subject"]["reference"].GetString()) == "Patient/b.0");
  CHECK(std::string(d["supportingInfo"][0]["reference"].GetString()) == "Patient/b.0");
  CHECK(std::string(d["supportingInfo"][0]["display"].GetString()) == "urn:uuid:p");
  CHECK(std::string(d["note"][0]["text"].GetString()) == "urn:uuid:p");
  CHECK(std::string(d["x"][1].GetString()) == "urn:uuid:p");  // an item after an object
  CHECK(std::string(d["performer"][0]["reference"].GetString()) == "urn:uuid:other");
}

TEST_CASE("a stored Bundle keeps each entry's resource as written, its request and response") {
  StoredBundle bundle{"b", "2026-12-08T00:00:00.000Z", "transaction", "https://x|TX-1", {}};
  bundle.entries.push_back({"https://gw/fhir/Patient/b.0", R"({"resourceType":"Patient","v":1.50})",
                            "POST", "Patient", "identifier=a|1", "201 Created",
                            "https://gw/fhir/Patient/b.0/_history/1"});
  const std::string json = storedBundleJson(bundle);
  CHECK(json.find("1.50") != std::string::npos);
  std::string error;
  const auto read = readBundle(json, error);
  REQUIRE(read);
  CHECK(read->type == "transaction");
  CHECK(read->identifier == "https://x|TX-1");
  REQUIRE(read->entries.size() == 1);
  CHECK(read->entries[0].full_url == "https://gw/fhir/Patient/b.0");
  CHECK(read->entries[0].if_none_exist == "identifier=a|1");
  rapidjson::Document d;
  d.Parse(json.c_str());
  CHECK(std::string(d["id"].GetString()) == "b");
  CHECK(std::string(d["entry"][0]["response"]["status"].GetString()) == "201 Created");
  // No identifier: none written.
  bundle.identifier.clear();
  d.Parse(storedBundleJson(bundle).c_str());
  CHECK_FALSE(d.HasMember("identifier"));
}

TEST_CASE("in a stored Bundle, rewritten references resolve() to the entries") {
  std::string error;
  const std::map<std::string, std::string> references = {{"urn:uuid:p", "Patient/b.0"}};
  StoredBundle bundle{"b", "2026-12-08T00:00:00.000Z", "transaction", "", {}};
  bundle.entries.push_back(
      {"https://gw/fhir/Patient/b.0",
       withServerFields(R"({"resourceType":"Patient","name":[{"family":"Doe"}]})", "b.0", "1",
                        bundle.last_updated, error, references),
       "POST", "Patient", "", "201 Created", ""});
  bundle.entries.push_back(
      {"https://gw/fhir/ServiceRequest/b.1",
       withServerFields(R"({"resourceType":"ServiceRequest","subject":{"reference":"urn:uuid:p"}})",
                        "b.1", "1", bundle.last_updated, error, references),
       "POST", "ServiceRequest", "", "201 Created", ""});
  const auto stored = Resource::parseJson(storedBundleJson(bundle), error);
  REQUIRE(stored);
  const auto entries = stored->entries();
  REQUIRE(entries.size() == 2);
  CHECK(entries[1].first("ServiceRequest.subject.reference") == "Patient/b.0");
  CHECK(entries[1].first("ServiceRequest.subject.resolve().name.family") == "Doe");
}
