// The samples README tells a user to send work on the day they are sent:
// each is dated for today with rtwctl hl7 redate, sent over MLLP/TLS with
// its partner's certificate, acknowledged AA and delivered to the board.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <vector>

#include "harness.h"
#include "rtw/hl7v2/message.h"
#include "rtw/worksafe/schema.h"

using namespace rtw::testing;

namespace {

namespace fs = std::filesystem;

// README's "Send the sample referral": partner → the files it says to send.
std::map<std::string, std::vector<fs::path>> samples() {
  const fs::path source = RTW_SOURCE_DIR;
  std::map<std::string, std::vector<fs::path>> files;
  files["clinic01"].push_back(source / "tests/data/hl7/ref-i12-sample.hl7");
  for (const std::string partner : {"harbour-physio", "lakeshore-msk"}) {
    for (const auto& entry : fs::directory_iterator(source / "tests/golden" / partner)) {
      if (entry.path().extension() == ".hl7") {
        files[partner].push_back(entry.path());
      }
    }
  }
  return files;
}

std::string field(const std::string& message, const std::string& path) {
  auto parsed = rtw::hl7v2::Message::parse(message);
  REQUIRE(parsed.message);
  return parsed.message->get(path);
}

bool deliveredAny(const RunningSystem& system, const std::string& control_id) {
  static const auto schemas = rtw::worksafe::SchemaSet::load(RTW_SOURCE_DIR "/mappings/worksafe");
  for (const char* type : {"referral", "report", "invoice"}) {
    for (const auto& accepted : system.accepted(type)) {
      if (schemas->read(accepted.body).get("header/sourceMessageId") == control_id) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

TEST_CASE("every sample README says to send, dated for today, is acknowledged AA and delivered") {
  RunningSystem system;
  for (const auto& [partner, files] : samples()) {
    const fs::path dir = system.dir() / "samples" / partner;
    std::string command = "'" RTW_BINARY_DIR "/bin/rtwctl' hl7 redate --out '" + dir.string() + "'";
    for (const auto& file : files) {
      command += " '" + file.string() + "'";
    }
    REQUIRE(std::system((command + " 2>/dev/null").c_str()) == 0);
    for (const auto& file : files) {
      INFO(partner << " " << file.filename().string());
      const std::string message = readFile(dir / file.filename());
      auto client = system.connect(TestCertificates::get().partner(partner));
      const auto first = client->exchange(message);
      REQUIRE(first);
      const std::string code = field(*first, "MSA-1");
      CHECK((code == "CA" || code == "AA"));
      if (code == "CA") {
        const auto application = client->receive();
        REQUIRE(application);
        CHECK(field(*application, "MSA-1") == "AA");
        CHECK(field(*application, "MSA-3") == "");  // no error text
      }
      const std::string control_id = field(message, "MSH-10");
      CHECK(waitUntil([&] { return deliveredAny(system, control_id); }));
    }
  }
}
