// The function table: what the parser accepts (name, arguments) and what
// each function does. Existence, filtering, subsetting and iif() are here;
// text and FHIR functions in fhirpath_strings.cpp and fhirpath_resolve.cpp.

#include <algorithm>
#include <iterator>

#include "fhirpath_builtins.h"
#include "fhirpath_types.h"
#include "fhirpath_values.h"

namespace rtw::fhir::detail {
namespace {

using Args = FunctionSpec::Args;

// A lambda's answer for one item, by singleton evaluation (one boolean is
// itself, empty is false, any other single item is true).
bool holdsFor(Evaluator& e, const Expr& call, const Item& item, std::size_t index) {
  const Collection result = e.perItem(*call.args.front(), item, index);
  if (result.size() > 1) {
    e.fail(call, call.name + "() needs one boolean from its criteria, not " +
                     std::to_string(result.size()) + " items");
  }
  if (result.empty()) {
    return false;
  }
  return itemBoolean(result.front()).value_or(true);
}

Collection where(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  Collection out;
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (holdsFor(e, call, input[i], i)) {
      out.push_back(std::move(input[i]));
    }
  }
  return out;
}

Collection select(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  Collection out;
  for (std::size_t i = 0; i < input.size(); ++i) {
    Collection part = e.perItem(*call.args.front(), input[i], i);
    std::move(part.begin(), part.end(), std::back_inserter(out));
    e.checkSize(out, call);
  }
  return out;
}

Collection exists(Evaluator& e, const Expr& call, Collection input, const Collection& focus) {
  if (!call.args.empty()) {
    input = where(e, call, std::move(input), focus);
  }
  return {Item::ofBoolean(!input.empty())};
}

Collection all(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (!holdsFor(e, call, input[i], i)) {
      return {Item::ofBoolean(false)};
    }
  }
  return {Item::ofBoolean(true)};
}

Collection empty(Evaluator&, const Expr&, Collection input, const Collection&) {
  return {Item::ofBoolean(input.empty())};
}

Collection count(Evaluator&, const Expr&, Collection input, const Collection&) {
  return {Item::computed(Item::Kind::kInteger, std::to_string(input.size()))};
}

Collection hasValue(Evaluator&, const Expr&, Collection input, const Collection&) {
  const bool value =
      input.size() == 1 && (input.front().kind != Item::Kind::kNode ||
                            (input.front().node != nullptr && !input.front().node->IsObject()));
  return {Item::ofBoolean(value)};
}

Collection negate(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  if (input.empty()) {
    return {};
  }
  if (input.size() > 1) {
    e.fail(call, "not() needs one boolean, not " + std::to_string(input.size()) + " items");
  }
  return {Item::ofBoolean(!itemBoolean(input.front()).value_or(true))};
}

Collection ofType(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  Collection out;
  for (Item& item : input) {
    if (isOfType(item, call.type, e.document())) {
      out.push_back(std::move(item));
    }
  }
  return out;
}

Collection isFunction(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  if (input.size() > 1) {
    e.fail(call, "is() tests one item, not " + std::to_string(input.size()));
  }
  return input.empty()
             ? Collection{}
             : Collection{Item::ofBoolean(isOfType(input.front(), call.type, e.document()))};
}

Collection asFunction(Evaluator& e, const Expr& call, Collection input, const Collection& focus) {
  if (input.size() > 1) {
    e.fail(call, "as() converts one item, not " + std::to_string(input.size()));
  }
  return ofType(e, call, std::move(input), focus);
}

Collection first(Evaluator&, const Expr&, Collection input, const Collection&) {
  return input.empty() ? Collection{} : Collection{std::move(input.front())};
}

Collection last(Evaluator&, const Expr&, Collection input, const Collection&) {
  return input.empty() ? Collection{} : Collection{std::move(input.back())};
}

Collection single(Evaluator& e, const Expr& call, Collection input, const Collection&) {
  if (input.size() > 1) {
    e.fail(call, "single() found " + std::to_string(input.size()) + " items");
  }
  return input;
}

