// Running a message mapping: fields, then repeats, then totals.

#include "rtw/mapping/evaluate.h"

#include <algorithm>

#include "decimal.h"
#include "scope.h"
#include "transforms.h"

namespace rtw::mapping {

using detail::Scope;
using detail::StarPath;

namespace {

const char* kindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kXPath:
      return "XML";
    case SourceKind::kFhirPath:
      return "FHIR";
    case SourceKind::kCsv:
      return "CSV";
    default:
      return "HL7";
  }
}

// A value as read from the source, before transforms.
struct Read {
  std::string value;
  std::string source;    // the resolved path, "const", ...
  bool refused = false;  // an error finding says why: nothing is written, nothing else reported
};

class MappingRun {
 public:
  MappingRun(const MappingSet& set, const Source& source, worksafe::Document& document, Trace trace)
      : set_(set), source_(source), document_(document), keep_trace_(trace == Trace::kKeep) {}

  void field(const ValueRule& rule, const Scope& scope) {
    if (rule.when && !holds(*rule.when, scope)) {
      return;
    }
    const std::string target = scope.target(rule.target);
    const Read read = readRule(rule, scope, target);
    if (read.refused) {
      return;
    }
    if (read.value.empty()) {
      reportEmpty(rule, target, read.source);
      return;
    }
    if (auto problem = document_.set(target, read.value)) {
      add(Finding::Severity::kError, target, rule.where, problem->message, Finding::Kind::kBadValue,
          read.source);
      return;
    }
    if (keep_trace_) {
      evaluation_.trace.push_back({target, rule.where, read.source, raw_, read.value});
    }
  }

  void repeat(const RepeatRule& repeat) {
    StarPath each = StarPath::split(repeat.each);
    each.fhir = repeat.kind == SourceKind::kFhirPath;
    const Source::Count counted = source_.countItems(repeat.each);
    if (!counted.error.empty()) {
      add(Finding::Severity::kError, repeat.target, repeat.where,
          repeat.each + " cannot be read: " + counted.error, Finding::Kind::kOther, repeat.each);
      return;
    }
    const std::size_t items = counted.items;
    if (tooMany(items, repeat.each, repeat.target, repeat.where)) {
      return;
    }
    for (std::size_t i = 1; i <= items; ++i) {
      Scope scope{&each, i, {}};
      const bool selected = std::all_of(repeat.filters.begin(), repeat.filters.end(),
                                        [&](const Condition& c) { return holds(c, scope); });
      if (!selected) {
        continue;
      }
      const std::size_t next = document_.count(repeat.target) + 1;
      scope.document_prefix = repeat.target + "[" + std::to_string(next) + "]/";
      for (const auto& rule : repeat.fields) {
        field(rule, scope);
      }
    }
  }

  Evaluation done() { return std::move(evaluation_); }

 private:
  void add(Finding::Severity severity, const std::string& target, const RuleLocation& where,
           const std::string& message, Finding::Kind kind = Finding::Kind::kOther,
           const std::string& source = {}) {
    evaluation_.findings.push_back({severity, target, where, message, kind, source});
  }

  // A source value longer than a rule takes: no transform sees it (a regex
  // on megabytes of text), and the message is rejected naming the source.
  bool tooLong(const std::string& value, const std::string& source, const std::string& target,
               const RuleLocation& where) {
    const std::size_t limit = set_.options().max_value_bytes;
    if (value.size() <= limit) {
      return false;
    }
    add(Finding::Severity::kError, target, where,
        "the value of " + source + " is " + std::to_string(value.size()) +
            " bytes, more than the " + std::to_string(limit) +
            " a mapping rule takes (mappings.maxValueBytes)",
        Finding::Kind::kBadValue, source);
    return true;
  }

  // More items than a repeat or a 'where' takes: each item is read by path,
  // so 200,000 repetitions in one field would take minutes (a read scans
  // the field up to its item), and no real report or invoice has them.
  bool tooMany(std::size_t items, const std::string& each, const std::string& target,
               const RuleLocation& where) {
    const std::size_t limit = set_.options().max_repeat_items;
    if (items <= limit) {
      return false;
    }
    add(Finding::Severity::kError, target, where,
        each + " selects " + std::to_string(items) + " items, more than the " +
            std::to_string(limit) + " a repeat or 'where' takes (mappings.maxRepeatItems)",
        Finding::Kind::kBadValue, each);
    return true;
  }

