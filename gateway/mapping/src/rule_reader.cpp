#include "rule_reader.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "decimal.h"
#include "rtw/hl7v2/message.h"
#include "rtw/mapping/csv_source.h"
#include "rtw/mapping/fhir_source.h"
#include "rtw/mapping/xml_source.h"

namespace rtw::mapping::detail {
namespace {

constexpr std::array<std::string_view, 24> kValueKeys = {
    "hl7",   "xpath",     "fhirpath", "csv",     "field",    "where",    "const", "concat",
    "first", "separator", "sum",      "trim",    "extract",  "split",    "case",  "table",
    "date",  "money",     "scale",    "default", "required", "optional", "if",    "encoded"};
constexpr std::array<std::string_view, 10> kConditionKeys = {
    "hl7", "xpath", "fhirpath", "csv", "field", "equals", "in", "matches", "present", "absent"};
constexpr std::array<std::string_view, 5> kRepeatKeys = {"target", "each", "where", "fields",
                                                         "description"};

template <std::size_t N>
void rejectUnknownKeys(const JsonValue& object, const std::array<std::string_view, N>& known,
                       const ReadContext& context) {
  for (const auto& [key, value] : object.members) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string allowed;
      for (const auto& name : known) {
        allowed += (allowed.empty() ? "" : ", ") + std::string(name);
      }
      context.fail(value, "unknown key '" + key + "' (allowed: " + allowed + ")");
    }
  }
}

bool expectBool(const JsonValue& json, const ReadContext& context, const char* what) {
  if (json.kind != JsonValue::Kind::kBool) {
    context.fail(json, std::string("'") + what + "' must be true or false");
  }
  return json.boolean;
}

regex::Pattern compileRegex(const JsonValue& json, const ReadContext& context, const char* what) {
  const std::string text = expectString(json, context, what);
  try {
    return regex::Pattern(text);
  } catch (const regex::PatternError& e) {
    context.fail(json, std::string("'") + what +
                           "' is not a regular expression RE2 accepts (RE2 has no "
                           "backreferences or lookaround): " +
                           e.what());
  }
}

void checkHl7Path(const JsonValue& json, const std::string& path, const ReadContext& context) {
  if (!hl7v2::Message::isValidPath(path)) {
    context.fail(json, "'" + path + "' is not an HL7 path (SEG[n]-field(rep).component.sub)");
  }
}

// A FHIRPath in a mapping of FHIR resources of the type it starts with.
}  // namespace

void checkFhirRule(const JsonValue& json, const std::string& path, const ReadContext& context,
                   bool allow_every) {
  if (context.format != SourceFormat::kFhir) {
    context.fail(json,
                 "a 'fhirpath' rule reads FHIR resources; this mapping's source is not a "
                 "FHIR resource type");
  }
  if (const std::string problem = fhir::checkPath(path, allow_every); !problem.empty()) {
    context.fail(json, "'" + path + "' is not FHIRPath the gateway runs: " + problem);
  }
  if (const std::string type = fhir::pathResourceType(path); type != context.resource_type) {
    context.fail(json, "'" + path + "' starts at " + type + ", but this mapping reads " +
                           context.resource_type + " resources");
  }
}

