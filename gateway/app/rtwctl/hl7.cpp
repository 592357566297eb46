// rtwctl hl7: parse and ack, for integration engineers reading a feed.
//
//   rtwctl hl7 parse FILE [--get PATH]... [--raw] [--json] [--charset NAME]
//   rtwctl hl7 ack FILE [--code AA|AE|AR|CA|CE|CR] [--charset NAME]
//                       [--control-id ID] [--timestamp TS]
//
// A FILE may hold one message, several, or FHS/BHS batches (parseBatch()).
// When it holds more than one, `parse` prints "# message N" before each
// message's values and `ack` a blank line between ACKs; --json prints one
// JSON document per line either way. Messages that do not parse are named
// on stderr ("FILE: message N (line L): not HL7 v2: ...") and make the exit
// code 1; envelope problems (a BTS-1 count that does not match, ...) are
// printed on stderr as warnings and do not.
//
// A value is what mappings read (Message::get()): one primitive, decoded,
// never the sender's delimiters; --raw prints each position whole with its
// separators (Message::getEncoded(), a rule's "encoded": true). --get with
// --json prints one object per message, path to value (to an array of
// values for a '*' path): {"MSH-10":"MSG0001","PID-3(*).1":["A","B"]}.
//
// JSON shape of --json alone, one object per message:
//   {"type":"REF^I12","control_id":"MSG0001","version":"2.5",
//    "segments":[{"id":"MSH","fields":[["|"],["^~\\&"],["CLINICEMR"],...]}, ...]}
// fields[n-1] is field n (for MSH, FHS and BHS too). A field is an array of
// repetitions ([] when empty); a repetition is a string when it has one
// component, else an array of components; a component is a string when it
// has one subcomponent, else an array of subcomponents. Strings are decoded
// (escapes resolved) UTF-8; bytes that are not UTF-8 become U+FFFD.

#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "cli.h"
#include "rtw/hl7v2/ack.h"
#include "rtw/hl7v2/batch.h"
#include "rtw/hl7v2/charset.h"
#include "rtw/hl7v2/message.h"

