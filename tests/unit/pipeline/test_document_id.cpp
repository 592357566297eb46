// The board document ids: stable per message, distinct across journals, a
// valid UUID for the board's schema, and in message order.

#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "rtw/pipeline/document_id.h"

using rtw::pipeline::stableDocumentId;
using rtw::store::JournalEntry;

namespace {

JournalEntry entry(std::int64_t id, const std::string& control_id = "MSG0001") {
  JournalEntry e;
  e.id = id;
  e.partner = "clinic01";
  e.channel = "mllp";
  e.control_id = control_id;
  return e;
}

}  // namespace

TEST_CASE("a message's document ids are the same each time it is translated") {
  CHECK(stableDocumentId("journal-a", entry(42), 0) == stableDocumentId("journal-a", entry(42), 0));
  CHECK(stableDocumentId("journal-a", entry(42), 0) != stableDocumentId("journal-a", entry(42), 1));
  CHECK(stableDocumentId("journal-a", entry(42), 0) !=
        stableDocumentId("journal-a", entry(42, "MSG0002"), 0));
}

TEST_CASE("two journals never give the same document id for their messages") {
  std::set<std::string> ids;
  for (std::int64_t id = 1; id <= 500; ++id) {
    ids.insert(stableDocumentId("journal-a", entry(id), 0));
    ids.insert(stableDocumentId("journal-b", entry(id), 0));
  }
  CHECK(ids.size() == 1000);
}

TEST_CASE("document ids are UUIDs of version 8 the board's schema accepts") {
  // common-v1.xsd UuidType, and RFC 9562's version and variant bits.
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (std::int64_t id : {1LL, 255LL, 65'536LL, 281'474'976'710'655LL}) {
    const std::string document_id = stableDocumentId("journal-a", entry(id), 3);
    INFO(document_id);
    CHECK(std::regex_match(document_id, uuid));
  }
  CHECK(stableDocumentId("journal-a", entry(0x0102030405), 0).substr(0, 13) == "00010203-0405");
}

TEST_CASE("later messages have document ids that sort later") {
  std::vector<std::string> ids;
  for (std::int64_t id = 1; id <= 70'000; id += 7) {
    ids.push_back(stableDocumentId("journal-a", entry(id, "C" + std::to_string(id)), 0));
  }
  CHECK(std::is_sorted(ids.begin(), ids.end()));
}