namespace {

// hl7 rules in HL7 mappings, csv rules in CSV mappings; xpath and field anywhere.
void checkSourceFits(const JsonValue& json, SourceKind kind, const ReadContext& context) {
  if (kind == SourceKind::kHl7 && context.format != SourceFormat::kHl7) {
    context.fail(json, "an HL7 path in a mapping of " +
                           std::string(context.format == SourceFormat::kFhir
                                           ? "FHIR resources: use {\"fhirpath\": ...}"
                                           : "CSV records: use {\"csv\": COLUMN}"));
  }
  if (kind == SourceKind::kCsv && context.format != SourceFormat::kCsv) {
    context.fail(json, "a 'csv' rule reads CSV records; this mapping's key is not \"csv:KIND\"");
  }
}

// The source of a rule or a condition: which key of hl7 / xpath / fhirpath / csv / field.
bool readSource(const JsonValue& json, const ReadContext& context, SourceKind& kind,
                std::string& path) {
  int found = 0;
  for (const auto& [key, source_kind] :
       {std::pair{"hl7", SourceKind::kHl7}, std::pair{"xpath", SourceKind::kXPath},
        std::pair{"fhirpath", SourceKind::kFhirPath}, std::pair{"csv", SourceKind::kCsv},
        std::pair{"field", SourceKind::kDocument}}) {
    if (const JsonValue* value = json.find(key)) {
      path = expectString(*value, context, key);
      kind = source_kind;
      ++found;
      checkSourceFits(*value, kind, context);
      if (kind == SourceKind::kHl7) {
        checkHl7Path(*value, path, context);
      }
      if (kind == SourceKind::kXPath && !isValidXPath(path)) {
        context.fail(*value, "'" + path + "' is not an XPath 1.0 expression");
      }
      if (kind == SourceKind::kFhirPath) {
        checkFhirRule(*value, path, context, false);
      }
      if (kind == SourceKind::kCsv) {
        if (const std::string problem = checkCsvColumn(path); !problem.empty()) {
          context.fail(*value, problem);
        }
      }
    }
  }
  return found > 0;
}

std::vector<std::pair<std::string, std::string>> readSelect(const JsonValue& json,
                                                            const std::string& path,
                                                            const ReadContext& context) {
  if (!json.isObject() || json.members.empty()) {
    context.fail(json,
                 "'where' must be an object of relative paths and values, e.g. {\".5\": \"WCN\"}");
  }
  if (std::count(path.begin(), path.end(), '*') != 1) {
    context.fail(json, "'where' needs a path with exactly one '*' to choose from ('" + path + "')");
  }
  std::vector<std::pair<std::string, std::string>> select;
  const std::string base = path.substr(0, path.find('*') + 2);
  const std::string probe_base = base.substr(0, base.size() - 2) + "1" + base.back();
  checkHl7Path(json, probe_base + path.substr(base.size()), context);
  for (const auto& [suffix, value] : json.members) {
    checkHl7Path(value, probe_base + suffix, context);
    select.emplace_back(suffix, expectString(value, context, "where"));
  }
  return select;
}

std::vector<ValueRule> readRuleList(const JsonValue& json, const ReadContext& context,
                                    const char* what, const std::string& target) {
  if (!json.isArray() || json.items.empty()) {
    context.fail(json, std::string("'") + what + "' must be a non-empty list of rules");
  }
  std::vector<ValueRule> rules;
  for (const auto& item : json.items) {
    rules.push_back(readValueRule(item, context, target));
  }
  return rules;
}

void readSum(const JsonValue& json, const JsonValue& rule, const ReadContext& context,
             ValueRule& into) {
  if (json.isString()) {
    into.sum.push_back(json.text);
  } else if (json.isArray() && !json.items.empty()) {
    for (const auto& item : json.items) {
      into.sum.push_back(expectString(item, context, "sum"));
    }
  } else {
    context.fail(json, "'sum' must be a document path or a list of them");
  }
  if (const JsonValue* where = rule.find("where")) {
    if (!where->isObject()) {
      context.fail(*where, "'where' of a sum must be an object of item fields and values");
    }
    for (const auto& [field, value] : where->members) {
      into.sum_where.emplace_back(field, expectString(value, context, "where"));
    }
  }
}

void readSplit(const JsonValue& json, const ReadContext& context, ValueRule& into) {
  const JsonValue* separator = json.find("separator");
  const JsonValue* part = json.find("part");
  int index = 0;
  if (!json.isObject() || separator == nullptr || part == nullptr ||
      part->kind != JsonValue::Kind::kNumber ||
      std::from_chars(part->text.data(), part->text.data() + part->text.size(), index).ec !=
          std::errc() ||
      index < 1 || json.members.size() != 2) {
    context.fail(json, "'split' must be {\"separator\": TEXT, \"part\": N} with N from 1");
  }
  into.split = std::pair{expectString(*separator, context, "separator"), index};
}

// "encoded": true reads an HL7 field or component whole (Message::getEncoded).
void readEncoded(const JsonValue& json, const ReadContext& context, ValueRule& rule) {
  rule.encoded = expectBool(json, context, "encoded");
  if (!rule.encoded) {
    return;
  }
  if (rule.kind != SourceKind::kHl7 || rule.path.empty()) {
    context.fail(json, "'encoded' reads an HL7 field or component whole: it needs 'hl7'");
  }
  if (std::count(rule.path.begin(), rule.path.end(), '.') == 2) {
    context.fail(json, "'encoded' on " + rule.path +
                           ": a subcomponent has no separators to keep; read it without "
                           "'encoded'");
  }
}

void readSources(const JsonValue& json, const ReadContext& context, ValueRule& rule) {
  int sources = readSource(json, context, rule.kind, rule.path) ? 1 : 0;
  if (const JsonValue* value = json.find("const")) {
    rule.constant = expectString(*value, context, "const");
    ++sources;
  }
  if (const JsonValue* value = json.find("concat")) {
    rule.concat = readRuleList(*value, context, "concat", rule.target);
    ++sources;
  }
  if (const JsonValue* value = json.find("first")) {
    rule.first = readRuleList(*value, context, "first", rule.target);
    ++sources;
  }
  if (const JsonValue* value = json.find("sum")) {
    readSum(*value, json, context, rule);
    ++sources;
  }
  if (sources != 1) {
    context.fail(json, sources == 0 ? "a rule needs a source: hl7, xpath, fhirpath, csv, field, "
                                      "const, concat, first or sum"
                                    : "a rule has exactly one source; this one has " +
                                          std::to_string(sources));
  }
  if (const JsonValue* where = json.find("where"); where != nullptr && rule.sum.empty()) {
    if (rule.kind != SourceKind::kHl7 || rule.path.empty()) {
      context.fail(*where, "'where' chooses among HL7 repetitions or segments: it needs 'hl7'");
    }
    rule.select = readSelect(*where, rule.path, context);
  }
  if (const JsonValue* encoded = json.find("encoded")) {
    readEncoded(*encoded, context, rule);
  }
}

void readTransforms(const JsonValue& json, const ReadContext& context, ValueRule& rule) {
  if (const JsonValue* v = json.find("separator")) {
    rule.separator = expectString(*v, context, "separator");
  }
  if (const JsonValue* v = json.find("trim")) {
    rule.trim = expectBool(*v, context, "trim");
  }
  if (const JsonValue* v = json.find("extract")) {
    rule.extract = compileRegex(*v, context, "extract");
    if (rule.extract->groups() < 1) {
      context.fail(*v, "'extract' needs a capture group: the value is group 1");
    }
  }
  if (const JsonValue* v = json.find("split")) {
    readSplit(*v, context, rule);
  }
  if (const JsonValue* v = json.find("case")) {
    const std::string text = expectString(*v, context, "case");
    if (text != "upper" && text != "lower") {
      context.fail(*v, "'case' must be \"upper\" or \"lower\"");
    }
    rule.letter_case = text == "upper" ? ValueRule::Case::kUpper : ValueRule::Case::kLower;
  }
  if (const JsonValue* v = json.find("table")) {
    rule.table = expectString(*v, context, "table");
  }
  if (const JsonValue* v = json.find("date")) {
    const std::string text = expectString(*v, context, "date");
    if (text != "date" && text != "dateTime") {
      context.fail(*v, "'date' must be \"date\" or \"dateTime\"");
    }
    rule.date = text == "date" ? ValueRule::DateFormat::kDate : ValueRule::DateFormat::kDateTime;
  }
  if (const JsonValue* v = json.find("money")) {
    rule.money = expectBool(*v, context, "money");
  }
  if (const JsonValue* v = json.find("scale")) {
    rule.scale = expectString(*v, context, "scale");
    if (const std::string problem = checkScale(rule.scale); !problem.empty()) {
      context.fail(*v, problem);
    }
  }
  if (const JsonValue* v = json.find("default")) {
    rule.fallback = expectString(*v, context, "default");
  }
  if (const JsonValue* v = json.find("required")) {
    rule.required = expectBool(*v, context, "required");
  }
  if (const JsonValue* v = json.find("optional")) {
    rule.optional = expectBool(*v, context, "optional");
  }
  if (const JsonValue* v = json.find("if")) {
    rule.when = readCondition(*v, context);
  }
}

}  // namespace

