// Two gateway instances share one PostgreSQL journal, as behind a TCP load
// balancer. Senders stream unique messages to both; one instance is killed
// with SIGKILL mid-stream and its senders move to the other, resending what
// was not acknowledged. The survivor answers resends with the stored ACK and
// finishes the dead instance's work once its leases run out: every message
// reaches the board exactly once.

#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "../integration/harness.h"
#include "postgres_database.h"
#include "resending_sender.h"
#include "rtw/hl7v2/message.h"
#include "rtw/store/journal.h"

using namespace rtw::testing;

namespace {

struct Instance {
  std::atomic<std::uint16_t> port{0};
  std::atomic<bool> alive{true};
};

/// Sends each message until it gets AA, to `first` while it lives, then to
/// `second` (the load balancer's failover).
void sendAll(const std::vector<int>& numbers, Instance& first, Instance& second,
             std::set<int>& acked, std::mutex& mutex, std::atomic<int>& resends) {
  const auto tls = rtw::security::clientContext(TestCertificates::get().partner("clinic01"));
  ResendingSender sender([&] {
    Instance& target = first.alive ? first : second;
    return std::make_unique<rtw::transport::MllpClient>("localhost", target.port.load(), tls,
                                                        10'000);
  });
  for (int number : numbers) {
    sender.send(originalModeReferral("PG" + std::to_string(number)));
    std::lock_guard lock(mutex);
    acked.insert(number);
  }
  resends += sender.resends();
}

}  // namespace

TEST_CASE("two instances on one PostgreSQL journal, one killed mid-stream: all delivered once") {
  constexpr int kMessages = 600;
  PostgresDatabase database;
  RunningSystem system({"store.backend=postgresql", "store.postgresql=" + database.conninfo(),
                        "store.leaseMs=2000", "delivery.baseBackoffMs=50",
                        "delivery.maxBackoffMs=500"});
  Instance a, b;
  a.port = system.mllpPort();
  std::uint16_t b_port = 0;
  auto b_process = system.startPeerGateway("gateway-b", b_port);
  b.port = b_port;

  std::set<int> acked;
  std::mutex mutex;
  std::atomic<int> resends{0};
  std::vector<std::thread> senders;
  for (int c = 0; c < 4; ++c) {
    std::vector<int> share;
    for (int n = c; n < kMessages; n += 4) {
      share.push_back(n);
    }
    Instance& first = c < 2 ? a : b;
    Instance& second = c < 2 ? b : a;
    senders.emplace_back([&, share] { sendAll(share, first, second, acked, mutex, resends); });
  }
  // Kill A once a third of the messages are in, while it holds work.
  REQUIRE(waitUntil(
      [&] {
        std::lock_guard lock(mutex);
        return acked.size() >= kMessages / 3;
      },
      std::chrono::seconds(60)));
  a.alive = false;
  system.gateway().kill();
  for (auto& sender : senders) {
    sender.join();
  }
  REQUIRE(acked.size() == static_cast<std::size_t>(kMessages));

  bool drained = false;
  for (std::size_t seen = 0;;) {
    drained = waitUntil([&] { return system.accepted("referral").size() >= kMessages; },
                        std::chrono::seconds(30));
    const std::size_t now_seen = system.accepted("referral").size();
    if (drained || now_seen == seen) {
      break;
    }
    seen = now_seen;
  }
  const auto counts = system.acceptedPerMessage("referral");
  int lost = 0;
  int duplicates = 0;
  for (int number = 0; number < kMessages; ++number) {
    const auto it = counts.find("PG" + std::to_string(number));
    lost += it == counts.end() ? 1 : 0;
    duplicates += (it != counts.end() && it->second > 1) ? it->second - 1 : 0;
  }
  INFO("resends " << resends.load() << ", lost " << lost << ", duplicates " << duplicates);
  CHECK(drained);
  CHECK(lost == 0);
  CHECK(duplicates == 0);
  rtw::store::JournalOptions options;
  options.backend = rtw::store::Backend::kPostgresql;
  rtw::store::Journal journal(database.conninfo(), options);
  REQUIRE(waitUntil([&] { return journal.counts().delivered == kMessages; }));
  CHECK(journal.counts().received == 0);
  CHECK(b_process->running());
  WARN("shared PostgreSQL: " << kMessages << " messages, 2 instances, 1 killed, " << resends.load()
                             << " resends, " << lost << " lost, " << duplicates
                             << " duplicates at the board");
}
