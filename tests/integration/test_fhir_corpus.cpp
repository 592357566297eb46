// Real R4 resources written by others (../shared/corpus/fhir: HL7's R4
// examples, HAPI's test data, Da Vinci PAS samples), each posted to the
// endpoint as a clinic's EMR would — JSON and XML, at [base]/{type} or, for a
// Bundle, at [base] — by westcoast-fhir. None is a referral, report or claim
// of ours: each gets a clear FHIR answer (an OperationOutcome with a 4xx, or
// a Bundle response), never a 5xx, a hang or a crash, and nothing of it is
// journaled.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fhir_client.h"
#include "rtw/fhir/resource.h"
#include "rtw/fhir/xml.h"

using namespace rtw::testing;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The resource type a corpus file holds ("" when it is not a resource).
std::string typeOf(const std::string& text, bool xml) {
  std::string error;
  const auto resource =
      xml ? rtw::fhir::parseXml(text, error) : rtw::fhir::Resource::parseJson(text, error);
  return resource ? resource->resourceType() : "";
}

}  // namespace

TEST_CASE("FHIR: every corpus resource, JSON or XML, gets a FHIR answer and nothing is kept") {
  RunningSystem system;
  int posted = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(RTW_CORPUS_DIR) / "fhir")) {
    const std::string extension = entry.path().extension().string();
    if (extension != ".json" && extension != ".xml") {
      continue;
    }
    const bool xml = extension == ".xml";
    const std::string text = readAll(entry.path());
    const std::string type = typeOf(text, xml);
    INFO(entry.path().filename().string() << " (" << (type.empty() ? "no resource" : type) << ")");
    const std::string target = type == "Bundle" || type.empty() ? "/fhir" : "/fhir/" + type;
    const Answer answer = call(system, "westcoast-fhir", "POST", target, text,
                               xml ? "application/fhir+xml" : "application/fhir+json", "", "");
    ++posted;
    CHECK(answer.status >= 200);
    CHECK(answer.status < 500);
    // The answer is FHIR in the request's own format: an OperationOutcome
    // for a refusal, a Bundle for a batch.
    const std::string answered = typeOf(answer.body, xml);
    if (answer.status >= 400) {
      CHECK(answered == "OperationOutcome");
    } else {
      CHECK(answered == "Bundle");
    }
  }
  CHECK(posted >= 40);
  CHECK(system.gateway().running());
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == "0\n");
}
