#pragma once
// Evaluating a parsed FHIRPath (fhirpath.h) over a resource held in a
// JsonDocument: collections of items, navigation with FHIR's JSON rules
// (arrays flatten, choice elements, "_name" of primitives), and the
// function table shared with the parser.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rapidjson/document.h>

#include "fhirpath.h"
#include "json_document.h"
#include "rtw/fhir/resource.h"

namespace rtw::fhir::detail {

/// One item of a collection: an element of the resource, or a value an
/// expression computed (a literal, a count, a comparison).
struct Item {
  enum class Kind : std::uint8_t {
    kNode,
    kBoolean,
    kInteger,
    kDecimal,
    kString,
    kDate,
    kDateTime,
    kTime
  };
  Kind kind = Kind::kNode;
  bool boolean = false;
  const rapidjson::Value* node = nullptr;    // kNode; nullptr for a primitive that has only "_name"
  const rapidjson::Value* extras = nullptr;  // kNode: the "_name" object of a primitive
  const rapidjson::Value* owner = nullptr;   // kNode: the resource whose contained "#id" names
  std::string_view type;                     // the FHIR type when known ("Quantity", "Patient")
  std::string text;                          // computed values: their text

  static Item computed(Kind kind, std::string text);
  static Item ofBoolean(bool value);
};
using Collection = std::vector<Item>;

/// The text a mapping reads from an item: strings and numbers as written,
/// booleans as true/false, objects as "".
std::string itemText(const Item& item, const JsonDocument& document);

/// A runtime error: what went wrong, naming the expression's place, never
/// a value of the resource.
class EvaluationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Evaluator;
using FunctionRun = Collection (*)(Evaluator& evaluator, const Expr& call, Collection input,
                                   const Collection& focus);

struct FunctionSpec {
  enum class Args { kValue, kLambda, kType, kPattern };
  std::string_view name;
  int min_args = 0;
  int max_args = 0;
  Args args = Args::kValue;  // kValue: evaluated on the caller's focus; kLambda: on each item
  FunctionRun run = nullptr;
};
/// The function of that name, or nullptr (fhirpath_functions.cpp).
const FunctionSpec* findFunction(std::string_view name);
/// "first(), last(), ..." for messages.
std::string functionNames();

/// Where an evaluation happens: the resource, the Bundle it came from (for
/// resolve()) and the item a repeat stands at.
struct EvaluationContext {
  const JsonDocument* document = nullptr;
  const rapidjson::Value* resource = nullptr;
  const rapidjson::Value* bundle = nullptr;  // the Bundle holding `resource`, or nullptr
  std::size_t every_index = 0;               // what "[*]" selects
  const Variables* variables = nullptr;      // the gateway's variables, or nullptr
};

class Evaluator {
 public:
  explicit Evaluator(const EvaluationContext& context) : context_(context) {}

  /// Throws EvaluationError.
  Collection evaluate(const Expr& expr, const Collection& focus);
  Collection root() const;

  const EvaluationContext& context() const { return context_; }
  const JsonDocument& document() const { return *context_.document; }
  /// Throws when `items` is larger than kMaxCollectionItems.
  void checkSize(const Collection& items, const Expr& at) const;
  [[noreturn]] void fail(const Expr& at, const std::string& message) const;

  /// The member `name` of each item, flattened (FHIRPath's navigation).
  Collection member(const Collection& input, std::string_view name) const;
  /// Evaluates a lambda argument with each item as $this (where, select...).
  Collection perItem(const Expr& lambda, const Item& item, std::size_t index);
  /// A value argument: evaluated on the caller's focus.
  Collection argument(const Expr& call, std::size_t n, const Collection& focus) {
    return evaluate(*call.args[n], focus);
  }

  /// The contained resource `id` of `owner` (resolve() of "#id").
  const rapidjson::Value* contained(const rapidjson::Value* owner, std::string_view id);

 private:
  Collection binary(const Expr& expr, const Collection& focus);
  Collection navigate(const Expr& expr, const Collection& focus);
  Collection variable(const Expr& expr) const;

  EvaluationContext context_;
  std::size_t index_ = 0;  // $index
  std::unordered_map<const rapidjson::Value*,
                     std::unordered_map<std::string_view, const rapidjson::Value*>>
      contained_;
};

/// A literal as one item.
Item literalItem(const Literal& literal);

}  // namespace rtw::fhir::detail
