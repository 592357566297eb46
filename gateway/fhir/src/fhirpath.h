#pragma once
// The FHIRPath that mappings and plugins read FHIR resources with
// (mappings/README.md, "FHIRPath"): paths from the resource root
// ("ServiceRequest.subject.resolve().name"), indexers, comparisons and
// boolean operators, and the functions of the function table
// (fhirpath_functions.cpp). Anything else is a syntax error with its place,
// found when a mapping is loaded, so a mapping never meets an expression it
// cannot run.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtw::regex {
class Pattern;
}

namespace rtw::fhir::detail {

/// Bounds on what an expression may be: checked when it is parsed.
inline constexpr std::size_t kMaxExpressionBytes = 4096;
/// Parentheses, function arguments and operators nested in one another.
inline constexpr int kMaxExpressionDepth = 32;
/// Steps (names, calls, literals, operators) in one expression: the
/// evaluation recurses once per step of a path.
inline constexpr int kMaxExpressionSteps = 512;
/// Items any step of an evaluation may hold: past it the evaluation stops
/// with an error (a mapping reads one item; no real rule needs more).
inline constexpr std::size_t kMaxCollectionItems = 100000;

struct Literal {
  enum class Kind { kEmpty, kBoolean, kString, kInteger, kDecimal, kDate, kDateTime, kTime };
  Kind kind = Kind::kEmpty;
  std::string text;  // as written, without quotes or '@' ("true", "2024-11-01", "1.50")
};

struct FunctionSpec;

struct Expr {
  enum class Kind {
    kLiteral,   // literal
    kMember,    // receiver.name, or name on the focus
    kFunction,  // receiver.name(args), or name(args) on the focus
    kIndex,     // receiver[index]
    kEvery,     // receiver[*]: the item of a repeat's "each"
    kBinary,    // args[0] name args[1]: "=", "!=", "<", "and", "in", ...
    kTypeTest,  // receiver is name / receiver as name
    kThis,      // $this
    kIndexVar,  // $index
    kVariable,  // %name
  };
  Kind kind = Kind::kLiteral;
  std::size_t position = 0;  // where it starts in the text, from 0
  std::string name;          // member, function, operator ("is" / "as" too) or variable
  std::string type;          // kTypeTest, ofType(), is(), as(): the type name
  Literal literal;
  std::size_t index = 0;
  std::unique_ptr<Expr> receiver;                 // nullptr: the focus ($this)
  std::vector<std::unique_ptr<Expr>> args;        // function arguments, binary operands
  const FunctionSpec* function = nullptr;         // kFunction
  std::shared_ptr<const regex::Pattern> pattern;  // matches('literal'), compiled once
};

struct FhirPath {
  std::unique_ptr<Expr> root;
  std::string resource_type;    // what its paths start with: "ServiceRequest"
  const Expr* every = nullptr;  // the "[*]" of a repeat's "each", on the path itself
  /// The position of the "[*]" in the text, or nullopt.
  std::optional<std::size_t> everyPosition() const;
};

/// Parses `text`; nothing, with `error` saying what and where ("... (at
/// character 12)"), when it is not FHIRPath this engine runs, is longer than
/// kMaxExpressionBytes or nests deeper than kMaxExpressionDepth.
/// `allow_every` accepts one "[*]" on the path (a repeat's "each").
std::optional<FhirPath> parseFhirPath(std::string_view text, std::string& error,
                                      bool allow_every = false);

}  // namespace rtw::fhir::detail
