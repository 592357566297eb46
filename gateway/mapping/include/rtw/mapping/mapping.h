#pragma once
// The mapping language (DESIGN.md, "Mappings"): per source message type,
// which WorkSafe document to build and where each of its fields comes from.
// A MappingSet is every mapping file of one partner folder
// (mappings/<partner>/*.json), loaded and checked against the document
// XSDs; it is immutable after load and shared by any number of threads.

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/regex/pattern.h"
#include "rtw/worksafe/document.h"

namespace rtw::worksafe {
class SchemaSet;
}

namespace rtw::mapping {

/// Where a rule is written: "mappings/harbour-physio/report.json", line 42,
/// rule "ORU^R01 functionalAbility/value".
struct RuleLocation {
  std::string file;
  int line = 0;
  std::string rule;
};
std::string format(const RuleLocation& where);  // "FILE:LINE (rule RULE)"

/// A mapping that cannot be loaded. what() names the file, line and rule.
class MappingError : public std::runtime_error {
 public:
  MappingError(RuleLocation where, const std::string& message);
  const RuleLocation& where() const { return where_; }
  const std::string& problem() const { return problem_; }

 private:
  RuleLocation where_;
  std::string problem_;
};

/// The kinds of source a rule reads (pluggable: a Source says which it serves).
enum class SourceKind { kHl7, kXPath, kDocument, kFhirPath, kCsv };

/// What a message mapping's key says it reads: "REF^I12" an HL7 v2 message,
/// "ServiceRequest" a FHIR R4 resource of that type, "csv:enrolment" one
/// record (row) of a CSV file of that kind.
enum class SourceFormat { kHl7, kFhir, kCsv };
SourceFormat sourceFormatOf(std::string_view message_type);

/// A test on a source value: equals / in / matches / present / absent.
struct Condition {
  enum class Test { kEquals, kIn, kMatches, kPresent, kAbsent };
  SourceKind kind = SourceKind::kHl7;
  std::string path;  // HL7 path, XPath, or a field of the document being built
  Test test = Test::kEquals;
  std::vector<std::string> values;        // kEquals (one), kIn
  std::optional<regex::Pattern> pattern;  // RE2: linear in the value
  RuleLocation where;
};

/// Where one value comes from and how it is transformed, in this order:
/// source → trim → extract (regex group 1) → split → case → table → date →
/// money / scale → default; then required / empty-source warning.
struct ValueRule {
  RuleLocation where;
  std::string target;  // document path, relative to the repeat item inside a repeat

  // The source: exactly one of these.
  SourceKind kind = SourceKind::kHl7;
  std::string path;                                         // hl7 / xpath / field
  std::vector<std::pair<std::string, std::string>> select;  // "where": {".5": "WCN"}
  bool encoded = false;  // an HL7 position whole, separators kept (Message::getEncoded)
  std::optional<std::string> constant;
  std::vector<ValueRule> concat;  // joined with `separator`, empty parts skipped
  std::vector<ValueRule> first;   // the first that gives a value
  std::vector<std::string> sum;   // document paths ("line[*]/amount"), summed as money
  std::vector<std::pair<std::string, std::string>> sum_where;  // item field = value
  std::string separator;

