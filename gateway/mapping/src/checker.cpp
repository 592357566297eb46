#include "checker.h"

#include "schema_paths.h"

namespace rtw::mapping::detail {
namespace {

[[noreturn]] void fail(const RuleLocation& where, const std::string& message) {
  throw MappingError(where, message);
}

class Checker {
 public:
  Checker(const MappingSet& set, const Element& root) : set_(set), root_(root) {}

  void checkTarget(const ValueRule& rule, const Element& base) {
    if (&base == &root_ && filledByHost(rule.target)) {
      fail(rule.where, "'" + rule.target + "' is filled by the gateway, not by a mapping");
    }
    const Element* leaf = rule.target == "." ? &base : lookUp(base, rule.target, rule.where);
    if (!leaf->children.empty()) {
      fail(rule.where, "'" + rule.target + "' is not a field: it has the elements of " +
                           leaf->name + " below it");
    }
    checkValueRule(rule, *leaf, base);
  }

  void checkRepeat(const RepeatRule& repeat) {
    const Element* item = lookUp(root_, repeat.target, repeat.where);
    if (item->max_occurs == 1) {
      fail(repeat.where, "'" + repeat.target + "' does not repeat in the document");
    }
    for (const auto& filter : repeat.filters) {
      checkCondition(filter, *item);
    }
    for (const auto& rule : repeat.fields) {
      checkTarget(rule, *item);
    }
  }

 private:
  const Element* lookUp(const Element& base, const std::string& path, const RuleLocation& where) {
    std::string missing;
    const Element* found = findElement(base, path, missing);
    if (found == nullptr) {
      fail(where,
           "unknown field '" + path + "': " + base.name + " has no element '" + missing + "' here");
    }
    return found;
  }

  void checkCondition(const Condition& condition, const Element& base) {
    if (condition.kind == SourceKind::kDocument) {
      lookUp(base, condition.path, condition.where);
    }
  }

  void checkSources(const ValueRule& rule, const Element& base) {
    if (!rule.table.empty() && set_.table(rule.table) == nullptr) {
      fail(rule.where, "unknown code table '" + rule.table + "'");
    }
    if (rule.kind == SourceKind::kDocument && !rule.path.empty()) {
      lookUp(base, rule.path, rule.where);
    }
    if (rule.when) {
      checkCondition(*rule.when, base);
    }
    for (const auto& part : rule.concat) {
      checkSources(part, base);
    }
    for (const auto& part : rule.first) {
      checkSources(part, base);
    }
    for (const auto& path : rule.sum) {
      const Element* summed = lookUp(root_, path, rule.where);
      if (!isNumberType(*summed)) {
        fail(rule.where, "'sum' adds numbers; '" + path + "' is xs:" + summed->value_type);
      }
    }
  }

  // A value the rule always writes (const, default, code-table values) must fit.
  void checkFits(const ValueRule& rule, const Element& leaf, const std::string& value,
                 const std::string& what) {
    const std::string mismatch = valueMismatch(leaf, value);
    if (!mismatch.empty()) {
      fail(rule.where, "type mismatch: " + what + " " + mismatch);
    }
  }

  void checkValueRule(const ValueRule& rule, const Element& leaf, const Element& base) {
    checkSources(rule, base);
    const bool transforms_value =
        rule.date != ValueRule::DateFormat::kNone || rule.money || !rule.scale.empty();
    if (rule.date != ValueRule::DateFormat::kNone && !isDateType(leaf)) {
      fail(rule.where, "type mismatch: 'date' writes a date into '" + rule.target +
                           "', which is xs:" + leaf.value_type);
    }
    if (isDateType(leaf) && rule.date == ValueRule::DateFormat::kNone &&
        rule.kind == SourceKind::kHl7 && !rule.path.empty()) {
      fail(rule.where, "type mismatch: '" + rule.target + "' is xs:" + leaf.value_type +
                           " and an HL7 timestamp needs \"date\": \"" + leaf.value_type + "\"");
    }
    if ((rule.money || !rule.scale.empty() || !rule.sum.empty()) && !isNumberType(leaf)) {
      fail(rule.where,
           "type mismatch: '" + rule.target + "' is xs:" + leaf.value_type + ", not a number");
    }
    if (!rule.scale.empty()) {
      checkFits(rule, leaf, rule.scale, "scale");
    }
    if (rule.constant && !transforms_value && rule.table.empty()) {
      checkFits(rule, leaf, *rule.constant, "const");
    }
    if (rule.fallback) {
      checkFits(rule, leaf, *rule.fallback, "default");
    }
    if (const CodeTable* table = set_.table(rule.table); table != nullptr && !transforms_value) {
      for (const auto& [code, value] : table->codes) {
        checkFits(rule, leaf, value, "table '" + rule.table + "' maps '" + code + "' to");
      }
      if (table->fallback) {
        checkFits(rule, leaf, *table->fallback, "table '" + rule.table + "' falls back to");
      }
    }
  }

  const MappingSet& set_;
  const Element& root_;
};

}  // namespace

void checkMapping(const MessageMapping& mapping, const MappingSet& set,
                  const worksafe::SchemaSet& schemas) {
  const auto model = schemas.model(mapping.document);
  Checker checker(set, model->root);
  for (const auto& rule : mapping.fields) {
    checker.checkTarget(rule, model->root);
  }
  for (const auto& repeat : mapping.repeats) {
    checker.checkRepeat(repeat);
  }
  for (const auto& rule : mapping.totals) {
    checker.checkTarget(rule, model->root);
  }
}

}  // namespace rtw::mapping::detail
