// A number on rtwctl's command line that is not one (or out of range) is a
// usage error a person can act on: a sentence naming the argument, the
// usage, exit 2, and nothing done (no journal opened or created).

#include <catch2/catch.hpp>

#include "map_scratch.h"

using namespace rtw::testing;

namespace {

void checkUsageError(const MapScratch& scratch, const std::vector<std::string>& args,
                     const std::string& sentence) {
  INFO(sentence);
  const Run run = scratch.rtwctl(args);
  CHECK(run.status == 2);
  CHECK_THAT(run.err, Catch::Contains(sentence) && Catch::Contains("\nusage:\n"));
  CHECK(run.out.empty());
}

}  // namespace

TEST_CASE("rtwctl messages names the argument whose number is bad and exits 2",
          "[rtwctl][messages]") {
  MapScratch scratch;
  const std::string journal = (scratch.dir() / "journal.sqlite").string();
  const auto messages = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "messages");
    args.insert(args.end(), {"--journal", journal});
    return args;
  };
  checkUsageError(scratch, messages({"list", "--limit", "ten"}),
                  "rtwctl messages: --limit must be a whole number from 1 to 1000000, not 'ten'");
  checkUsageError(scratch, messages({"list", "--limit", "5x"}), "not '5x'");
  checkUsageError(scratch, messages({"list", "--limit", "0"}), "--limit must be");
  checkUsageError(scratch, messages({"list", "--limit", "99999999999999999999"}),
                  "--limit must be a whole number");
  checkUsageError(scratch, messages({"show", "abc"}),
                  "rtwctl messages: a message id must be a whole number from 1, not 'abc'");
  checkUsageError(scratch, messages({"show", "-3"}), "not '-3'");
  checkUsageError(scratch, messages({"show", "12abc"}), "not '12abc'");
  checkUsageError(scratch, messages({"reprocess", "1", "two"}),
                  "a message id must be a whole number from 1, not 'two'");
  checkUsageError(scratch, messages({"purge", "--older-than", "7d"}),
                  "--older-than (days) must be a whole number from 0 to 36500, not '7d'");
  checkUsageError(scratch, messages({"purge", "--older-than", "-1"}), "not '-1'");
  checkUsageError(scratch, messages({"purge", "--older-than", "2147483648"}), "to 36500");
  // A usage error touches nothing: the journal was never opened.
  CHECK_FALSE(fs::exists(journal));

  const Run good = scratch.rtwctl(messages({"list", "--limit", "5"}));
  CHECK(good.status == 0);
  CHECK_THAT(good.out, Catch::StartsWith("id\tpartner\t"));
  CHECK(scratch.rtwctl(messages({"purge", "--older-than", "0"})).status == 0);
}

TEST_CASE("rtwctl send names a port that is not one instead of wrapping it", "[rtwctl][send]") {
  MapScratch scratch;
  const std::string file = kGolden + "harbour-physio/referral.hl7";
  const auto send = [&](const std::string& target) {
    return std::vector<std::string>{"send",  "--mllp", target, "--cert", "c.pem",
                                    "--key", "c.key",  "--ca", "ca.pem", file};
  };
  // 2575 + 65536: once cast to 16 bits it was port 2575.
  checkUsageError(scratch, send("localhost:68111"),
                  "rtwctl send: the port of --mllp localhost:68111 must be a whole number from 1 "
                  "to 65535, not '68111'");
  checkUsageError(scratch, send("localhost:mllp"), "not 'mllp'");
  checkUsageError(scratch, send("localhost:"), "not ''");
}
