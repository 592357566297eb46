// What a parsed expression must also be to run on a mapping's resource:
// every path outside a function's criteria starts with the resource type
// (one type for the whole expression), and a repeat's "each" has its one
// "[*]" on the path itself, which is where the mapping splits it.

#include <algorithm>
#include <cctype>

#include "fhirpath.h"
#include "fhirpath_eval.h"
#include "fhirpath_lex.h"
#include "fhirpath_types.h"

namespace rtw::fhir::detail {
namespace {

constexpr const char* kStartWithType =
    "a FHIRPath starts with the resource type, e.g. ServiceRequest.subject";

class RootCheck {
 public:
  // `at_root`: the expression is evaluated on the resource itself, not on
  // an item of a where()/select()/exists()/all().
  void visit(const Expr& expr, bool at_root) {
    switch (expr.kind) {
      case Expr::Kind::kMember:
        if (expr.receiver) {
          visit(*expr.receiver, at_root);
        } else if (at_root) {
          rootType(expr);
        }
        return;
      case Expr::Kind::kFunction:
        if (expr.receiver) {
          visit(*expr.receiver, at_root);
        } else if (at_root && expr.name != "iif") {
          throw SyntaxError(expr.position, kStartWithType);
        }
        for (const auto& arg : expr.args) {
          visit(*arg, at_root && expr.function->args != FunctionSpec::Args::kLambda);
        }
        return;
      case Expr::Kind::kThis:
      case Expr::Kind::kIndexVar:
        if (at_root) {
          throw SyntaxError(expr.position,
                            std::string(expr.kind == Expr::Kind::kThis ? "$this" : "$index") +
                                " is an item of where(), select(), exists() or "
                                "all(); " +
                                kStartWithType);
        }
        return;
      case Expr::Kind::kBinary:
        visit(*expr.args[0], at_root);
        visit(*expr.args[1], at_root);
        return;
      case Expr::Kind::kIndex:
      case Expr::Kind::kEvery:
      case Expr::Kind::kTypeTest:
        visit(*expr.receiver, at_root);
        return;
      case Expr::Kind::kLiteral:
      case Expr::Kind::kVariable:
        return;
    }
  }

  const std::string& type() const { return type_; }

 private:
  void rootType(const Expr& expr) {
    if (expr.name.empty() || !std::isupper(static_cast<unsigned char>(expr.name[0]))) {
      throw SyntaxError(expr.position, kStartWithType);
    }
    if (!isResourceType(expr.name)) {
      throw SyntaxError(expr.position, "'" + expr.name + "' is not a FHIR R4 resource type");
    }
    if (!type_.empty() && type_ != expr.name) {
      throw SyntaxError(expr.position,
                        "the expression starts at both " + type_ + " and " + expr.name);
    }
    type_ = expr.name;
  }

  std::string type_;
};

// The "[*]" reached from the root through receivers only (the path itself).
const Expr* everyOnPath(const Expr& root) {
  for (const Expr* step = &root; step != nullptr; step = step->receiver.get()) {
    if (step->kind == Expr::Kind::kEvery) {
      return step;
    }
    if (step->kind == Expr::Kind::kBinary || step->kind == Expr::Kind::kLiteral) {
      return nullptr;
    }
  }
  return nullptr;
}

}  // namespace

void checkParsed(FhirPath& path, std::string_view text, bool allow_every, int every_steps) {
  RootCheck check;
  check.visit(*path.root, true);
  if (check.type().empty()) {
    throw SyntaxError(0, kStartWithType);
  }
  path.resource_type = check.type();
  if (!allow_every) {
    return;
  }
  if (every_steps != 1) {
    throw SyntaxError(0, "'each' needs exactly one '[*]', e.g. Claim.item[*]");
  }
  path.every = everyOnPath(*path.root);
  if (path.every == nullptr) {
    throw SyntaxError(0,
                      "the '[*]' of 'each' is on the path itself (Claim.item[*].net), not "
                      "inside a function's arguments or an operator");
  }
  if (std::count(text.begin(), text.end(), '*') != 1) {
    throw SyntaxError(0, "'each' holds no '*' besides its '[*]'");
  }
}

}  // namespace rtw::fhir::detail
