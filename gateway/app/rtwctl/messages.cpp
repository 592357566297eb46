// rtwctl messages: what operators do with the journal.
//   list [--partner P] [--state S] [--from DATE] [--until DATE] [--claim N] [--limit N]
//   show ID [--payload]
//   reprocess ID...
//   purge --older-than DAYS
// All take --journal FILE (default var/journal.sqlite), or --postgresql
// CONNINFO for a shared PostgreSQL journal. The running gateway may keep
// running: SQLite's WAL lets both use the file.

#include <iostream>
#include <limits>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timespan.h>

#include "cli.h"
#include "rtw/store/journal.h"

namespace rtw::app::cli {
namespace {

constexpr int kMaxLimit = 1'000'000;
constexpr int kMaxDays = 36'500;  // a century: the cutoff stays a date Poco can hold

std::int64_t messageId(const std::string& text) {
  return wholeNumber("a message id", text, 1, std::numeric_limits<std::int64_t>::max());
}

// Every number on the command line, read before the journal is opened: a
// typo is a usage error (exit 2) that touches nothing.
void checkNumbers(const std::string& action, const Arguments& args) {
  if (args.has("limit")) {
    wholeNumber("--limit", args.value("limit", ""), 1, kMaxLimit);
  }
  if (args.has("older-than")) {
    wholeNumber("--older-than (days)", args.value("older-than", ""), 0, kMaxDays);
  }
  if (action == "show" || action == "reprocess") {
    for (const auto& id : args.files) {
      messageId(id);
    }
  }
}

std::string oneLine(std::string text) {
  for (char& c : text) {
    c = (c == '\r' || c == '\n') ? ' ' : c;
  }
  return text;
}

int list(store::Journal& journal, const Arguments& args) {
  store::MessageFilter filter;
  filter.partner = args.value("partner", "");
  filter.state = args.value("state", "");
  filter.received_from = args.value("from", "");
  filter.received_until = args.value("until", "");
  filter.claim_number = args.value("claim", "");
  filter.limit = static_cast<int>(wholeNumber("--limit", args.value("limit", "100"), 1, kMaxLimit));
  std::cout << "id\tpartner\tcontrol_id\ttype\tstate\treceived_at\tupdated_at\treason\n";
  for (const auto& m : journal.list(filter)) {
    std::cout << m.id << '\t' << m.partner << '\t' << m.control_id << '\t' << m.message_type << '\t'
              << store::toString(m.state) << '\t' << m.received_at << '\t' << m.updated_at << '\t'
              << oneLine(m.reason) << '\n';
  }
  return kOk;
}

int show(store::Journal& journal, const Arguments& args) {
  if (args.files.size() != 1) {
    throw UsageError("show takes one message id");
  }
  const std::int64_t id = messageId(args.files[0]);
  const std::optional<store::JournalEntry> m = journal.message(id);
  if (!m) {
    std::cerr << "no message " << id << "\n";
    return kFailed;
  }
  std::cout << "message " << m->id << "\npartner " << m->partner << "\nchannel " << m->channel
            << "\ncontrol_id " << m->control_id << "\ntype " << m->message_type << "\nstate "
            << store::toString(m->state) << "\nreceived_at " << m->received_at << "\nupdated_at "
            << m->updated_at << "\nreason " << oneLine(m->reason) << "\nack "
            << oneLine(journal.ack(id)) << "\n";
  for (const auto& row : journal.outbox(id)) {
    std::cout << "document " << row.document_id << " " << row.document_type << " claim "
              << row.claim_number << " " << row.state << " attempts " << row.attempts
              << (row.receipt.empty() ? "" : " receipt " + row.receipt)
              << (row.last_error.empty() ? "" : " last_error " + oneLine(row.last_error)) << "\n";
  }
  // The payload holds patient data: only on request, never by default.
  if (args.flag("payload")) {
    std::cout << "payload\n" << oneLine(m->payload) << "\n";
  }
  return kOk;
}

int reprocess(store::Journal& journal, const Arguments& args) {
  if (args.files.empty()) {
    throw UsageError("reprocess takes message ids");
  }
  int refused = 0;
  for (const auto& text : args.files) {
    const std::int64_t id = messageId(text);
    if (journal.reprocess(id)) {
      std::cout << "message " << id << " queued again\n";
    } else {
      std::cout << "message " << id << " is not dead or rejected; left as it is\n";
      ++refused;
    }
  }
  return refused == 0 ? kOk : kFailed;
}

int purge(store::Journal& journal, const Arguments& args) {
  const int days = static_cast<int>(
      wholeNumber("--older-than (days)", args.required("older-than"), 0, kMaxDays));
  const Poco::DateTime before = Poco::DateTime() - Poco::Timespan(days, 0, 0, 0, 0);
  const std::string cutoff =
      Poco::DateTimeFormatter::format(before, Poco::DateTimeFormat::ISO8601_FRAC_FORMAT);
  std::cout << "purged the payloads of " << journal.purgePayloads(cutoff)
            << " delivered message(s) last updated before " << cutoff << "\n";
  return kOk;
}

}  // namespace

int runMessages(int argc, char** argv) {
  if (argc < 3) {
    throw UsageError("messages needs list, show, reprocess or purge");
  }
  const std::string action = argv[2];
  const Arguments args = parseArguments(argc, argv, 3,
                                        {"journal", "postgresql", "partner", "state", "from",
                                         "until", "claim", "limit", "older-than"});
  checkNumbers(action, args);
  store::JournalOptions options;
  std::string target = args.value("journal", "var/journal.sqlite");
  if (!args.value("postgresql", "").empty()) {
    options.backend = store::Backend::kPostgresql;
    target = args.value("postgresql", "");
  }
  store::Journal journal(target, options);
  if (action == "list") {
    return list(journal, args);
  }
  if (action == "show") {
    return show(journal, args);
  }
  if (action == "reprocess") {
    return reprocess(journal, args);
  }
  if (action == "purge") {
    return purge(journal, args);
  }
  throw UsageError("unknown messages action '" + action + "'");
}

}  // namespace rtw::app::cli