  void reportEmpty(const ValueRule& rule, const std::string& target, const std::string& source) {
    if (rule.required) {
      add(Finding::Severity::kError, target, rule.where,
          "required, and its source " + source + " gave no value", Finding::Kind::kRequired,
          source);
    } else if (!rule.optional) {
      add(Finding::Severity::kWarning, target, rule.where,
          "left empty: its source " + source + " gave no value");
    }
  }

  // The rule's value after transforms and default; errors become findings.
  Read readRule(const ValueRule& rule, const Scope& scope, const std::string& target) {
    Read read = readSource(rule, scope, target);
    if (read.refused) {
      return read;
    }
    if (tooLong(read.value, read.source, target, rule.where)) {
      return {{}, read.source, true};
    }
    raw_ = read.value;
    detail::Transformed out = detail::applyTransforms(rule, read.value, set_);
    if (!out.error.empty()) {
      add(Finding::Severity::kError, target, rule.where, out.error + " (" + read.source + ")",
          out.not_in_table ? Finding::Kind::kNotInTable : Finding::Kind::kBadValue, read.source);
      out.value.clear();
    }
    if (out.value.empty() && rule.fallback) {
      out.value = *rule.fallback;
      read.source += " (default)";
    }
    read.value = std::move(out.value);
    return read;
  }

  Read readSource(const ValueRule& rule, const Scope& scope, const std::string& target) {
    if (rule.constant) {
      return {*rule.constant, "const"};
    }
    if (!rule.concat.empty() || !rule.first.empty()) {
      return readParts(rule, scope, target);
    }
    if (!rule.sum.empty()) {
      return sum(rule, target);
    }
    if (rule.kind == SourceKind::kDocument) {
      const std::string path = scope.document_prefix + rule.path;
      return {document_.get(path).value_or(""), path};
    }
    if (!source_.serves(rule.kind)) {
      add(Finding::Severity::kError, target, rule.where,
          "this message has no " + std::string(kindName(rule.kind)) + " content to read " +
              rule.path + " from");
      return {{}, rule.path};
    }
    if (!source_.has(rule.path)) {
      add(Finding::Severity::kError, target, rule.where,
          "column '" + rule.path + "' is not in the file's header");
      return {{}, rule.path};
    }
    const std::string path = scope.resolve(rule.path);
    if (!rule.select.empty()) {
      return select(rule, path, target);
    }
    if (rule.encoded) {
      return {source_.getEncoded(path), path};
    }
    Source::Value got = source_.read(path);
    if (!got.error.empty()) {
      add(Finding::Severity::kError, target, rule.where, path + " cannot be read: " + got.error,
          Finding::Kind::kOther, path);
      return {{}, path, true};
    }
    return {std::move(got.text), path};
  }

  std::string value(const ValueRule& rule, const std::string& path) const {
    return rule.encoded ? source_.getEncoded(path) : source_.get(path);
  }

  // concat joins every part that has a value; first takes the first one.
  Read readParts(const ValueRule& rule, const Scope& scope, const std::string& target) {
    const bool concat = !rule.concat.empty();
    std::string joined;
    std::string sources;
    for (const auto& part : concat ? rule.concat : rule.first) {
      if (part.when && !holds(*part.when, scope)) {
        continue;
      }
      const Read read = readRule(part, scope, target);
      sources += (sources.empty() ? "" : ", ") + read.source;
      if (read.value.empty()) {
        continue;
      }
      joined += (joined.empty() ? "" : rule.separator) + read.value;
      if (!concat) {
        return {joined, "first(" + read.source + ")"};
      }
    }
    return {joined, (concat ? "concat(" : "first(") + sources + ")"};
  }

  // PID-3(*).1 where .5 = WCN: the first repetition whose fields match.
  Read select(const ValueRule& rule, const std::string& path, const std::string& target) {
    const StarPath star = StarPath::split(path);
    const std::size_t items = source_.count(star.everyItem());
    if (tooMany(items, star.everyItem(), target, rule.where)) {
      return {{}, path, true};
    }
    for (std::size_t i = 1; i <= items; ++i) {
      const bool match = std::all_of(rule.select.begin(), rule.select.end(), [&](const auto& test) {
        return source_.get(star.itemAt(i) + test.first) == test.second;
      });
      if (match) {
        return {value(rule, star.at(i)), star.at(i)};
      }
    }
    std::string where;
    for (const auto& [suffix, value] : rule.select) {
      where += (where.empty() ? "" : " and ") + suffix + " = " + value;
    }
    return {{}, path + " where " + where};
  }

