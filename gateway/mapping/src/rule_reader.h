#pragma once
// Reads the rules of a mapping file (value rules, conditions, repeats) from
// its JSON tree, refusing unknown keys and wrong kinds with file, line and
// rule. Checks that need the schema or the code tables come later (checker).

#include <string>
#include <utility>

#include "rtw/config/json.h"
#include "rtw/mapping/mapping.h"

namespace rtw::mapping::detail {

// Mapping files are read with the configuration reader (rtw/config/json.h).
using config::JsonValue;
using config::kindName;

/// The file being read and the name of the rule being read ("DFT^P03 line").
struct ReadContext {
  ReadContext(std::string file_name, std::string rule_name)
      : file(std::move(file_name)), rule(std::move(rule_name)) {}
  std::string file;
  std::string rule;
  // What the message mapping being read takes in ("ServiceRequest": FHIR).
  SourceFormat format = SourceFormat::kHl7;
  std::string resource_type;  // kFhir: the mapping's key
  RuleLocation at(const JsonValue& value) const { return {file, value.line, rule}; }
  [[noreturn]] void fail(const JsonValue& value, const std::string& message) const;
};

/// A value rule: a string (shorthand for {"hl7": PATH}) or an object.
ValueRule readValueRule(const JsonValue& json, const ReadContext& context, std::string target);
/// A condition: {"hl7"|"field"|"xpath"|"fhirpath"|"csv": PATH,
/// "equals"|"in"|"matches"|"present"|"absent": ...}.
Condition readCondition(const JsonValue& json, const ReadContext& context);
/// {"target": ..., "each": ..., "where": [conditions], "fields": {...}}.
RepeatRule readRepeat(const JsonValue& json, const ReadContext& context);
/// A FHIRPath of a FHIR mapping: it parses and starts at the mapping's
/// resource type (`allow_every`: one "[*]", as a repeat's "each").
void checkFhirRule(const JsonValue& json, const std::string& path, const ReadContext& context,
                   bool allow_every);
/// The string value of `json`, or a failure naming `what`.
std::string expectString(const JsonValue& json, const ReadContext& context, const char* what);

}  // namespace rtw::mapping::detail
