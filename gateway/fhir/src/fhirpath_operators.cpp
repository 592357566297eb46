// FHIRPath's operators: equality, comparison, membership and the
// three-valued boolean logic (an empty operand is "unknown").

#include "fhirpath_eval.h"
#include "fhirpath_values.h"

namespace rtw::fhir::detail {
namespace {

using Tribool = std::optional<bool>;

Collection ofTribool(Tribool value) {
  return value ? Collection{Item::ofBoolean(*value)} : Collection{};
}

// FHIRPath's singleton evaluation of a collection as a boolean: empty is
// unknown, one boolean is itself, any other single item is true.
Tribool truth(const Evaluator& evaluator, const Collection& items, const Expr& at,
              const char* side) {
  if (items.empty()) {
    return std::nullopt;
  }
  if (items.size() > 1) {
    evaluator.fail(at, "'" + at.name + "' needs one boolean on the " + side + ", not " +
                           std::to_string(items.size()) + " items");
  }
  const auto boolean = itemBoolean(items.front());
  return boolean ? *boolean : true;
}

Tribool logic(const std::string& op, Tribool a, Tribool b) {
  if (op == "and") {
    if (a == false || b == false) {
      return false;
    }
    return a && b ? Tribool(true) : std::nullopt;
  }
  if (op == "or") {
    if (a == true || b == true) {
      return true;
    }
    return a && b ? Tribool(false) : std::nullopt;
  }
  if (op == "xor") {
    return a && b ? Tribool(*a != *b) : std::nullopt;
  }
  // implies
  if (a == false || b == true) {
    return true;
  }
  return a && b ? Tribool(false) : std::nullopt;
}

// '=' on collections: same size and equal item by item, in order.
Tribool equalCollections(const Collection& a, const Collection& b, const JsonDocument& document) {
  if (a.empty() || b.empty()) {
    return std::nullopt;
  }
  if (a.size() != b.size()) {
    return false;
  }
  bool unknown = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Tribool equal = equalItems(a[i], b[i], document);
    if (equal == false) {
      return false;
    }
    unknown = unknown || !equal;
  }
  return unknown ? std::nullopt : Tribool(true);
}

void needSingle(const Evaluator& evaluator, const Collection& items, const Expr& at,
                const char* side) {
  if (items.size() > 1) {
    evaluator.fail(at, "'" + at.name + "' compares one item on the " + side + ", not " +
                           std::to_string(items.size()) + " (select one with first() or where())");
  }
}

// 'x in list' / 'list contains x': x is one item (empty gives empty).
Tribool membership(const Evaluator& evaluator, const Collection& element, const Collection& list,
                   const Expr& at, const char* side) {
  needSingle(evaluator, element, at, side);
  if (element.empty()) {
    return std::nullopt;
  }
  for (const Item& item : list) {
    if (equalItems(element.front(), item, evaluator.document()) == true) {
      return true;
    }
  }
  return false;
}

}  // namespace

Collection Evaluator::binary(const Expr& expr, const Collection& focus) {
  const Collection left = evaluate(*expr.args[0], focus);
  const Collection right = evaluate(*expr.args[1], focus);
  const std::string& op = expr.name;
  if (op == "and" || op == "or" || op == "xor" || op == "implies") {
    return ofTribool(
        logic(op, truth(*this, left, expr, "left"), truth(*this, right, expr, "right")));
  }
  if (op == "=" || op == "!=") {
    const Tribool equal = equalCollections(left, right, document());
    return ofTribool(equal && op == "!=" ? Tribool(!*equal) : equal);
  }
  if (op == "in") {
    return ofTribool(membership(*this, left, right, expr, "left"));
  }
  if (op == "contains") {
    return ofTribool(membership(*this, right, left, expr, "right"));
  }
  // < <= > >=
  needSingle(*this, left, expr, "left");
  needSingle(*this, right, expr, "right");
  if (left.empty() || right.empty()) {
    return {};
  }
  const std::optional<int> order = compareItems(left.front(), right.front(), document());
  if (!order) {
    return {};
  }
  const bool holds = op == "<"    ? *order < 0
                     : op == "<=" ? *order <= 0
                     : op == ">"  ? *order > 0
                                  : *order >= 0;
  return {Item::ofBoolean(holds)};
}

}  // namespace rtw::fhir::detail
