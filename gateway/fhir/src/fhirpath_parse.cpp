// FHIRPath's grammar by precedence climbing: postfix steps (.name,
// .function(...), [n]) bind tightest, then is/as, comparisons, equality,
// in/contains, and, or/xor, implies. Function names, their arguments and
// type names are checked here, so a mapping with a typo fails at load.

#include "fhirpath.h"
#include "fhirpath_eval.h"
#include "fhirpath_lex.h"
#include "fhirpath_types.h"
#include "fhirpath_values.h"
#include "rtw/fhir/naming_systems.h"
#include "rtw/regex/pattern.h"

namespace rtw::fhir::detail {
namespace {

struct Infix {
  std::string_view name;
  int power;
  const char* unsupported = nullptr;  // why it is refused
};

constexpr Infix kInfix[] = {
    {"implies", 1},
    {"or", 2},
    {"xor", 2},
    {"and", 3},
    {"in", 4},
    {"contains", 4},
    {"=", 5},
    {"!=", 5},
    {"~", 5, "equivalence ('~') is not supported: use '='"},
    {"!~", 5, "equivalence ('!~') is not supported: use '!='"},
    {"<", 6},
    {"<=", 6},
    {">", 6},
    {">=", 6},
    {"|", 7, "'|' (union) is not supported"},
    {"is", 8},
    {"as", 8},
    {"+", 9, "arithmetic ('+') is not supported"},
    {"-", 9, "arithmetic ('-') is not supported"},
    {"&", 9, "string concatenation ('&') is not supported"},
    {"*", 10, "arithmetic ('*') is not supported"},
    {"/", 10, "arithmetic ('/') is not supported"},
    {"div", 10, "arithmetic ('div') is not supported"},
    {"mod", 10, "arithmetic ('mod') is not supported"},
};

class Parser {
 public:
  Parser(std::string_view text, bool allow_every) : lexer_(text), allow_every_(allow_every) {}

  std::unique_ptr<Expr> parse() {
    advance();
    auto root = expression(0);
    if (token_.kind != Token::Kind::kEnd) {
      throw SyntaxError(token_.position, "unexpected '" + token_.text + "'");
    }
    return root;
  }
  int everySteps() const { return every_steps_; }

 private:
  void advance() {
    std::string problem;
    token_ = lexer_.next(problem);
    if (!problem.empty()) {
      throw SyntaxError(token_.position, problem);
    }
  }

  bool isSymbol(std::string_view symbol) const {
    return token_.kind == Token::Kind::kSymbol && token_.text == symbol;
  }

  void expect(std::string_view symbol) {
    if (!isSymbol(symbol)) {
      throw SyntaxError(token_.position, "expected '" + std::string(symbol) + "'");
    }
    advance();
  }

  const Infix* infix() const {
    const bool word = token_.kind == Token::Kind::kIdentifier && !token_.delimited;
    if (!word && token_.kind != Token::Kind::kSymbol) {
      return nullptr;
    }
    for (const Infix& op : kInfix) {
      if (op.name == token_.text) {
        return &op;
      }
    }
    return nullptr;
  }

  std::unique_ptr<Expr> node(Expr::Kind kind, std::size_t position) {
    if (++steps_ > kMaxExpressionSteps) {
      throw SyntaxError(position, "the expression has more than " +
                                      std::to_string(kMaxExpressionSteps) + " steps");
    }
    auto expr = std::make_unique<Expr>();
    expr->kind = kind;
    expr->position = position;
    return expr;
  }

  std::unique_ptr<Expr> expression(int min_power) {
    if (++depth_ > kMaxExpressionDepth) {
      throw SyntaxError(token_.position, "the expression nests deeper than " +
                                             std::to_string(kMaxExpressionDepth) + " levels");
    }
    auto left = postfix(term());
    while (const Infix* op = infix()) {
      if (op->power < min_power) {
        break;
      }
      if (op->unsupported != nullptr) {
        throw SyntaxError(token_.position, op->unsupported);
      }
      const std::size_t position = token_.position;
      advance();
      if (op->name == "is" || op->name == "as") {
        auto test = node(Expr::Kind::kTypeTest, position);
        test->name = std::string(op->name);
        test->type = typeSpecifier();
        test->receiver = std::move(left);
        left = std::move(test);
        continue;
      }
      auto binary = node(Expr::Kind::kBinary, position);
      binary->name = std::string(op->name);
      binary->args.push_back(std::move(left));
      binary->args.push_back(expression(op->power + 1));
      left = std::move(binary);
    }
    --depth_;
    return left;
  }

  std::unique_ptr<Expr> literal(Literal::Kind kind, std::string text, std::size_t position) {
    auto expr = node(Expr::Kind::kLiteral, position);
    expr->literal = {kind, std::move(text)};
    return expr;
  }

