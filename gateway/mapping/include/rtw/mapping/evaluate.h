#pragma once
// Running a message mapping on one message: fills a WorkSafe document and
// says, per field, which rule and which source value produced it (the
// trace), and which rules found nothing to write (the findings).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/hl7v2/message.h"
#include "rtw/mapping/mapping.h"
#include "rtw/worksafe/document.h"

namespace rtw::mapping {

/// A message as mappings read it. Each kind of source implements the kinds
/// it serves: HL7 v2 (Hl7Source, here), FHIR R4 resources (fhir_source.h),
/// XML documents (xml_source.h) and CSV records (csv_source.h).
class Source {
 public:
  virtual ~Source() = default;
  virtual bool serves(SourceKind kind) const = 0;
  /// The first value at a path of this source's kind; "" when absent. An
  /// HL7 value is one primitive (Message::get()).
  virtual std::string get(std::string_view path) const = 0;
  /// The same position whole, for rules with "encoded": true: an HL7 field
  /// or component with its separators (Message::getEncoded()). Sources
  /// without separators read the same as get().
  virtual std::string getEncoded(std::string_view path) const { return get(path); }
  /// get() with the reason a path could not be read at all (a FHIRPath
  /// error at run time, such as '<' between collections of several items):
  /// the rule gets an error finding with it instead of an empty value. The
  /// reason names the path's place, never a value of the message.
  struct Value {
    std::string text;
    std::string error;
  };
  virtual Value read(std::string_view path) const { return {get(path), {}}; }
  /// How many items a repeat's "each" path selects ("OBX[*]", "PV1-7(*)").
  virtual std::size_t count(std::string_view each) const = 0;
  /// count() with the reason the items could not be counted (a FHIRPath
  /// error at run time): the repeat gets an error finding with it.
  struct Count {
    std::size_t items = 0;
    std::string error;
  };
  virtual Count countItems(std::string_view each) const { return {count(each), {}}; }
  /// False when `path` cannot exist in this message at all (a CSV column
  /// missing from the file's header): the rule gets an error finding.
  virtual bool has(std::string_view /*path*/) const { return true; }
};

/// An HL7 v2 message as a Source (paths of rtw/hl7v2/message.h).
class Hl7Source final : public Source {
 public:
  explicit Hl7Source(const hl7v2::Message& message) : message_(message) {}
  bool serves(SourceKind kind) const override { return kind == SourceKind::kHl7; }
  std::string get(std::string_view path) const override { return message_.get(path); }
  std::string getEncoded(std::string_view path) const override { return message_.getEncoded(path); }
  std::size_t count(std::string_view each) const override;

 private:
  const hl7v2::Message& message_;
};

/// One field the mapping wrote: the rule, the source and the values.
/// Holds message content: for rtwctl map --trace, never for logs.
struct TraceEntry {
  std::string target;        // "line[2]/feeCode"
  RuleLocation rule;         // file, line, rule name
  std::string source;        // "FT1[2]-7.1", "const", "concat", "sum"
  std::string source_value;  // the value as read, before transforms
  std::string value;         // what was written
};

/// A rule that produced no value or a value it could not use. The message
/// names paths and rules only (no PHI): it may go to logs and ACKs.
struct Finding {
  enum class Severity { kError, kWarning };
  /// What kind of problem, for answers that classify them (HL7 table 0357:
  /// 101 required field missing, 102 data type, 103 table value not found).
  enum class Kind {
    kRequired,    // a required rule's source gave no value
    kBadValue,    // a value its transform or target cannot take (a date, a number, too long)
    kNotInTable,  // a code its table does not have
    kOther,       // the mapping and the message do not fit (no such content, no such column)
  };
  Severity severity = Severity::kWarning;
  std::string target;
  RuleLocation rule;
  std::string message;
  Kind kind = Kind::kOther;
  std::string source = {};  // the source path read ("PID-3(2).1"), "" when none
};
std::string format(const Finding& finding);  // "WARNING worker/phone: ... (file:line rule)"

struct Evaluation {
  std::vector<TraceEntry> trace;
  std::vector<Finding> findings;
  bool hasErrors() const;
};

/// Whether evaluate() keeps the trace: rtwctl map --trace and the tests read
/// it; the gateway's translate workers do not (five strings per field).
enum class Trace { kKeep, kSkip };

/// Runs `mapping` (from `set`, for its code tables and zone policy) on
/// `source`, writing into `document`.
Evaluation evaluate(const MessageMapping& mapping, const MappingSet& set, const Source& source,
                    worksafe::Document& document, Trace trace = Trace::kKeep);

}  // namespace rtw::mapping
