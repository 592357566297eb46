// A mapping must write every element its document's XSD requires: at
// start-up and on reload, a mapping that lost one is refused naming it,
// instead of loading and rejecting every following message as the sender's
// fault.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "mapping_fixture.h"
#include "rtw/mapping/registry.h"

using namespace rtw::mapping;
using namespace rtw::mapping::testing;

namespace {

std::string shippedReferral() {
  std::ifstream in(RTW_SOURCE_DIR "/mappings/clinic01/referral.json", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shipped mapping without the rule whose line starts with `rule_start`.
std::string withoutRule(const std::string& rule_start) {
  std::string text = shippedReferral();
  const auto at = text.find(rule_start);
  REQUIRE(at != std::string::npos);
  const auto end = text.find('\n', at);
  text.erase(at, end - at);
  return text;
}

}  // namespace

TEST_CASE("every shipped partner mapping writes each element its XSD requires") {
  for (const char* partner : {"clinic01", "harbour-physio", "lakeshore-msk", "westcoast-fhir",
                              "fanshawe-college", "bayfront-fhir"}) {
    INFO(partner);
    CHECK_NOTHROW(
        MappingSet::load(std::filesystem::path(RTW_SOURCE_DIR "/mappings") / partner, *schemas()));
  }
}

TEST_CASE("a mapping with no rule for a required element is a load error naming it") {
  MappingFolder folder;
  folder.write("referral.json", withoutRule("\"dateOfInjury\":"));
  try {
    MappingSet::load(folder.path(), *schemas());
    FAIL("the mapping loaded without a rule for dateOfInjury");
  } catch (const MappingError& error) {
    CHECK(error.where().file == (folder.path() / "referral.json").string());
    CHECK(error.where().rule == "REF^I12");
    CHECK(error.where().line == 13);  // the message mapping's key
    CHECK_THAT(error.problem(), Catch::Contains("no rule writes 'dateOfInjury'") &&
                                    Catch::Contains("Referral XSD requires"));
  }
}

TEST_CASE("a required element below an optional one is required once the optional is written") {
  MappingFolder folder;
  // worker/address is optional; its city is required inside it, and the
  // shipped mapping writes the address.
  folder.write("referral.json", withoutRule("\"worker/address/city\":"));
  CHECK_THROWS_WITH(MappingSet::load(folder.path(), *schemas()),
                    Catch::Contains("no rule writes 'worker/address/city'"));
}

TEST_CASE("a reload that drops a required element keeps the previous mappings") {
  MappingFolder folder;
  const auto file = folder.write("referral.json", shippedReferral());
  MappingRegistry registry(schemas());
  registry.load({{"clinic01", folder.path()}});
  const auto before = registry.forPartner("clinic01");

  // A later modification time and another size: the poll sees the change.
  folder.write("referral.json", withoutRule("\"header/claimNumber\":"));
  std::filesystem::last_write_time(
      file, std::filesystem::last_write_time(file) + std::chrono::seconds(2));
  const auto outcomes = registry.reload(false);
  REQUIRE(outcomes.size() == 1);
  CHECK_FALSE(outcomes[0].reloaded);
  CHECK_THAT(outcomes[0].error, Catch::Contains("no rule writes 'header/claimNumber'"));
  CHECK(registry.forPartner("clinic01") == before);
}

TEST_CASE("a dry run of a mapping being written may leave required elements out") {
  MappingFolder folder;
  folder.write("referral.json", withoutRule("\"dateOfInjury\":"));
  CHECK_NOTHROW(MappingSet::load(folder.path(), *schemas(), singleRuleOptions()));
}