namespace rtw::app::cli {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

const std::vector<std::string> kValueOptions = {"get", "code", "charset", "control-id",
                                                "timestamp"};

// Usage errors for options that belong to the other subcommand.
void allowOnly(const Arguments& args, const std::vector<std::string>& options,
               const std::vector<std::string>& flags, const std::string& command) {
  for (const auto& [name, values] : args.options) {
    if (std::find(options.begin(), options.end(), name) == options.end()) {
      throw UsageError("--" + name + " does not apply to " + command);
    }
  }
  for (const std::string& flag : args.flags) {
    if (std::find(flags.begin(), flags.end(), flag) == flags.end()) {
      throw UsageError("unknown option --" + flag);
    }
  }
  if (args.files.size() != 1) {
    throw UsageError(command + " needs exactly one FILE");
  }
}

hl7v2::ParseOptions parseOptions(const Arguments& args) {
  hl7v2::ParseOptions options;
  if (args.has("charset")) {
    options.charset = hl7v2::charsetFromName(args.value("charset", ""));
    if (!options.charset) {
      throw UsageError("--charset must be ASCII, 8859/1 or \"UNICODE UTF-8\"");
    }
  }
  return options;
}

// Reports envelope problems and unparseable entries; true when every entry
// is a message.
bool reportProblems(const std::string& file, const hl7v2::BatchFile& batch) {
  const bool any_entry = batch.entryCount() > 0;
  for (const hl7v2::BatchProblem& problem : batch.problems) {
    std::cerr << file << ": "
              << (problem.line > 0 ? "line " + std::to_string(problem.line) + ": " : "")
              << (any_entry ? "warning: " : "not HL7 v2: ") << problem.message << "\n";
  }
  bool all_parsed = any_entry;
  std::size_t number = 0;
  for (const hl7v2::Batch& group : batch.batches) {
    for (const hl7v2::BatchEntry& entry : group.entries) {
      ++number;
      if (const auto& e = entry.outcome.error) {
        std::cerr << file << ": message " << number << " (line " << entry.line
                  << "): not HL7 v2: " << e->message << " (segment " << e->segment_index
                  << ", field " << e->field << ")\n";
        all_parsed = false;
      }
    }
  }
  return all_parsed;
}

std::vector<const hl7v2::BatchEntry*> entriesOf(const hl7v2::BatchFile& batch) {
  std::vector<const hl7v2::BatchEntry*> entries;
  for (const hl7v2::Batch& group : batch.batches) {
    for (const hl7v2::BatchEntry& entry : group.entries) {
      entries.push_back(&entry);
    }
  }
  return entries;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  for (;;) {
    std::size_t cut = text.find(separator);
    pieces.push_back(text.substr(0, cut));
    if (cut == std::string_view::npos) {
      return pieces;
    }
    text.remove_prefix(cut + 1);
  }
}

void writeString(JsonWriter& json, const std::string& text) {
  std::string valid = hl7v2::toValidUtf8(text);
  json.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

// One level of nesting: a plain string when there is one piece, else an
// array whose elements `inner` writes.
template <class Inner>
void writeLevel(JsonWriter& json, std::string_view text, char separator, Inner inner) {
  std::vector<std::string_view> pieces = split(text, separator);
  if (pieces.size() == 1) {
    inner(pieces.front());
    return;
  }
  json.StartArray();
  for (std::string_view piece : pieces) {
    inner(piece);
  }
  json.EndArray();
}

void writeField(JsonWriter& json, const hl7v2::Message& m, std::string_view field) {
  const hl7v2::Delimiters& d = m.delimiters();
  json.StartArray();
  if (!field.empty()) {
    for (std::string_view repetition : split(field, d.repetition)) {
      writeLevel(json, repetition, d.component, [&](std::string_view component) {
        writeLevel(json, component, d.subcomponent,
                   [&](std::string_view leaf) { writeString(json, m.decode(leaf)); });
      });
    }
  }
  json.EndArray();
}

void writeSegment(JsonWriter& json, const hl7v2::Message& m, std::string_view segment) {
  const hl7v2::Delimiters& d = m.delimiters();
  json.StartObject();
  json.Key("id");
  writeString(json, std::string(segment.substr(0, 3)));
  json.Key("fields");
  json.StartArray();
  std::vector<std::string_view> fields =
      split(segment.size() > 3 ? segment.substr(4) : "", d.field);
  std::string_view id = segment.substr(0, 3);
  bool header = id == "MSH" || id == "FHS" || id == "BHS";
  if (header) {
    // Field 1 is the separator itself and field 2 the encoding characters:
    // written as they are, never split.
    json.StartArray();
    writeString(json, std::string(1, d.field));
    json.EndArray();
    json.StartArray();
    writeString(json, std::string(fields.front()));
    json.EndArray();
    fields.erase(fields.begin());
  }
  if (segment.size() > 3) {
    for (std::string_view field : fields) {
      writeField(json, m, field);
    }
  }
  json.EndArray();
  json.EndObject();
}

std::string toJson(const hl7v2::Message& m) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  json.Key("type");
  writeString(json, m.messageType());
  json.Key("control_id");
  writeString(json, m.controlId());
  json.Key("version");
  writeString(json, m.version());
  json.Key("segments");
  json.StartArray();
  for (std::size_t i = 0; i < m.segmentCount(); ++i) {
    writeSegment(json, m, m.segmentText(i));
  }
  json.EndArray();
  json.EndObject();
  return buffer.GetString();
}

// What --get prints for a path: one value, or every value of a '*' path.
std::vector<std::string> valuesAt(const hl7v2::Message& m, const std::string& path, bool encoded) {
  if (path.find('*') == std::string::npos) {
    return {encoded ? m.getEncoded(path) : m.get(path)};
  }
  return encoded ? m.getAllEncoded(path) : m.getAll(path);
}

void printValues(const hl7v2::Message& m, const std::vector<std::string>& paths, bool encoded) {
  for (const std::string& path : paths) {
    for (const std::string& value : valuesAt(m, path, encoded)) {
      std::cout << value << "\n";
    }
  }
}

// --get with --json: a path named twice is written once.
std::string valuesAsJson(const hl7v2::Message& m, const std::vector<std::string>& paths,
                         bool encoded) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  std::set<std::string_view> written;  // thousands of paths at once (the agreement test)
  for (const std::string& path : paths) {
    if (!written.insert(path).second) {
      continue;
    }
    writeString(json, path);
    const std::vector<std::string> values = valuesAt(m, path, encoded);
    if (path.find('*') == std::string::npos) {
      writeString(json, values.front());
      continue;
    }
    json.StartArray();
    for (const std::string& value : values) {
      writeString(json, value);
    }
    json.EndArray();
  }
  json.EndObject();
  return buffer.GetString();
}

void printSegments(std::string_view text) {
  for (char c : text) {
    std::cout << (c == '\r' ? '\n' : c);
  }
}

