// Validating documents against the XSD: problem paths, messages without
// values, and many threads sharing one compiled schema.

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "referral_fixture.h"
#include "stderr_capture.h"

using namespace rtw::worksafe;
using rtw::worksafe::test::buildReferral;
using rtw::worksafe::test::describe;
using rtw::worksafe::test::Field;
using rtw::worksafe::test::fullReferral;
using rtw::worksafe::test::referralFields;
using rtw::worksafe::test::referralXmlWith;
using rtw::worksafe::test::schemas;
using rtw::worksafe::test::StderrCapture;
using rtw::worksafe::test::validateReferral;

namespace {

std::vector<Problem> validateFields(const std::vector<Field>& fields) {
  return validateReferral(buildReferral(fields).toXml());
}

// The one problem a document with one bad field must produce.
Problem onlyProblem(const std::vector<Field>& fields) {
  const auto problems = validateFields(fields);
  INFO(describe(problems));
  REQUIRE(problems.size() == 1);
  return problems.front();
}

}  // namespace

TEST_CASE("a full Referral built by set() is valid", "[validate]") {
  const std::string xml = buildReferral(fullReferral()).toXml();
  const auto problems = validateReferral(xml);
  INFO(describe(problems));
  CHECK(problems.empty());
}

TEST_CASE("a minimal Referral (required elements only) is valid", "[validate]") {
  const auto fields = referralFields({"statusReason/code",
                                      "statusReason/comment",
                                      "worker/gender",
                                      "worker/healthNumber/jurisdiction",
                                      "worker/healthNumber/value",
                                      "worker/healthNumber/versionCode",
                                      "worker/address/line[1]",
                                      "worker/address/line[2]",
                                      "worker/address/city",
                                      "worker/address/province",
                                      "worker/address/postalCode",
                                      "worker/address/country",
                                      "worker/phone",
                                      "injury[2]/bodyPart",
                                      "injury[2]/side",
                                      "injury[2]/nature",
                                      "injury[2]/diagnosisCode",
                                      "injury[2]/diagnosisSystem",
                                      "employer/name",
                                      "employer/contact",
                                      "employer/phone",
                                      "authorization/authId",
                                      "authorization/authorizedVisits",
                                      "authorization/start",
                                      "authorization/end",
                                      "service[2]/feeCode",
                                      "service[2]/description",
                                      "appointment",
                                      "notes"});
  const auto problems = validateFields(fields);
  INFO(describe(problems));
  CHECK(problems.empty());
}

TEST_CASE("a missing required element is reported at its own path", "[validate]") {
  SECTION("worker/birthDate") {
    const Problem problem = onlyProblem(referralFields({"worker/birthDate"}));
    CHECK(problem.severity == Problem::Severity::kError);
    CHECK(problem.path == "worker/birthDate");
    CHECK(problem.message == "required element 'birthDate' is missing");
  }
  SECTION("after optional siblings") {
    const Problem problem = onlyProblem(
        referralFields({"requester/name", "requester/role", "requester/phone", "requester/email"}));
    CHECK(problem.path == "requester");
    CHECK(problem.message == "required element 'requester' is missing");
  }
  SECTION("at the end of its parent") {
    const Problem problem = onlyProblem(referralFields({"header/createdAt"}));
    CHECK(problem.path == "header/createdAt");
  }
  SECTION("a repeating element with no instance") {
    const Problem problem =
        onlyProblem(referralFields({"service[1]/feeCode", "service[1]/description",
                                    "service[2]/feeCode", "service[2]/description"}));
    CHECK(problem.path == "service[1]");
  }
  SECTION("out of order is not missing") {
    const std::string xml = buildReferral(fullReferral()).toXml();
    std::string swapped = xml;
    const std::string family = "<family>Doe</family>";
    const std::string given = "<given>Jane</given>";
    swapped.replace(swapped.find(family), family.size(), given);
    swapped.replace(swapped.find(given, swapped.find(given) + 1), given.size(), family);
    const auto problems = validateReferral(swapped);
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().path == "worker/given");
    CHECK(problems.front().message == "This element is not expected. Expected is ( family ).");
  }
  SECTION("inside a repeat") {
    const Problem problem = onlyProblem(referralFields({"injury[2]/nature"}));
    CHECK(problem.path == "injury[2]/nature");
  }
}