void ReadContext::fail(const JsonValue& value, const std::string& message) const {
  throw MappingError(at(value), message);
}

std::string expectString(const JsonValue& json, const ReadContext& context, const char* what) {
  if (!json.isString()) {
    context.fail(json, std::string("'") + what + "' must be a string, not " +
                           std::string(kindName(json.kind)));
  }
  return json.text;
}

ValueRule readValueRule(const JsonValue& json, const ReadContext& context, std::string target) {
  ValueRule rule;
  rule.where = context.at(json);
  rule.target = std::move(target);
  if (json.isString()) {
    checkSourceFits(json, SourceKind::kHl7, context);
    checkHl7Path(json, json.text, context);
    rule.path = json.text;
    return rule;
  }
  if (!json.isObject()) {
    context.fail(json,
                 "a rule is an HL7 path or an object, not " + std::string(kindName(json.kind)));
  }
  rejectUnknownKeys(json, kValueKeys, context);
  readSources(json, context, rule);
  readTransforms(json, context, rule);
  return rule;
}

Condition readCondition(const JsonValue& json, const ReadContext& context) {
  if (!json.isObject()) {
    context.fail(json, "a condition is an object such as {\"hl7\": \"TXA-2\", \"equals\": \"DS\"}");
  }
  rejectUnknownKeys(json, kConditionKeys, context);
  Condition condition;
  condition.where = context.at(json);
  if (!readSource(json, context, condition.kind, condition.path)) {
    context.fail(json, "a condition needs a source: hl7, xpath, fhirpath, csv or field");
  }
  int tests = 0;
  if (const JsonValue* v = json.find("equals")) {
    condition.test = Condition::Test::kEquals;
    condition.values.push_back(expectString(*v, context, "equals"));
    ++tests;
  }
  if (const JsonValue* v = json.find("in")) {
    condition.test = Condition::Test::kIn;
    if (!v->isArray() || v->items.empty()) {
      context.fail(*v, "'in' must be a non-empty list of values");
    }
    for (const auto& item : v->items) {
      condition.values.push_back(expectString(item, context, "in"));
    }
    ++tests;
  }
  if (const JsonValue* v = json.find("matches")) {
    condition.test = Condition::Test::kMatches;
    condition.pattern = compileRegex(*v, context, "matches");
    ++tests;
  }
  for (const auto& [key, test] : {std::pair{"present", Condition::Test::kPresent},
                                  std::pair{"absent", Condition::Test::kAbsent}}) {
    if (const JsonValue* v = json.find(key)) {
      if (!expectBool(*v, context, key)) {
        context.fail(*v, std::string("'") + key + "' can only be true");
      }
      condition.test = test;
      ++tests;
    }
  }
  if (tests != 1) {
    context.fail(json, "a condition has exactly one test: equals, in, matches, present or absent");
  }
  return condition;
}