int runParse(const Arguments& args) {
  allowOnly(args, {"get", "charset"}, {"json", "raw"}, "parse");
  const std::vector<std::string>& paths = args.all("get");
  const bool json = args.flag("json");
  const bool encoded = args.flag("raw");
  if (encoded && paths.empty()) {
    throw UsageError("--raw goes with --get: it prints the values at the paths whole");
  }
  for (const std::string& path : paths) {
    if (!hl7v2::Message::isValidPath(path)) {
      throw UsageError("'" + path + "' is not an HL7 path (e.g. PID-3(2).1, OBX[*]-5)");
    }
  }
  const std::string& file = args.files.front();
  const std::string bytes = readFile(file);
  const hl7v2::BatchFile batch = hl7v2::parseBatch(bytes, parseOptions(args));
  const bool all_parsed = reportProblems(file, batch);
  const std::vector<const hl7v2::BatchEntry*> entries = entriesOf(batch);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& message = entries[i]->outcome.message;
    if (!message) {
      continue;
    }
    if (json) {
      std::cout << (paths.empty() ? toJson(*message) : valuesAsJson(*message, paths, encoded))
                << "\n";
      continue;
    }
    if (entries.size() > 1) {
      std::cout << "# message " << i + 1 << "\n";
    }
    if (paths.empty()) {
      // Shown as UTF-8 like the values; text passed through as it came.
      printSegments(message->serializeAs(hl7v2::Charset::kUtf8).value_or(message->serialize()));
    } else {
      printValues(*message, paths, encoded);
    }
  }
  return all_parsed ? kOk : kFailed;
}

std::optional<hl7v2::AckCode> ackCodeNamed(const std::string& name) {
  using hl7v2::AckCode;
  for (AckCode code :
       {AckCode::AA, AckCode::AE, AckCode::AR, AckCode::CA, AckCode::CE, AckCode::CR}) {
    if (hl7v2::toString(code) == name) {
      return code;
    }
  }
  return std::nullopt;
}

// As the gateway stamps its ACKs: a time-prefixed id and UTC time.
std::string newControlId() {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  return "RTW" + std::to_string(micros) + "-0";
}

std::string utcNow() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d%H%M%S+0000", &utc);
  return text;
}

// The ACK for one parsed message: the MSH checks decide the code unless
// --code names one; a positive code carries no ERR segments.
std::string ackFor(const hl7v2::Message& message, std::optional<hl7v2::AckCode> requested,
                   const std::string& control_id, const std::string& timestamp) {
  std::vector<hl7v2::AckError> errors = hl7v2::checkHeader(message);
  hl7v2::AckCode code = requested.value_or(hl7v2::ackCodeFor(errors, hl7v2::AckKind::kApplication));
  if (code == hl7v2::AckCode::AA || code == hl7v2::AckCode::CA) {
    errors.clear();
  }
  return hl7v2::buildAck(message, code, errors, control_id, timestamp);
}

int runAck(const Arguments& args) {
  allowOnly(args, {"code", "charset", "control-id", "timestamp"}, {}, "ack");
  std::optional<hl7v2::AckCode> requested;
  if (args.has("code")) {
    requested = ackCodeNamed(args.value("code", ""));
    if (!requested) {
      throw UsageError("--code must be one of AA, AE, AR, CA, CE, CR");
    }
  }
  const std::string& file = args.files.front();
  const std::string bytes = readFile(file);
  const hl7v2::BatchFile batch = hl7v2::parseBatch(bytes, parseOptions(args));
  const bool all_parsed = reportProblems(file, batch);
  const std::vector<const hl7v2::BatchEntry*> entries = entriesOf(batch);
  const std::string timestamp = args.value("timestamp", utcNow());
  const std::string base_id = args.value("control-id", newControlId());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string control_id =
        entries.size() > 1 ? base_id + "-" + std::to_string(i + 1) : base_id;
    const hl7v2::BatchEntry& entry = *entries[i];
    std::string ack = entry.outcome.message
                          ? ackFor(*entry.outcome.message, requested, control_id, timestamp)
                          : hl7v2::buildRejectForUnparsed(entry.unparsed, *entry.outcome.error, {},
                                                          control_id, timestamp);
    if (i > 0) {
      std::cout << "\n";
    }
    printSegments(ack);
  }
  return all_parsed ? kOk : kFailed;
}

}  // namespace

int runHl7(int argc, char** argv) {
  if (argc < 3) {
    throw UsageError("hl7 needs a subcommand: parse, ack or redate");
  }
  const std::string command = argv[2];
  if (command == "redate") {
    return runRedate(parseArguments(argc, argv, 3, {"today", "out"}));
  }
  const Arguments args = parseArguments(argc, argv, 3, kValueOptions);
  if (command == "parse") {
    return runParse(args);
  }
  if (command == "ack") {
    return runAck(args);
  }
  throw UsageError("unknown hl7 subcommand '" + command + "'");
}

}  // namespace rtw::app::cli