  // A value that is not a number counts as 0 (the XSD reports it); a sum
  // past the largest amount is the rule's error, not a wrapped number.
  Read sum(const ValueRule& rule, const std::string& target) {
    detail::Cents total;
    const auto addValue = [&](const std::string& path) {
      const detail::Cents cents = detail::parseCents(document_.get(path).value_or("0"));
      if (total.ok() && cents.error != detail::Cents::Error::kNotDecimal) {
        total = cents.ok() ? detail::addCents(total.value, cents.value) : cents;
      }
    };
    for (const auto& path : rule.sum) {
      const auto star = path.find("[*]");
      if (star == std::string::npos) {
        addValue(path);
        continue;
      }
      const std::string head = path.substr(0, star);
      for (std::size_t i = 1; i <= document_.count(head); ++i) {
        const std::string item = head + "[" + std::to_string(i) + "]";
        const bool counted =
            std::all_of(rule.sum_where.begin(), rule.sum_where.end(), [&](const auto& test) {
              return document_.get(item + "/" + test.first).value_or("") == test.second;
            });
        if (counted) {
          addValue(item + path.substr(star + 3));
        }
      }
    }
    if (!total.ok()) {
      add(Finding::Severity::kError, target, rule.where,
          "the sum is beyond " + detail::formatCents(detail::kMaxCents) + " (sum)");
      return {{}, "sum"};
    }
    return {detail::formatCents(total.value), "sum"};
  }

  bool holds(const Condition& condition, const Scope& scope) {
    std::string value;
    std::string source = condition.path;
    if (condition.kind == SourceKind::kDocument) {
      value = document_.get(scope.document_prefix + condition.path).value_or("");
    } else if (source_.serves(condition.kind)) {
      source = scope.resolve(condition.path);
      Source::Value got = source_.read(source);
      if (!got.error.empty()) {
        add(Finding::Severity::kError, "(condition)", condition.where,
            source + " cannot be read: " + got.error, Finding::Kind::kOther, source);
        return false;
      }
      value = std::move(got.text);
    }
    if (tooLong(value, source, "(condition)", condition.where)) {
      return false;
    }
    switch (condition.test) {
      case Condition::Test::kEquals:
      case Condition::Test::kIn:
        return std::find(condition.values.begin(), condition.values.end(), value) !=
               condition.values.end();
      case Condition::Test::kMatches:
        return condition.pattern->search(value);
      case Condition::Test::kPresent:
        return !value.empty();
      case Condition::Test::kAbsent:
        return value.empty();
    }
    return false;
  }

  const MappingSet& set_;
  const Source& source_;
  worksafe::Document& document_;
  const bool keep_trace_;
  Evaluation evaluation_;
  std::string raw_;  // the source value of the rule last read, for the trace
};

}  // namespace

std::size_t Hl7Source::count(std::string_view each) const {
  const StarPath star = StarPath::split(each);
  if (star.open == '[' && star.head.find('-') == std::string::npos) {
    return message_.count(star.head);
  }
  // Repetitions: an absent field reads as one empty repetition, which is no item.
  const std::vector<std::string> all = message_.getAll(star.everyItem());
  return all.size() == 1 && all.front().empty() ? 0 : all.size();
}

bool Evaluation::hasErrors() const {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Finding::Severity::kError; });
}

std::string format(const Finding& finding) {
  return std::string(finding.severity == Finding::Severity::kError ? "ERROR " : "WARNING ") +
         finding.target + ": " + finding.message + " [" + format(finding.rule) + "]";
}

Evaluation evaluate(const MessageMapping& mapping, const MappingSet& set, const Source& source,
                    worksafe::Document& document, Trace trace) {
  MappingRun run(set, source, document, trace);
  const Scope top;
  for (const auto& rule : mapping.fields) {
    run.field(rule, top);
  }
  for (const auto& repeat : mapping.repeats) {
    run.repeat(repeat);
  }
  for (const auto& rule : mapping.totals) {
    run.field(rule, top);
  }
  return run.done();
}

}  // namespace rtw::mapping