Collection part(Collection input, long long from, long long to) {
  const auto size = static_cast<long long>(input.size());
  from = std::clamp(from, 0LL, size);
  to = std::clamp(to, from, size);
  return Collection(std::make_move_iterator(input.begin() + from),
                    std::make_move_iterator(input.begin() + to));
}

Collection tail(Evaluator&, const Expr&, Collection input, const Collection&) {
  const auto size = static_cast<long long>(input.size());
  return part(std::move(input), 1, size);
}

Collection skip(Evaluator& e, const Expr& call, Collection input, const Collection& focus) {
  const long long n = builtins::integerArgument(e, call, 0, focus);
  const auto size = static_cast<long long>(input.size());
  return part(std::move(input), n, size);
}

Collection take(Evaluator& e, const Expr& call, Collection input, const Collection& focus) {
  const long long n = builtins::integerArgument(e, call, 0, focus);
  return part(std::move(input), 0, std::max(n, 0LL));
}

// iif(criterion, true-result [, otherwise-result]): only the branch taken
// is evaluated.
Collection iif(Evaluator& e, const Expr& call, Collection, const Collection& focus) {
  const Collection criterion = e.argument(call, 0, focus);
  if (criterion.size() > 1) {
    e.fail(call, "iif() needs one boolean as its criterion, not " +
                     std::to_string(criterion.size()) + " items");
  }
  const bool taken = !criterion.empty() && itemBoolean(criterion.front()).value_or(true);
  if (taken) {
    return e.argument(call, 1, focus);
  }
  return call.args.size() > 2 ? e.argument(call, 2, focus) : Collection{};
}

// Sorted by name (findFunction searches it).
constexpr FunctionSpec kFunctions[] = {
    {"all", 1, 1, Args::kLambda, all},
    {"as", 1, 1, Args::kType, asFunction},
    {"contains", 1, 1, Args::kValue, builtins::containsText},
    {"count", 0, 0, Args::kValue, count},
    {"empty", 0, 0, Args::kValue, empty},
    {"endsWith", 1, 1, Args::kValue, builtins::endsWith},
    {"exists", 0, 1, Args::kLambda, exists},
    {"extension", 1, 1, Args::kValue, builtins::extension},
    {"first", 0, 0, Args::kValue, first},
    {"hasValue", 0, 0, Args::kValue, hasValue},
    {"iif", 2, 3, Args::kValue, iif},
    {"indexOf", 1, 1, Args::kValue, builtins::indexOf},
    {"is", 1, 1, Args::kType, isFunction},
    {"last", 0, 0, Args::kValue, last},
    {"length", 0, 0, Args::kValue, builtins::length},
    {"lower", 0, 0, Args::kValue, builtins::lower},
    {"matches", 1, 1, Args::kPattern, builtins::matches},
    {"not", 0, 0, Args::kValue, negate},
    {"ofType", 1, 1, Args::kType, ofType},
    {"resolve", 0, 0, Args::kValue, builtins::resolve},
    {"select", 1, 1, Args::kLambda, select},
    {"single", 0, 0, Args::kValue, single},
    {"skip", 1, 1, Args::kValue, skip},
    {"startsWith", 1, 1, Args::kValue, builtins::startsWith},
    {"substring", 1, 2, Args::kValue, builtins::substring},
    {"tail", 0, 0, Args::kValue, tail},
    {"take", 1, 1, Args::kValue, take},
    {"toString", 0, 0, Args::kValue, builtins::toString},
    {"upper", 0, 0, Args::kValue, builtins::upper},
    {"where", 1, 1, Args::kLambda, where},
};

}  // namespace

const FunctionSpec* findFunction(std::string_view name) {
  const auto found =
      std::lower_bound(std::begin(kFunctions), std::end(kFunctions), name,
                       [](const FunctionSpec& spec, std::string_view n) { return spec.name < n; });
  return found != std::end(kFunctions) && found->name == name ? found : nullptr;
}

std::string functionNames() {
  std::string names;
  for (const FunctionSpec& spec : kFunctions) {
    names += (names.empty() ? "" : ", ") + std::string(spec.name) + "()";
  }
  return names;
}

}  // namespace rtw::fhir::detail