TEST_CASE("a bad value is reported at its path without the value", "[validate][phi]") {
  struct Case {
    std::string path;
    std::string value;
    std::string facet;  // what the message still says about the rule
  };
  const Case cases[] = {
      {"injury[2]/side", "X", "enumeration"},
      {"worker/birthDate", "1980-13-45", "xs:date"},
      {"header/claimNumber", "12AB34", "pattern"},
      {"header/documentId", "0F8FAD5B-D9CB-469F-A165-70867728950E", "pattern"},
      {"worker/healthNumber/jurisdiction", "British Columbia", "pattern"},
      {"worker/gender", "female", "enumeration"},
      {"authorization/authorizedVisits", "0", "positiveInteger"},
      {"appointment", "tomorrow at 9", "dateTime"},
      {"worker/address/line[2]", "", "length"},
      {"header/sourcePartner", "   ", "length"},
      {"notes", std::string(4001, 'n'), "length"},
      // Values built to confuse a redactor that looks for the closing quote.
      {"header/claimNumber", "Jane' is less than 'Doe", "pattern"},
      {"injury[1]/side", "' is not an element of the set {'Jane'}", "enumeration"},
      {"worker/birthDate", "'Jane Doe'", "xs:date"},
  };
  for (const Case& bad : cases) {
    INFO(bad.path << " = " << bad.value);
    const Problem problem = onlyProblem(referralFields({}, {{bad.path, bad.value}}));
    CHECK(problem.path == bad.path);
    CHECK(problem.message.find(bad.facet) != std::string::npos);
    if (bad.value.find_first_not_of(' ') != std::string::npos) {
      CHECK(problem.message.find("'" + bad.value + "'") == std::string::npos);
    }
    if (bad.value.size() > 1) {
      CHECK(problem.message.find(bad.value) == std::string::npos);
    }
    CHECK(problem.message.find("Jane") == std::string::npos);
    CHECK(problem.message.find("Element '") == std::string::npos);
  }
}

TEST_CASE("the enumeration message keeps the allowed codes and drops the value",
          "[validate][phi]") {
  const Problem problem = onlyProblem(referralFields({}, {{"injury[2]/side", "X"}}));
  CHECK(problem.path == "injury[2]/side");
  CHECK(problem.message ==
        "[facet 'enumeration'] The value is not an element of the set {'L', 'R', 'B', 'N'}.");
  CHECK(format(problem).rfind("ERROR injury[2]/side: ", 0) == 0);
}

TEST_CASE("several bad fields give several problems", "[validate]") {
  const auto problems = validateFields(referralFields(
      {},
      {{"header/board", "WCB"}, {"injury[1]/side", "left"}, {"worker/address/province", "bc"}}));
  INFO(describe(problems));
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].path == "header/board");
  CHECK(problems[1].path == "worker/address/province");
  CHECK(problems[2].path == "injury[1]/side");
}

TEST_CASE("elements the schema does not know, or in the wrong place", "[validate]") {
  SECTION("unknown element") {
    const auto problems = validateReferral(referralXmlWith(
        "<phone>604-555-0100</phone>", "<phone>604-555-0100</phone><nickname>JD</nickname>"));
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().path == "worker/nickname");
    CHECK(problems.front().message.find("not expected") != std::string::npos);
  }
  SECTION("repeated once-only element") {
    const auto problems = validateReferral(referralXmlWith(
        "<status>DECLINED</status>", "<status>DECLINED</status><status>ACCEPTED</status>"));
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().path == "status[2]");
  }
  SECTION("text where elements belong") {
    const auto problems = validateReferral(referralXmlWith("<worker>", "<worker>Jane Doe"));
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().path == "worker");
    CHECK(problems.front().message.find("Jane") == std::string::npos);
  }
  SECTION("an attribute") {
    const auto problems = validateReferral(referralXmlWith("<worker>", "<worker secret=\"Jane\">"));
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().path == "worker/@secret");
    CHECK(problems.front().message.find("Jane") == std::string::npos);
  }
}