  std::unique_ptr<Expr> term() {
    const Token token = token_;
    switch (token.kind) {
      case Token::Kind::kEnd:
        throw SyntaxError(token.position, "the expression ends early");
      case Token::Kind::kNumber:
        advance();
        if (token_.kind == Token::Kind::kString) {
          throw SyntaxError(token_.position, "quantities (4 'mg') are not supported");
        }
        return literal(token.text.find('.') == std::string::npos ? Literal::Kind::kInteger
                                                                 : Literal::Kind::kDecimal,
                       token.text, token.position);
      case Token::Kind::kString:
        advance();
        return literal(Literal::Kind::kString, token.text, token.position);
      case Token::Kind::kDateTime:
        advance();
        return dateTimeLiteral(token);
      case Token::Kind::kVariable:
        advance();
        return variable(token);
      case Token::Kind::kSpecial:
        advance();
        if (token.text == "this" || token.text == "index") {
          return node(token.text == "this" ? Expr::Kind::kThis : Expr::Kind::kIndexVar,
                      token.position);
        }
        throw SyntaxError(token.position, "unknown '$" + token.text + "': $this and $index are");
      case Token::Kind::kIdentifier:
        return identifierTerm(token);
      case Token::Kind::kSymbol:
        break;
    }
    return symbolTerm(token);
  }

  std::unique_ptr<Expr> symbolTerm(const Token& token) {
    if (token.text == "(") {
      advance();
      auto inner = expression(0);
      expect(")");
      return inner;
    }
    if (token.text == "{") {
      advance();
      expect("}");
      return literal(Literal::Kind::kEmpty, {}, token.position);
    }
    if (token.text == "-" || token.text == "+") {
      advance();
      if (token_.kind != Token::Kind::kNumber) {
        throw SyntaxError(token.position, "arithmetic ('" + token.text + "') is not supported");
      }
      auto number = term();
      if (token.text == "-") {
        number->literal.text.insert(0, "-");
      }
      number->position = token.position;
      return number;
    }
    throw SyntaxError(token.position, "unexpected '" + token.text + "'");
  }

  std::unique_ptr<Expr> identifierTerm(const Token& token) {
    advance();
    if (!token.delimited && (token.text == "true" || token.text == "false")) {
      return literal(Literal::Kind::kBoolean, token.text, token.position);
    }
    if (isSymbol("(")) {
      return call(token, nullptr);
    }
    auto member = node(Expr::Kind::kMember, token.position);
    member->name = token.text;
    return member;
  }

  std::unique_ptr<Expr> dateTimeLiteral(const Token& token) {
    const auto moment = parseMoment(token.text);
    if (!moment) {
      throw SyntaxError(token.position, "'@" + token.text + "' is not a date, dateTime or time");
    }
    const Literal::Kind kind = moment->is_time ? Literal::Kind::kTime
                               : token.text.find('T') != std::string::npos
                                   ? Literal::Kind::kDateTime
                                   : Literal::Kind::kDate;
    std::string text = moment->is_time ? token.text.substr(1) : token.text;
    if (!text.empty() && text.back() == 'T') {
      text.pop_back();
    }
    return literal(kind, std::move(text), token.position);
  }

  std::unique_ptr<Expr> variable(const Token& token) {
    if (token.text == "resource" || token.text == "context" || token.text == "rootResource") {
      throw SyntaxError(token.position, "%" + token.text +
                                            " is not supported: start the path from the "
                                            "resource type");
    }
    if (environmentVariable(token.text).empty() && !isGatewayVariable(token.text)) {
      throw SyntaxError(token.position, "unknown variable '%" + token.text +
                                            "' (there are %bcPhnSystems, %onHcnSystems, "
                                            "%identifierVersionUrls, %claimNumberSystem, "
                                            "%boardNames, %ucum, %sct and %loinc)");
    }
    auto expr = node(Expr::Kind::kVariable, token.position);
    expr->name = token.text;
    return expr;
  }

  std::unique_ptr<Expr> postfix(std::unique_ptr<Expr> left) {
    while (true) {
      if (isSymbol(".")) {
        advance();
        if (token_.kind != Token::Kind::kIdentifier) {
          throw SyntaxError(token_.position, "expected a name after '.'");
        }
        const Token name = token_;
        advance();
        if (isSymbol("(")) {
          left = call(name, std::move(left));
        } else {
          auto member = node(Expr::Kind::kMember, name.position);
          member->name = name.text;
          member->receiver = std::move(left);
          left = std::move(member);
        }
      } else if (isSymbol("[")) {
        left = indexer(std::move(left));
      } else {
        return left;
      }
    }
  }

