// Real R4 resources written by others (RTW_CORPUS_DIR/fhir): each XML one
// reads onto the JSON another implementation reads from it, and each JSON
// one goes to XML and back unchanged, so mappings see one model whichever
// format a partner sends.

#include <catch2/catch.hpp>

#include <map>

#include "rtw/fhir/json.h"
#include "rtw/fhir/xml.h"
#include "xml_fixture.h"

using namespace rtw::fhir;
using namespace rtw::fhir::test;

TEST_CASE("every XML resource of the corpus reads as the JSON another implementation reads") {
  // tests/data/fhir/<name>.expected.json: what npm `fhir` 4.12.0 (xmlToJson)
  // makes of each file, without its "fhir_comments" (XML comments, a DSTU2
  // JSON member R4 does not have).
  for (const auto& file : corpusFiles(".xml")) {
    INFO(file.filename().string());
    const Resource resource = xmlResource(readText(file));
    const std::string expected = readText(dataFile(file.stem().string() + ".expected.json"));
    CHECK(jsonDifference(expected, toJson(resource)) == "");
  }
}

TEST_CASE("every JSON resource of the corpus goes to XML and back unchanged") {
  // Not R4, so not written as XML: what the writer says instead.
  const std::map<std::string, std::string> not_r4 = {
      // An empty answer ({}), and "integer" for "valueInteger" further on.
      {"davinci-pas-QuestionnaireResponse-dtr.json",
       "QuestionnaireResponse.item[2].item[2].answer[0] has nothing in it (R4: elements are never "
       "empty)"}};
  std::size_t resources = 0;
  for (const auto& file : corpusFiles(".json")) {
    INFO(file.filename().string());
    const std::string json = readText(file);
    if (const auto refused = not_r4.find(file.filename().string()); refused != not_r4.end()) {
      std::string error;
      CHECK_FALSE(toXml(jsonResource(json), error));
      CHECK(error == refused->second);
      continue;
    }
    const std::string xml = xmlOf(jsonResource(json));
    const Resource again = xmlResource(xml);
    CHECK(jsonDifference(json, toJson(again)) == "");
    // Written once more from what was read: the same XML.
    CHECK(xmlOf(again) == xml);
    resources += 1 + again.entries().size();
  }
  CHECK(resources == 66);  // 39 files, Bundles counted with their entries
}

TEST_CASE("an XML resource of the corpus written again reads back the same") {
  for (const auto& file : corpusFiles(".xml")) {
    INFO(file.filename().string());
    const Resource resource = xmlResource(readText(file));
    const std::string xml = xmlOf(resource);
    const Resource again = xmlResource(xml);
    CHECK(jsonDifference(toJson(resource), toJson(again)) == "");
    CHECK(xmlOf(again) == xml);
  }
}

TEST_CASE("a mapping's paths read the same from a resource in XML as in JSON") {
  // The XML is what npm `fhir` 4.12.0 (jsonToXml) writes for the JSON.
  const Resource json =
      jsonResource(readText(std::filesystem::path(RTW_SOURCE_DIR) /
                            "tests/golden/westcoast-fhir/servicerequest-referral.json"));
  const Resource xml = xmlResource(readText(dataFile("servicerequest-referral.xml")));
  for (const char* path : {
           "ServiceRequest.id",
           "ServiceRequest.identifier.where(system = 'https://westcoast.example/referrals').value",
           "ServiceRequest.contained.where(resourceType = 'Patient').name.given",
           "ServiceRequest.contained.where(resourceType = 'Patient').birthDate",
           "ServiceRequest.contained.where(resourceType = 'Condition').code.coding.code",
           "ServiceRequest.code.coding[1].display",
           "ServiceRequest.reasonReference.count()",
           "ServiceRequest.note.text",
       }) {
    INFO(path);
    CHECK(xml.select(path) == json.select(path));
    CHECK_FALSE(xml.select(path).empty());
  }
  CHECK(xml.first("ServiceRequest.contained.where(resourceType = 'Patient').name.given[1]") ==
        "Marie");
  CHECK(jsonDifference(toJson(json), toJson(xml)) == "");
}

TEST_CASE("a Bundle in XML is taken apart into its entries' resources as in JSON") {
  const Resource bundle =
      xmlResource(readText(corpusFiles("Bundle-transaction-no-request-DocumentReference.xml")[0]));
  const auto entries = bundle.entries();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].resourceType() == "DocumentReference");
  CHECK(entries[1].id() == "doc2");
  CHECK(entries[1].first("DocumentReference.contained.name.family") == "Baker");
  CHECK(entries[0].select("DocumentReference.context.event.coding.code") ==
        std::vector<std::string>{"allowMedicalDoctorsFromHospitalAToSeeDocuments",
                                 "denyMedicalDoctorsFromHospitalBToSeeDocuments"});
}
