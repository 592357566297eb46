// The FHIR endpoint under fire: EMR threads post ServiceRequests over mutual
// TLS, each a conditional create (If-None-Exist on its own business
// identifier), resending until they get 201 or 200, while the gateway is
// killed with SIGKILL at random moments and restarted on the same ports and
// journal. At the end every resource answered 201/200 is at the board
// exactly once, under the id its answer named.

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>

#include "../integration/harness.h"
#include "rtw/security/tls.h"

using namespace rtw::testing;

namespace {

int setting(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value ? std::atoi(value) : fallback;
}

std::string referralTemplate() {
  std::ifstream in(std::string(RTW_SOURCE_DIR) +
                   "/tests/golden/westcoast-fhir/servicerequest-referral.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Posts one resource until the gateway answers 201 or 200 (a conditional
/// create it already holds); returns the id its Location names.
std::string postUntilAccepted(RunningSystem& system, const std::string& body,
                              const std::string& condition, std::atomic<int>& resends) {
  const auto tls = rtw::security::clientContext(TestCertificates::get().partner("westcoast-fhir"));
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0) {
      ++resends;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    try {
      Poco::Net::HTTPSClientSession session("localhost", system.httpsPort(), tls);
      session.setTimeout(Poco::Timespan(10, 0));
      Poco::Net::HTTPRequest request("POST", "/fhir/ServiceRequest",
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.setContentType("application/fhir+json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      request.set("If-None-Exist", condition);
      request.set("Prefer", "return=minimal");
      session.sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      std::string ignored;
      Poco::StreamCopier::copyToString(session.receiveResponse(response), ignored);
      if (response.getStatus() == 201 || response.getStatus() == 200) {
        const std::string location = response.get("Location", "");
        const auto start = location.find("/ServiceRequest/") + 16;
        return location.substr(start, location.find('/', start) - start);
      }
    } catch (const std::exception&) {
      // The gateway died under this request: send it again.
    }
  }
}

}  // namespace

TEST_CASE("FHIR under kill -9: every resource answered 201 or 200 reaches the board once") {
  const int resources = setting("RTW_FHIR_CRASH_RESOURCES", 1500);
  const int kills = setting("RTW_FHIR_CRASH_KILLS", 6);
  const int senders = 4;
  RunningSystem system({"delivery.baseBackoffMs=50", "delivery.maxBackoffMs=500"});
  const std::string referral = referralTemplate();
  REQUIRE(referral.find("WC-2026-0042") != std::string::npos);

  std::mutex mutex;
  std::set<std::string> ids;  // what the answers named
  std::atomic<int> resends{0};
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int s = 0; s < senders; ++s) {
    threads.emplace_back([&, s] {
      for (int n = s; n < resources; n += senders) {
        std::string body = referral;
        const std::string value = "WC-K" + std::to_string(n);
        body.replace(body.find("WC-2026-0042"), 12, value);
        const std::string id = postUntilAccepted(
            system, body, "identifier=https://westcoast.example/referrals|" + value, resends);
        std::lock_guard lock(mutex);
        ids.insert(id);
      }
      ++done;
    });
  }
  std::mt19937 random(20261208);
  int killed = 0;
  for (; killed < kills && done < senders; ++killed) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + random() % 300));
    system.gateway().kill();
    system.startGateway();
  }
  for (auto& thread : threads) {
    thread.join();
  }
  REQUIRE(ids.size() == static_cast<std::size_t>(resources));  // one id per resource

  // Kills that landed in a translation may have set one aside (see the MLLP
  // campaign): reprocess those, then count.
  const std::string set_aside = system.queryJournal(
      "SELECT group_concat(id, ' ') FROM messages WHERE state = 'dead'"
      " AND reason LIKE 'set aside: translation did not finish in%'");
  const std::string dead = set_aside.substr(0, set_aside.find('\n'));
  if (!dead.empty()) {
    REQUIRE(std::system((std::string(RTW_BINARY_DIR) + "/bin/rtwctl messages reprocess " + dead +
                         " --journal '" + system.journalFile().string() + "' > /dev/null")
                            .c_str()) == 0);
  }
  CHECK(waitUntil([&] { return system.accepted("referral").size() >= ids.size(); },
                  std::chrono::seconds(60)));
  const auto counts = system.acceptedPerMessage("referral");
  int lost = 0;
  int duplicates = 0;
  for (const std::string& id : ids) {
    const auto it = counts.find("ServiceRequest/" + id);
    lost += it == counts.end() ? 1 : 0;
    duplicates += (it != counts.end() && it->second > 1) ? it->second - 1 : 0;
  }
  INFO("resources " << resources << ", kills " << killed << ", resends " << resends.load()
                    << ", lost " << lost << ", duplicates " << duplicates);
  CHECK(killed == kills);
  CHECK(lost == 0);
  CHECK(duplicates == 0);
  CHECK(counts.size() == ids.size());  // nothing at the board that was not answered
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") == std::to_string(resources) + "\n");
  CHECK(system.queryJournal("PRAGMA integrity_check") == "ok\n");
  WARN("FHIR crash campaign: " << resources << " resources over " << senders << " clients, "
                               << killed << " kills, " << resends.load() << " resends, " << lost
                               << " lost, " << duplicates << " duplicates at the board");
}
