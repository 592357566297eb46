// What the FHIR endpoint writes and cuts out of what it was sent: the
// server's fields on a created resource, a Bundle's entries as their own
// text (numbers as written), OperationOutcomes and response Bundles.

#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "rtw/fhir/bundle.h"
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
