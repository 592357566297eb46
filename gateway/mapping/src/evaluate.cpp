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
  std::string source;  // the resolved path, "const", ...
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
    if (read.value.empty()) {
      reportEmpty(rule, target, read.source);
      return;
    }
    if (auto problem = document_.set(target, read.value)) {
      add(Finding::Severity::kError, target, rule.where, problem->message);
      return;
    }
    if (keep_trace_) {
      evaluation_.trace.push_back({target, rule.where, read.source, raw_, read.value});
    }
  }

  void repeat(const RepeatRule& repeat) {
    StarPath each = StarPath::split(repeat.each);
    each.fhir = repeat.kind == SourceKind::kFhirPath;
    const std::size_t items = source_.count(repeat.each);
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
           const std::string& message) {
    evaluation_.findings.push_back({severity, target, where, message});
  }

  void reportEmpty(const ValueRule& rule, const std::string& target, const std::string& source) {
    if (rule.required) {
      add(Finding::Severity::kError, target, rule.where,
          "required, and its source " + source + " gave no value");
    } else if (!rule.optional) {
      add(Finding::Severity::kWarning, target, rule.where,
          "left empty: its source " + source + " gave no value");
    }
  }

  // The rule's value after transforms and default; errors become findings.
  Read readRule(const ValueRule& rule, const Scope& scope, const std::string& target) {
    Read read = readSource(rule, scope, target);
    raw_ = read.value;
    detail::Transformed out = detail::applyTransforms(rule, read.value, set_);
    if (!out.error.empty()) {
      add(Finding::Severity::kError, target, rule.where, out.error + " (" + read.source + ")");
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
      return {sum(rule), "sum"};
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
    return rule.select.empty() ? Read{value(rule, path), path} : select(rule, path);
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
  Read select(const ValueRule& rule, const std::string& path) {
    const StarPath star = StarPath::split(path);
    const std::size_t items = source_.count(star.everyItem());
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

  std::string sum(const ValueRule& rule) {
    std::int64_t total = 0;
    for (const auto& path : rule.sum) {
      const auto star = path.find("[*]");
      if (star == std::string::npos) {
        total += detail::parseCents(document_.get(path).value_or("0")).value_or(0);
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
          total += detail::parseCents(document_.get(item + path.substr(star + 3)).value_or("0"))
                       .value_or(0);
        }
      }
    }
    return detail::formatCents(total);
  }

  bool holds(const Condition& condition, const Scope& scope) const {
    std::string value;
    if (condition.kind == SourceKind::kDocument) {
      value = document_.get(scope.document_prefix + condition.path).value_or("");
    } else if (source_.serves(condition.kind)) {
      value = source_.get(scope.resolve(condition.path));
    }
    switch (condition.test) {
      case Condition::Test::kEquals:
      case Condition::Test::kIn:
        return std::find(condition.values.begin(), condition.values.end(), value) !=
               condition.values.end();
      case Condition::Test::kMatches:
        return std::regex_search(value, *condition.pattern);
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
