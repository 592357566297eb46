// The FHIR endpoint under fire: EMR threads post ServiceRequests over mutual
// TLS, each a conditional create (If-None-Exist on its own business
// identifier), resending until they get 201 or 200, while the gateway is
// killed with SIGKILL at random moments and restarted on the same ports and
// journal. At the end every resource answered 201/200 is at the board
// exactly once, under the id its answer named. The same for transaction
// Bundles (each with its own Bundle.identifier): every ServiceRequest of an
// answered transaction is at the board once.

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

#include <rapidjson/document.h>

#include "../integration/fhir_client.h"
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

/// Posts until the gateway answers 201 or 200 (a conditional create or a
/// transaction it already holds); returns the answer's Location and body.
std::pair<std::string, std::string> postUntilAccepted(RunningSystem& system,
                                                      const std::string& target,
                                                      const std::string& body,
                                                      const std::string& condition,
                                                      std::atomic<int>& resends) {
  const auto tls = rtw::security::clientContext(TestCertificates::get().partner("westcoast-fhir"));
  for (int attempt = 0;; ++attempt) {
    if (attempt > 0) {
      ++resends;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    try {
      Poco::Net::HTTPSClientSession session("localhost", system.httpsPort(), tls);
      session.setTimeout(Poco::Timespan(10, 0));
      Poco::Net::HTTPRequest request("POST", target, Poco::Net::HTTPMessage::HTTP_1_1);
      request.setContentType("application/fhir+json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      if (!condition.empty()) {
        request.set("If-None-Exist", condition);
      }
      request.set("Prefer", "return=minimal");
      session.sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      std::string answer;
      Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
      if (response.getStatus() == 201 || response.getStatus() == 200) {
        return {response.get("Location", ""), answer};
      }
    } catch (const std::exception&) {
      // The gateway died under this request: send it again.
    }
  }
}

/// The id in ".../ServiceRequest/<id>/_history/1".
std::string serviceRequestId(const std::string& location) {
  const auto start = location.find("/ServiceRequest/") + 16;
  return location.substr(start, location.find('/', start) - start);
}

/// Kills the gateway `kills` times at random moments while senders run.
int killWhileSending(RunningSystem& system, int kills, int senders, const std::atomic<int>& done) {
  std::mt19937 random(20261208);
  int killed = 0;
  for (; killed < kills && done < senders; ++killed) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + random() % 300));
    system.gateway().kill();
    system.startGateway();
  }
  return killed;
}

/// Reprocesses what kills set aside mid-translation, waits for the board,
/// and counts the ids not at the board and those there more than once.
std::pair<int, int> lostAndDuplicated(RunningSystem& system, const std::set<std::string>& ids,
                                      std::map<std::string, int>& counts) {
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
  counts = system.acceptedPerMessage("referral");
  int lost = 0;
  int duplicates = 0;
  for (const std::string& id : ids) {
    const auto it = counts.find("ServiceRequest/" + id);
    lost += it == counts.end() ? 1 : 0;
    duplicates += (it != counts.end() && it->second > 1) ? it->second - 1 : 0;
  }
  return {lost, duplicates};
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
        // Its own referral id and claim number: westcoast-fhir delivers a
        // claim's documents in order, one after the other, and a clinic's
        // day is many claims.
        std::string body = replaced(referral, "12345678", std::to_string(30'000'000 + n));
        const std::string value = "WC-K" + std::to_string(n);
        body.replace(body.find("WC-2026-0042"), 12, value);
        const std::string id = serviceRequestId(
            postUntilAccepted(system, "/fhir/ServiceRequest", body,
                              "identifier=https://westcoast.example/referrals|" + value, resends)
                .first);
        std::lock_guard lock(mutex);
        ids.insert(id);
      }
      ++done;
    });
  }
  const int killed = killWhileSending(system, kills, senders, done);
  for (auto& thread : threads) {
    thread.join();
  }
  REQUIRE(ids.size() == static_cast<std::size_t>(resources));  // one id per resource

  // Kills that landed in a translation may have set one aside (see the MLLP
  // campaign): reprocessed, then counted.
  std::map<std::string, int> counts;
  const auto [lost, duplicates] = lostAndDuplicated(system, ids, counts);
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

TEST_CASE("FHIR transactions under kill -9: every ServiceRequest answered reaches the board once") {
  const int transactions = setting("RTW_FHIR_CRASH_TRANSACTIONS", 300);
  const int kills = setting("RTW_FHIR_CRASH_KILLS", 6);
  const int senders = 4;
  RunningSystem system({"delivery.baseBackoffMs=50", "delivery.maxBackoffMs=500"});

  std::mutex mutex;
  std::set<std::string> ids;  // the ServiceRequests the answers named
  std::atomic<int> resends{0};
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int s = 0; s < senders; ++s) {
    threads.emplace_back([&, s] {
      for (int n = s; n < transactions; n += senders) {
        // Two referrals (8 entries) per transaction, its own identifier:
        // a resend after a kill is the same transaction.
        const std::string bundle =
            transactionBundle(transactionEntries(2 * n) + "," + transactionEntries(2 * n + 1),
                              "TX-K" + std::to_string(n));
        const std::string body = postUntilAccepted(system, "/fhir", bundle, "", resends).second;
        rapidjson::Document response;
        response.Parse(body.c_str());
        // No assertion off the test's thread (Catch2): a bad answer is an id
        // missing from the count below.
        if (!response.IsObject() || !response.HasMember("entry") || response["entry"].Size() != 8) {
          continue;
        }
        std::lock_guard lock(mutex);
        for (const rapidjson::SizeType entry : {3u, 7u}) {
          ids.insert(
              serviceRequestId(response["entry"][entry]["response"]["location"].GetString()));
        }
      }
      ++done;
    });
  }
  const int killed = killWhileSending(system, kills, senders, done);
  for (auto& thread : threads) {
    thread.join();
  }
  REQUIRE(ids.size() == static_cast<std::size_t>(2 * transactions));
  std::map<std::string, int> counts;
  const auto [lost, duplicates] = lostAndDuplicated(system, ids, counts);
  INFO("transactions " << transactions << ", kills " << killed << ", resends " << resends.load()
                       << ", lost " << lost << ", duplicates " << duplicates);
  CHECK(killed == kills);
  CHECK(lost == 0);
  CHECK(duplicates == 0);
  CHECK(counts.size() == ids.size());
  CHECK(system.queryJournal("SELECT COUNT(*) FROM messages") ==
        std::to_string(transactions) + "\n");
  CHECK(system.queryJournal("PRAGMA integrity_check") == "ok\n");
  WARN("FHIR transaction crash campaign: " << transactions << " transactions over " << senders
                                           << " clients, " << killed << " kills, " << resends.load()
                                           << " resends, " << lost << " lost, " << duplicates
                                           << " duplicates at the board");
}