  std::unique_ptr<Expr> indexer(std::unique_ptr<Expr> receiver) {
    const std::size_t position = token_.position;
    advance();
    std::unique_ptr<Expr> step;
    if (allow_every_ && isSymbol("*")) {
      step = node(Expr::Kind::kEvery, position);
      ++every_steps_;
    } else if (token_.kind == Token::Kind::kNumber && token_.text.find('.') == std::string::npos &&
               token_.text.size() <= 6) {
      step = node(Expr::Kind::kIndex, position);
      step->index = std::stoul(token_.text);
    } else {
      throw SyntaxError(token_.position, allow_every_ ? "an indexer is a number or '*'"
                                                      : "an indexer is a number, e.g. [0]");
    }
    advance();
    expect("]");
    step->receiver = std::move(receiver);
    return step;
  }

  std::string typeSpecifier() {
    if (token_.kind != Token::Kind::kIdentifier) {
      throw SyntaxError(token_.position, "expected a type name (Quantity, Patient, string)");
    }
    const Token first = token_;
    std::string name = first.text;
    advance();
    if ((name == "FHIR" || name == "System") && isSymbol(".")) {
      advance();
      if (token_.kind != Token::Kind::kIdentifier) {
        throw SyntaxError(token_.position, "expected a type name after '" + name + ".'");
      }
      name += "." + token_.text;
      advance();
    }
    if (!isKnownType(name)) {
      throw SyntaxError(first.position, "unknown type '" + name + "'");
    }
    return name;
  }

  std::unique_ptr<Expr> call(const Token& name, std::unique_ptr<Expr> receiver) {
    const FunctionSpec* spec = findFunction(name.text);
    if (spec == nullptr) {
      throw SyntaxError(name.position, "unknown function '" + name.text +
                                           "()'; the functions are " + functionNames());
    }
    auto expr = node(Expr::Kind::kFunction, name.position);
    expr->name = name.text;
    expr->function = spec;
    expr->receiver = std::move(receiver);
    advance();  // '('
    int count = 0;
    while (!isSymbol(")")) {
      if (token_.kind == Token::Kind::kEnd || (count > 0 && !isSymbol(","))) {
        throw SyntaxError(token_.position, "expected ')' (or ',' and another argument)");
      }
      if (count > 0) {
        advance();
      }
      if (++count > spec->max_args) {
        break;
      }
      argument(*spec, *expr);
    }
    if (count < spec->min_args || count > spec->max_args) {
      throw SyntaxError(name.position, name.text + "() takes " + arity(*spec));
    }
    expect(")");
    return expr;
  }

  static std::string arity(const FunctionSpec& spec) {
    const auto plural = [](int n) {
      return std::to_string(n) + (n == 1 ? " argument" : " arguments");
    };
    if (spec.min_args == spec.max_args) {
      return spec.max_args == 0 ? "no arguments" : plural(spec.max_args);
    }
    return std::to_string(spec.min_args) + " to " + plural(spec.max_args);
  }

  void argument(const FunctionSpec& spec, Expr& call) {
    if (spec.args == FunctionSpec::Args::kType) {
      call.type = typeSpecifier();
      return;
    }
    if (spec.args == FunctionSpec::Args::kPattern) {
      if (token_.kind != Token::Kind::kString) {
        throw SyntaxError(token_.position, "matches() takes its pattern as a 'string'");
      }
      try {
        call.pattern = std::make_shared<const regex::Pattern>(token_.text);
      } catch (const regex::PatternError& e) {
        throw SyntaxError(token_.position, std::string("matches() takes a regular expression RE2 "
                                                       "accepts (no backreferences or "
                                                       "lookaround): ") +
                                               e.what());
      }
      advance();
      return;
    }
    call.args.push_back(expression(0));
  }

  Lexer lexer_;
  bool allow_every_;
  Token token_;
  int depth_ = 0;
  int steps_ = 0;
  int every_steps_ = 0;
};

}  // namespace

std::optional<std::size_t> FhirPath::everyPosition() const {
  return every != nullptr ? std::optional<std::size_t>(every->position) : std::nullopt;
}

std::optional<FhirPath> parseFhirPath(std::string_view text, std::string& error, bool allow_every) {
  error.clear();
  if (text.size() > kMaxExpressionBytes) {
    error = "the expression is longer than " + std::to_string(kMaxExpressionBytes) + " bytes";
    return std::nullopt;
  }
  try {
    Parser parser(text, allow_every);
    FhirPath path;
    path.root = parser.parse();
    checkParsed(path, text, allow_every, parser.everySteps());
    return path;
  } catch (const SyntaxError& e) {
    error = std::string(e.what()) + " (at character " + std::to_string(e.position + 1) + ")";
  }
  return std::nullopt;
}

}  // namespace rtw::fhir::detail
