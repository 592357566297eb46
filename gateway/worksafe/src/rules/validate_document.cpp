// The one entry point for "would the board accept this document?": the XSD,
// then the board rules of the document's (or the requested) board. Both
// layers land in one list, so a partner sees every problem in one answer.

#include <algorithm>
#include <stdexcept>

#include "rtw/worksafe/rules.h"
#include "rule_run.h"
#include "untrusted_xml.h"

namespace rtw::worksafe {
namespace {

namespace code = problem_code;

Problem documentProblem(std::string_view problem_code, std::string message) {
  return Problem{Problem::Severity::kError, "", std::move(message), std::string(problem_code)};
}

// Why a text with no recognisable document type was refused.
std::vector<Problem> unknownDocument(const ParsedDocument& parsed) {
  std::vector<Problem> problems;
  for (const std::string& error : parsed.errors()) {
    problems.push_back(documentProblem(code::kXml, error));
  }
  if (problems.empty()) {
    problems.push_back(documentProblem(
        code::kDocumentType, "not a WorkSafe document (unknown root element or namespace)"));
  }
  return problems;
}

bool hasProblemAt(const std::vector<Problem>& problems, std::string_view path) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const Problem& problem) { return problem.path == path; });
}

void appendBoardRules(const SchemaSet& schemas, const BoardProfiles& profiles,
                      const Document& document, const ValidationOptions& options,
                      std::vector<Problem>& problems) {
  const std::string board =
      options.board.empty() ? document.get("header/board").value_or("") : options.board;
  if (board.empty()) {
    return;  // the XSD has reported the missing header/board
  }
  const BoardProfile* profile = profiles.find(board);
  if (profile == nullptr) {
    if (!hasProblemAt(problems, "header/board")) {
      problems.push_back(Problem{Problem::Severity::kError, "header/board",
                                 "no board profile is loaded for this board",
                                 std::string(code::kBoardProfile)});
    }
    return;
  }
  std::vector<Problem> rules =
      checkBoardRules(document, *schemas.model(document.type()), *profile, options.today);
  problems.insert(problems.end(), std::make_move_iterator(rules.begin()),
                  std::make_move_iterator(rules.end()));
}

}  // namespace

std::vector<Problem> validateDocument(const SchemaSet& schemas, const BoardProfiles& profiles,
                                      std::string_view xml, const ValidationOptions& options) {
  // Parsed once for the type, the XSD and the rules.
  const ParsedDocument parsed(xml);
  const std::optional<DocumentType> detected = schemas.detectType(parsed);
  const std::optional<DocumentType> type = options.expected_type ? options.expected_type : detected;
  if (!type) {
    return unknownDocument(parsed);
  }
  std::vector<Problem> problems = schemas.validate(*type, parsed);
  // Another type than expected, or no schema for it: validate() said so,
  // and rules for the wrong document would be nonsense.
  if (detected != type || !schemas.has(*type)) {
    return problems;
  }
  if (options.written_from != nullptr && options.written_from->type() == *type) {
    appendBoardRules(schemas, profiles, *options.written_from, options, problems);
    return problems;
  }
  std::optional<Document> document;
  try {
    document.emplace(schemas.read(parsed));
  } catch (const std::runtime_error&) {
    // Its structure is too far from the schema to read by path; the XSD
    // problems above say why.
    return problems;
  }
  appendBoardRules(schemas, profiles, *document, options, problems);
  return problems;
}

std::vector<Problem> validateDocument(const SchemaSet& schemas, const BoardProfiles& profiles,
                                      std::string_view xml, Date today) {
  ValidationOptions options;
  options.today = today;
  return validateDocument(schemas, profiles, xml, options);
}

std::vector<Problem> checkBoardRules(const Document& document, const SchemaModel& model,
                                     const BoardProfile& profile, Date today) {
  detail::RuleRun run(document, model, profile, today);
  switch (document.type()) {
    case DocumentType::kReferral:
      detail::checkReferral(run);
      break;
    case DocumentType::kReport:
      detail::checkReport(run);
      break;
    case DocumentType::kInvoice:
      detail::checkInvoice(run);
      break;
    case DocumentType::kTrainingReport:
      detail::checkTrainingReport(run);
      break;
  }
  return run.take();
}

bool hasErrors(const std::vector<Problem>& problems) {
  return std::any_of(problems.begin(), problems.end(), [](const Problem& problem) {
    return problem.severity == Problem::Severity::kError;
  });
}

}  // namespace rtw::worksafe
