// The "timeZone" policy as a mapping author writes it and as the board's
// document shows it: a dateTime field read from a local time without offset.

#include <catch2/catch.hpp>

#include "mapping_fixture.h"
#include "rtw/mapping/time_zone.h"

using namespace rtw::mapping;
using namespace rtw::mapping::testing;

namespace {

const std::string kAppointment = "\"appointment\": { \"hl7\": \"RF1-7\", \"date\": \"dateTime\" }";

// A referral whose RF1-7 is `local` (HL7 DTM), mapped to the appointment
// under the policy `zone` (a JSON value).
Mapped appointmentAt(const std::string& local, const std::string& zone) {
  const std::string hl7 =
      "MSH|^~\\&|EMR|FAC|RTWGW|WSBC|20250301101500-0800||REF^I12|M1|P|2.5.1\r"
      "RF1|A|R|CRRTW|||REF-1|" +
      local + "\r";
  return run(referralMapping(kAppointment, "\"timeZone\": " + zone + ",\n"), "REF^I12", hl7);
}

std::string appointment(const std::string& local, const std::string& zone) {
  const Mapped mapped = appointmentAt(local, zone);
  INFO(mapped.findings());
  CHECK_FALSE(mapped.evaluation.hasErrors());
  return mapped.get("appointment");
}

// Loads `text` as mapping.json; the error it fails with.
MappingError loadError(const std::string& text) {
  MappingFolder folder;
  folder.write("mapping.json", text);
  try {
    folder.load();
  } catch (const MappingError& error) {
    CHECK(error.where().file == (folder.path() / "mapping.json").string());
    return error;
  }
  FAIL("the mapping loaded");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a named zone gives winter and summer local times their own offsets") {
  const std::string vancouver = "\"America/Vancouver\"";
  CHECK(appointment("202503010930", vancouver) == "2025-03-01T09:30:00-08:00");
  CHECK(appointment("202507150930", vancouver) == "2025-07-15T09:30:00-07:00");
  CHECK(appointment("20250309013059", vancouver) == "2025-03-09T01:30:59-08:00");
  CHECK(appointment("202503090300", vancouver) == "2025-03-09T03:00:00-07:00");
  CHECK(appointment("20251102020000.25", vancouver) == "2025-11-02T02:00:00.25-08:00");
  CHECK(appointment("202511020059", vancouver) == "2025-11-02T00:59:00-07:00");
  const std::string toronto = "\"America/Toronto\"";
  CHECK(appointment("202501200800", toronto) == "2025-01-20T08:00:00-05:00");
  CHECK(appointment("202506200800", toronto) == "2025-06-20T08:00:00-04:00");
  CHECK(appointment("210007010800", toronto) == "2100-07-01T08:00:00-04:00");  // the footer rule
  // A written offset is kept whatever the policy.
  CHECK(appointment("202507150930-0800", vancouver) == "2025-07-15T09:30:00-08:00");
}

TEST_CASE("a local time in the spring-forward gap is refused by default, naming field and rule") {
  const Mapped refused = appointmentAt("202503090230", "\"America/Vancouver\"");
  CHECK(refused.get("appointment").empty());
  CHECK(refused.evaluation.hasErrors());
  CHECK_THAT(refused.findings(),
             Catch::Contains("ERROR appointment: the local time does not exist in "
                             "America/Vancouver (skipped when the clocks went forward) and the "
                             "timeZone policy's gap is reject (RF1-7)") &&
                 Catch::Contains("mapping.json:7 (rule REF^I12 appointment)"));
  CHECK_THAT(refused.findings(), !Catch::Contains("0230"));  // no value in the finding
  const std::string explicit_reject = "{ \"name\": \"America/Toronto\", \"gap\": \"reject\" }";
  CHECK(appointmentAt("202503090201", explicit_reject).evaluation.hasErrors());
}

TEST_CASE("gap later reads the time as if the clock had not moved yet: an hour later") {
  const std::string later = "{ \"name\": \"America/Vancouver\", \"gap\": \"later\" }";
  CHECK(appointment("202503090230", later) == "2025-03-09T03:30:00-07:00");
  CHECK(appointment("202503090200", later) == "2025-03-09T03:00:00-07:00");
  CHECK(appointment("202507150930", later) == "2025-07-15T09:30:00-07:00");
  const std::string toronto = "{ \"name\": \"America/Toronto\", \"gap\": \"later\" }";
  CHECK(appointment("20250309025959", toronto) == "2025-03-09T03:59:59-04:00");
}

TEST_CASE("a local time at fall-back happens twice: refused by default, or the earlier or later") {
  const Mapped refused = appointmentAt("202511020130", "\"America/Vancouver\"");
  CHECK(refused.get("appointment").empty());
  CHECK_THAT(refused.findings(),
             Catch::Contains("ERROR appointment: the local time happens twice in "
                             "America/Vancouver (the clocks went back) and the timeZone policy's "
                             "overlap is reject (RF1-7)"));
  const std::string reject = "{ \"name\": \"America/Vancouver\", \"overlap\": \"reject\" }";
  CHECK(appointmentAt("202511020100", reject).evaluation.hasErrors());
  const std::string earlier = "{ \"name\": \"America/Vancouver\", \"overlap\": \"earlier\" }";
  CHECK(appointment("202511020130", earlier) == "2025-11-02T01:30:00-07:00");
  const std::string later = "{ \"name\": \"America/Vancouver\", \"overlap\": \"later\" }";
  CHECK(appointment("202511020130", later) == "2025-11-02T01:30:00-08:00");
  const std::string toronto = "{ \"name\": \"America/Toronto\", \"overlap\": \"later\" }";
  CHECK(appointment("202511020145", toronto) == "2025-11-02T01:45:00-05:00");
}

TEST_CASE("before the zone's first transition its offset is not whole minutes: refused") {
  const Mapped refused = appointmentAt("188001010900", "\"America/Vancouver\"");
  CHECK(refused.get("appointment").empty());
  CHECK_THAT(refused.findings(), Catch::Contains("ERROR appointment: the UTC offset of "
                                                 "America/Vancouver at that time is not whole "
                                                 "minutes"));
}

TEST_CASE("the fixed forms still work") {
  CHECK(appointment("202507150930", "\"-08:00\"") == "2025-07-15T09:30:00-08:00");
  CHECK(appointment("202507150930", "\"+05:30\"") == "2025-07-15T09:30:00+05:30");
  CHECK(appointment("202507150930", "\"UTC\"") == "2025-07-15T09:30:00+00:00");
  CHECK_THAT(appointmentAt("202507150930", "\"reject\"").findings(),
             Catch::Contains("no UTC offset and the mapping's timeZone policy is reject"));
}

TEST_CASE("an unknown zone fails the load naming the file, line, rule and the zone file") {
  const MappingError error = loadError(
      "{\n \"description\": \"x\",\n \"timeZone\": \"America/Vancuver\",\n"
      " \"messages\": {} }");
  CHECK(error.where().line == 3);
  CHECK(error.where().rule == "timeZone");
  CHECK(error.problem() ==
        "unknown time zone 'America/Vancuver': no file /usr/share/zoneinfo/America/Vancuver");

  const MappingError in_object = loadError(
      "{\n \"timeZone\": {\n  \"name\": \"Canada/Nowhere\",\n  \"gap\": \"later\" },\n"
      " \"messages\": {} }");
  CHECK(in_object.where().line == 3);
  CHECK_THAT(in_object.problem(), Catch::Contains("unknown time zone 'Canada/Nowhere'"));
}

TEST_CASE("a zone policy written wrongly fails the load with its line") {
  const auto problem = [](const std::string& zone, int line) {
    const MappingError error = loadError("{\n \"timeZone\": " + zone + ",\n \"messages\": {} }");
    CHECK(error.where().rule == "timeZone");
    CHECK(error.where().line == line);
    return error.problem();
  };
  CHECK_THAT(problem("\"-8:00\"", 2), Catch::Contains("'timeZone' must be \"reject\", \"UTC\""));
  CHECK_THAT(problem("\"+15:00\"", 2), Catch::Contains("an offset such as \"-08:00\""));
  CHECK_THAT(problem("\"../../etc/passwd\"", 2), Catch::Contains("is not a time zone name"));
  CHECK_THAT(problem("{ \"gap\": \"later\" }", 2), Catch::Contains("needs \"name\""));
  CHECK_THAT(problem("{ \"name\": \"America/Toronto\",\n \"gap\": \"earlier\" }", 3),
             Catch::Contains("'gap' must be \"reject\" or \"later\""));
  CHECK_THAT(problem("{ \"name\": \"America/Toronto\",\n \"overlap\": \"first\" }", 3),
             Catch::Contains("'overlap' must be \"reject\", \"earlier\" or \"later\""));
  CHECK_THAT(problem("{ \"name\": \"America/Toronto\",\n \"dst\": true }", 3),
             Catch::Contains("unknown key 'dst' in 'timeZone'"));
}

TEST_CASE("a folder sets its time zone policy once") {
  MappingFolder folder;
  folder.write("a.json", "{ \"timeZone\": \"America/Vancouver\" }");
  folder.write("b.json", referralMapping(kAppointment, "\"timeZone\": \"-08:00\",\n"));
  try {
    folder.load();
    FAIL("loaded two time zone policies");
  } catch (const MappingError& error) {
    CHECK(error.where().file == (folder.path() / "b.json").string());
    CHECK(error.where().line == 2);
    CHECK_THAT(error.problem(), Catch::Contains("'timeZone' is set in " +
                                                (folder.path() / "a.json").string() + " already"));
  }
}

TEST_CASE("the BC and Ontario partners read local times in their clinic's zone") {
  const std::pair<const char*, const char*> partners[] = {{"harbour-physio", "America/Vancouver"},
                                                          {"lakeshore-msk", "America/Toronto"}};
  for (const auto& [partner, zone] : partners) {
    INFO(partner);
    const auto set =
        MappingSet::load(std::filesystem::path(RTW_SOURCE_DIR "/mappings") / partner, *schemas());
    REQUIRE(set->zone().mode == ZonePolicy::Mode::kNamed);
    CHECK(set->zone().zone->name() == zone);
    CHECK(set->zone().gap == ZonePolicy::Gap::kReject);
    CHECK(set->zone().overlap == ZonePolicy::Overlap::kReject);
  }
}
