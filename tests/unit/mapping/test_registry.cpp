// Reloading mappings: a change on disk is picked up, a broken edit keeps the
// previous mappings and says where it is broken.

#include <catch2/catch.hpp>

#include <thread>

#include "mapping_fixture.h"
#include "rtw/mapping/registry.h"

using namespace rtw::mapping;
using namespace rtw::mapping::testing;

namespace {

std::string notesMapping(const std::string& value) {
  return referralMapping("\"notes\": { \"const\": \"" + value + "\" }");
}

std::string notesConstant(const MappingSet& set) {
  return *set.find("REF^I12")->fields.front().constant;
}

// File times can be coarse: make sure the next write looks newer.
void touchLater(const MappingFolder& folder, const std::string& name, const std::string& text) {
  const auto before = std::filesystem::last_write_time(folder.path() / name);
  folder.write(name, text);
  std::filesystem::last_write_time(folder.path() / name, before + std::chrono::seconds(1));
}

}  // namespace

TEST_CASE("a changed mapping file is reloaded, an unchanged one is not") {
  MappingFolder folder;
  folder.write("mapping.json", notesMapping("v1"));
  MappingRegistry registry(schemas(), singleRuleOptions());
  registry.load({{"p1", folder.path()}});
  const auto first = registry.forPartner("p1");
  CHECK(notesConstant(*first) == "v1");
  CHECK(registry.reload(false).empty());
  CHECK(registry.forPartner("p1") == first);

  touchLater(folder, "mapping.json", notesMapping("v2"));
  const auto outcomes = registry.reload(false);
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].partner == "p1");
  CHECK(outcomes[0].reloaded);
  CHECK(notesConstant(*registry.forPartner("p1")) == "v2");
  // The set a translation took before the reload is unchanged.
  CHECK(notesConstant(*first) == "v1");
  CHECK(registry.forPartner("nobody") == nullptr);
}

TEST_CASE("a broken edit keeps the previous mappings and names file, line and rule") {
  MappingFolder folder;
  folder.write("mapping.json", notesMapping("v1"));
  MappingRegistry registry(schemas(), singleRuleOptions());
  registry.load({{"p1", folder.path()}});

  touchLater(folder, "mapping.json", referralMapping("\"worker/nickname\": \"PID-5.3\""));
  const auto outcomes = registry.reload(false);
  REQUIRE(outcomes.size() == 1);
  CHECK_FALSE(outcomes[0].reloaded);
  CHECK_THAT(outcomes[0].error, Catch::Contains("mapping.json:6 (rule REF^I12 worker/nickname)"));
  CHECK(notesConstant(*registry.forPartner("p1")) == "v1");
  // Reported once, not at every poll; fixed, it loads.
  CHECK(registry.reload(false).empty());
  touchLater(folder, "mapping.json", notesMapping("v3"));
  REQUIRE(registry.reload(false).size() == 1);
  CHECK(notesConstant(*registry.forPartner("p1")) == "v3");
}

TEST_CASE("a new file in the folder triggers a reload, and force reloads everything") {
  MappingFolder folder;
  folder.write("mapping.json", notesMapping("v1"));
  MappingRegistry registry(schemas(), singleRuleOptions());
  registry.load({{"p1", folder.path()}});
  folder.write("report.json",
               "{ \"messages\": { \"ORU^R01\": { \"document\": \"report\", \"fields\": {} } } }");
  REQUIRE(registry.reload(false).size() == 1);
  CHECK(registry.forPartner("p1")->find("ORU^R01") != nullptr);
  CHECK(registry.reload(true).size() == 1);
}

TEST_CASE("start-up fails on a broken mapping") {
  MappingFolder folder;
  folder.write("mapping.json", "{ \"messages\": 1 }");
  MappingRegistry registry(schemas(), singleRuleOptions());
  CHECK_THROWS_AS(registry.load({{"p1", folder.path()}}), MappingError);
}

TEST_CASE("after a partner reload, new partners' mappings load and removed ones are forgotten") {
  MappingFolder first;
  first.write("mapping.json", notesMapping("p1"));
  MappingFolder second;
  second.write("mapping.json", notesMapping("p2"));
  MappingRegistry registry(schemas(), singleRuleOptions());
  registry.load({{"p1", first.path()}});
  const auto p1 = registry.forPartner("p1");

  CHECK(registry.loadNew({{"p1", first.path()}, {"p2", second.path()}}) ==
        std::vector<std::string>{"p2"});
  CHECK(registry.forPartner("p1") == p1);  // unchanged: not loaded again
  CHECK(notesConstant(*registry.forPartner("p2")) == "p2");

  registry.retain({{"p2", second.path()}});
  CHECK(registry.forPartner("p1") == nullptr);
  CHECK(registry.forPartner("p2") != nullptr);
  CHECK(registry.reload(true).size() == 1);  // only p2's folder is watched now
}

TEST_CASE("a new partner's broken mapping leaves every partner's mappings as they were") {
  MappingFolder good;
  good.write("mapping.json", notesMapping("v1"));
  MappingFolder broken;
  broken.write("mapping.json", "{ \"messages\": 1 }");
  MappingRegistry registry(schemas(), singleRuleOptions());
  registry.load({{"p1", good.path()}});
  CHECK_THROWS_AS(registry.loadNew({{"p1", broken.path()}, {"p2", good.path()}}), MappingError);
  CHECK(notesConstant(*registry.forPartner("p1")) == "v1");
  CHECK(registry.forPartner("p2") == nullptr);
}
