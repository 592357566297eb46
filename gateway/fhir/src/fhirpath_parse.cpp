#include <cctype>

#include "fhirpath.h"

namespace rtw::fhir::detail {
namespace {

class FhirPathParser {
 public:
  FhirPathParser(std::string_view text, bool allow_every)
      : text_(text), allow_every_(allow_every) {}

  std::optional<FhirPath> parse(std::string& error) {
    FhirPath path;
    path.resource_type = identifier();
    if (path.resource_type.empty() ||
        !std::isupper(static_cast<unsigned char>(path.resource_type[0]))) {
      return fail(error, "a FHIRPath starts with the resource type, e.g. ServiceRequest.subject");
    }
    while (problem_.empty() && pos_ < text_.size()) {
      if (text_[pos_] == '.') {
        ++pos_;
        dotStep(path);
      } else if (text_[pos_] == '[') {
        indexStep(path);
      } else {
        problem_ = "unexpected '" + std::string(1, text_[pos_]) + "'";
      }
    }
    if (problem_.empty() && (pos_ != text_.size() || text_.back() == '.')) {
      problem_ = "the path ends early";
    }
    if (!problem_.empty()) {
      return fail(error, problem_);
    }
    return path;
  }

 private:
  std::optional<FhirPath> fail(std::string& error, const std::string& message) const {
    error = message + " (at character " + std::to_string(pos_ + 1) + ")";
    return std::nullopt;
  }

  void skipSpaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') {
      ++pos_;
    }
  }

  std::string identifier() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    const std::string name(text_.substr(start, pos_ - start));
    return !name.empty() && std::isdigit(static_cast<unsigned char>(name[0])) ? "" : name;
  }

  bool expect(char c) {
    skipSpaces();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    problem_ = std::string("expected '") + c + "'";
    return false;
  }

  void dotStep(FhirPath& path) {
    const std::string name = identifier();
    if (name.empty()) {
      problem_ = "expected a name after '.'";
      return;
    }
    if (pos_ >= text_.size() || text_[pos_] != '(') {
      path.steps.push_back({FhirStep::Kind::kMember, name, 0, {}});
      return;
    }
    ++pos_;
    if (name == "where") {
      whereStep(path);
      return;
    }
    static const std::pair<const char*, FhirStep::Kind> kFunctions[] = {
        {"first", FhirStep::Kind::kFirst},
        {"last", FhirStep::Kind::kLast},
        {"count", FhirStep::Kind::kCount},
        {"exists", FhirStep::Kind::kExists}};
    for (const auto& [function, kind] : kFunctions) {
      if (name == function) {
        if (expect(')')) {
          path.steps.push_back({kind, {}, 0, {}});
        }
        return;
      }
    }
    problem_ = "unknown function '" + name +
               "()': the subset has first(), last(), count(), exists() and where()";
  }

  void indexStep(FhirPath& path) {
    ++pos_;
    if (allow_every_ && text_.substr(pos_, 2) == "*]") {
      pos_ += 2;
      path.steps.push_back({FhirStep::Kind::kEvery, {}, 0, {}});
      return;
    }
    std::size_t index = 0;
    const std::size_t start = pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])) &&
           pos_ - start < 6) {
      index = index * 10 + static_cast<std::size_t>(text_[pos_] - '0');
      ++pos_;
    }
    if (pos_ == start) {
      problem_ =
          allow_every_ ? "an indexer is a number or '*'" : "an indexer is a number, e.g. [0]";
      return;
    }
    if (expect(']')) {
      path.steps.push_back({FhirStep::Kind::kIndex, {}, index, {}});
    }
  }

  // where(system = 'http://...' and use = 'official')
  void whereStep(FhirPath& path) {
    FhirStep step{FhirStep::Kind::kWhere, {}, 0, {}};
    do {
      skipSpaces();
      std::vector<std::string> member;
      do {
        member.push_back(identifier());
        if (member.back().empty()) {
          problem_ = "where() tests a field: where(system = 'http://...')";
          return;
        }
      } while (pos_ < text_.size() && text_[pos_] == '.' && ++pos_);
      if (!expect('=')) {
        return;
      }
      std::string literal;
      if (!stringLiteral(literal)) {
        return;
      }
      step.tests.emplace_back(std::move(member), std::move(literal));
      skipSpaces();
    } while (text_.substr(pos_, 4) == "and " && (pos_ += 4));
    if (expect(')')) {
      path.steps.push_back(std::move(step));
    }
  }

  bool stringLiteral(std::string& literal) {
    skipSpaces();
    if (pos_ >= text_.size() || text_[pos_] != '\'') {
      problem_ = "where() compares with a string in single quotes";
      return false;
    }
    for (++pos_; pos_ < text_.size(); ++pos_) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
        literal += text_[++pos_];
      } else if (text_[pos_] == '\'') {
        ++pos_;
        return true;
      } else {
        literal += text_[pos_];
      }
    }
    problem_ = "a string is not closed";
    return false;
  }

  std::string_view text_;
  bool allow_every_;
  std::size_t pos_ = 0;
  std::string problem_;
};

}  // namespace

std::optional<std::size_t> FhirPath::every() const {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].kind == FhirStep::Kind::kEvery) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<FhirPath> parseFhirPath(std::string_view text, std::string& error, bool allow_every) {
  auto path = FhirPathParser(text, allow_every).parse(error);
  if (path && allow_every) {
    std::size_t stars = 0;
    for (const auto& step : path->steps) {
      stars += step.kind == FhirStep::Kind::kEvery ? 1 : 0;
    }
    if (stars != 1) {
      error = "'each' needs exactly one '[*]', e.g. Claim.item[*]";
      return std::nullopt;
    }
  }
  return path;
}

}  // namespace rtw::fhir::detail