  bool trim = true;
  std::optional<regex::Pattern> extract;             // RE2, group 1 is the value
  std::optional<std::pair<std::string, int>> split;  // separator, 1-based part
  enum class Case { kAsIs, kUpper, kLower } letter_case = Case::kAsIs;
  std::string table;
  enum class DateFormat { kNone, kDate, kDateTime } date = DateFormat::kNone;
  bool money = false;                   // 2 decimals
  std::string scale;                    // a decimal factor, result as money (e.g. "0.05" for GST)
  std::optional<std::string> fallback;  // "default"
  bool required = false;
  bool optional = false;  // an empty source is expected: no warning
  std::optional<Condition> when;
};

/// One item of the target per matching source item: one invoice line per
/// FT1, one functional ability per OBX.
struct RepeatRule {
  RuleLocation where;
  std::string target;  // a repeating element ("line", "functionalAbility", "consideration")
  std::string each;    // "FT1[*]", "OBX[*]", "PV1-7(*)", "Claim.item[*]" (FHIRPath)
  SourceKind kind = SourceKind::kHl7;  // kFhirPath in a FHIR mapping
  std::vector<Condition> filters;      // every one must hold for an item to count
  std::vector<ValueRule> fields;       // targets relative to the item; "." is the item itself
};

/// The mapping of one source message type to one document.
struct MessageMapping {
  RuleLocation where;
  std::string message_type;  // "REF^I12"
  worksafe::DocumentType document = worksafe::DocumentType::kReferral;
  std::vector<ValueRule> fields;
  std::vector<RepeatRule> repeats;
  std::vector<ValueRule> totals;  // evaluated last: may read what the repeats built
};

/// A code table: source code → target code, with an optional "*" fallback.
struct CodeTable {
  RuleLocation where;
  std::map<std::string, std::string> codes;
  std::optional<std::string> fallback;
};

class TimeZone;

/// How timestamps without an offset are read for dateTime fields
/// ("timeZone" in mappings/README.md): refused, at a fixed offset, or in a
/// named zone with daylight saving, whose gap (spring forward) and overlap
/// (fall back) are refused unless the mapping says otherwise.
struct ZonePolicy {
  enum class Mode { kReject, kFixedOffset, kNamed } mode = Mode::kReject;
  int offset_minutes = 0;                // kFixedOffset: east of UTC
  std::shared_ptr<const TimeZone> zone;  // kNamed
  enum class Gap { kReject, kLater } gap = Gap::kReject;
  enum class Overlap { kReject, kEarlier, kLater } overlap = Overlap::kReject;
};

/// How mappings run, from the gateway's settings.
struct MappingOptions {
  /// The longest source value a rule takes (mappings.maxValueBytes): a
  /// longer one is that rule's error finding, naming the source, and the
  /// message is rejected; no transform (regex, split, table) sees it.
  std::size_t max_value_bytes = 64 * 1024;
  /// The most items a repeat ("OBX[*]", "PV1-7(*)") or a 'where' selection
  /// takes (mappings.maxRepeatItems): more is an error finding naming the
  /// path, and the message is rejected, instead of minutes of reading.
  std::size_t max_repeat_items = 1000;
  /// Every element the document's XSD requires must be written by some rule
  /// (or by the host: documentId, createdAt, sourcePartner,
  /// sourceMessageId); a mapping that misses one is a load error, at start-up
  /// and on reload. Off only for dry runs of a mapping being written
  /// (rtwctl map --incomplete) and for tests of single rules.
  bool require_complete = true;
};

class MappingSet {
 public:
  /// Loads every *.json of `dir` (code-table files named by mappings are
  /// read from `dir` too). Throws MappingError naming file, line and rule.
  static std::shared_ptr<const MappingSet> load(const std::filesystem::path& dir,
                                                const worksafe::SchemaSet& schemas,
                                                const MappingOptions& options = {});

  const MessageMapping* find(std::string_view message_type) const;
  const CodeTable* table(std::string_view name) const;
  const ZonePolicy& zone() const { return zone_; }
  const std::filesystem::path& dir() const { return dir_; }
  const MappingOptions& options() const { return options_; }
  std::vector<std::string> messageTypes() const;
  /// Every file the set was read from, for change detection.
  const std::vector<std::filesystem::path>& files() const { return files_; }

 private:
  friend class MappingLoader;
  std::filesystem::path dir_;
  std::map<std::string, MessageMapping, std::less<>> messages_;
  std::map<std::string, CodeTable, std::less<>> tables_;
  ZonePolicy zone_;
  MappingOptions options_;
  std::vector<std::filesystem::path> files_;
};

}  // namespace rtw::mapping