TEST_CASE("the root element and namespace must be the Referral's", "[validate]") {
  const std::string xml = buildReferral(fullReferral()).toXml();
  std::string other_ns = xml;
  other_ns.replace(other_ns.find("urn:rtw:worksafe:referral:v1"), 28,
                   "urn:rtw:worksafe:referral:v2");
  std::string no_ns = xml;
  no_ns.replace(no_ns.find(" xmlns=\"urn:rtw:worksafe:referral:v1\""), 37, "");
  std::string other_root = xml;
  other_root.replace(other_root.find("<Referral"), 9, "<Report");
  other_root.replace(other_root.find("</Referral>"), 11, "</Report>");

  for (const std::string& bad : {other_ns, no_ns, other_root}) {
    const auto problems = validateReferral(bad);
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().path.empty());
    CHECK_THAT(problems.front().message,
               Catch::StartsWith("the root element must be 'Referral' in namespace "
                                 "'urn:rtw:worksafe:referral:v1'"));
  }
}

TEST_CASE("validation problems never reach stderr", "[validate]") {
  StderrCapture stderr_capture;
  const auto problems =
      validateFields(referralFields({"worker/family"}, {{"injury[2]/side", "X"}}));
  CHECK(problems.size() == 2);
  CHECK(stderr_capture.text().empty());
}

TEST_CASE("detectType() goes by the root namespace", "[validate]") {
  const std::string xml = buildReferral(fullReferral()).toXml();
  CHECK(schemas()->detectType(xml) == DocumentType::kReferral);
  CHECK(schemas()->detectType("<Referral xmlns=\"urn:rtw:worksafe:referral:v1\"/>") ==
        DocumentType::kReferral);
  CHECK_FALSE(schemas()->detectType("<Referral xmlns=\"urn:example:other\"/>"));
  CHECK_FALSE(schemas()->detectType("<Referral/>"));
  CHECK_FALSE(schemas()->detectType("not xml at all"));
  CHECK_FALSE(schemas()->detectType(""));
}

TEST_CASE("four threads validating at once get the same answers as one", "[validate][threads]") {
  struct Sample {
    std::string xml;
    std::vector<std::string> expected;  // formatted problems
  };
  std::vector<Sample> samples;
  const std::vector<std::vector<Field>> variants = {
      fullReferral(),
      referralFields({}, {{"injury[2]/side", "X"}}),
      referralFields({"worker/birthDate"}),
      referralFields({}, {{"header/claimNumber", "12AB34"}, {"worker/birthDate", "1980-02-30"}}),
      referralFields({"service[1]/description", "service[2]/description"}),
  };
  for (const auto& fields : variants) {
    Sample sample{buildReferral(fields).toXml(), {}};
    for (const auto& problem : validateReferral(sample.xml)) {
      sample.expected.push_back(format(problem));
    }
    samples.push_back(std::move(sample));
  }
  REQUIRE(samples[0].expected.empty());
  REQUIRE(samples[3].expected.size() == 2);

  constexpr int kThreads = 4;
  constexpr int kRounds = 100;
  std::atomic<int> mismatches{0};
  std::atomic<int> validated{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        const Sample& sample = samples[static_cast<std::size_t>(round + t) % samples.size()];
        std::vector<std::string> got;
        for (const auto& problem : validateReferral(sample.xml)) {
          got.push_back(format(problem));
        }
        if (got != sample.expected) {
          ++mismatches;
        }
        ++validated;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(validated == kThreads * kRounds);
  CHECK(mismatches == 0);
}