RepeatRule readRepeat(const JsonValue& json, const ReadContext& outer) {
  if (!json.isObject()) {
    outer.fail(json, "a repeat is an object with target, each and fields");
  }
  ReadContext context = outer;
  RepeatRule repeat;
  const JsonValue* target = json.find("target");
  const JsonValue* each = json.find("each");
  const JsonValue* fields = json.find("fields");
  if (target == nullptr || each == nullptr || fields == nullptr || !fields->isObject()) {
    outer.fail(json, "a repeat needs 'target', 'each' and 'fields' (an object)");
  }
  repeat.target = expectString(*target, outer, "target");
  context.rule = outer.rule + " " + repeat.target;
  rejectUnknownKeys(json, kRepeatKeys, context);
  repeat.where = context.at(json);
  repeat.each = expectString(*each, context, "each");
  if (context.format == SourceFormat::kFhir) {
    repeat.kind = SourceKind::kFhirPath;
    checkFhirRule(*each, repeat.each, context, true);
  } else if (context.format == SourceFormat::kCsv) {
    context.fail(*each, "a CSV record has no repeating items: one record makes one document");
  } else if (std::count(repeat.each.begin(), repeat.each.end(), '*') != 1) {
    context.fail(*each, "'each' must have exactly one '*': \"FT1[*]\", \"PV1-7(*)\"");
  }
  if (context.format == SourceFormat::kHl7) {
    const std::string probe =
        repeat.each.find("[*]") != std::string::npos && repeat.each.find('-') == std::string::npos
            ? repeat.each + "-1"
            : repeat.each;
    checkHl7Path(*each, probe, context);
  }
  if (const JsonValue* where = json.find("where")) {
    if (where->isArray()) {
      for (const auto& item : where->items) {
        repeat.filters.push_back(readCondition(item, context));
      }
    } else {
      repeat.filters.push_back(readCondition(*where, context));
    }
  }
  for (const auto& [field, rule] : fields->members) {
    ReadContext field_context = context;
    field_context.rule = context.rule + "/" + field;
    repeat.fields.push_back(readValueRule(rule, field_context, field));
  }
  return repeat;
}

}  // namespace rtw::mapping::detail
