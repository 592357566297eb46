#include "fhir_intake_parts.h"

#include <Poco/UUIDGenerator.h>

namespace rtw::pipeline::fhir_parts {
namespace {

std::string issueCodeFor(mapping::Finding::Kind kind) {
  switch (kind) {
    case mapping::Finding::Kind::kRequired:
      return "required";
    case mapping::Finding::Kind::kBadValue:
      return "value";
    case mapping::Finding::Kind::kNotInTable:
      return "code-invalid";
    case mapping::Finding::Kind::kOther:
      break;
  }
  return "processing";
}

/// The FHIRPath a document field was read from (the mapping's trace), if
/// a rule wrote it or a field under it.
std::string sourceOf(const TranslatedDocument& document, const std::string& path) {
  for (const auto& entry : document.evaluation.trace) {
    if (entry.target == path || entry.target.rfind(path + "/", 0) == 0) {
      if (entry.source.find('.') != std::string::npos) {
        return entry.source;
      }
    }
  }
  return {};
}

/// The FHIRPaths behind a finding's source: a "first(a, b)" or "concat(a, b)"
/// rule read each of a and b (OperationOutcome.issue.expression is a list of
/// FHIRPaths, and "first(a, b)" is none).
std::vector<std::string> pathsOf(const std::string& source) {
  for (const char* wrapper : {"first(", "concat("}) {
    const std::size_t open = std::char_traits<char>::length(wrapper);
    if (source.rfind(wrapper, 0) != 0 || source.back() != ')') {
      continue;
    }
    std::vector<std::string> paths;
    int depth = 0;
    char quote = 0;
    std::size_t start = open;
    for (std::size_t i = open; i + 1 < source.size(); ++i) {
      const char c = source[i];
      if (quote != 0) {
        quote = c == '\\' ? (++i, quote) : (c == quote ? 0 : quote);
      } else if (c == '\'' || c == '`') {
        quote = c;
      } else if (c == '(' || c == '[') {
        ++depth;
      } else if (c == ')' || c == ']') {
        --depth;
      } else if (c == ',' && depth == 0) {
        paths.push_back(source.substr(start, i - start));
        start = i + 2;  // ", "
      }
    }
    paths.push_back(source.substr(start, source.size() - 1 - start));
    return paths;
  }
  return {source};
}

/// "ServiceRequest.identifier" as "Bundle.entry[2].resource.identifier".
std::string prefixed(const std::string& expression, const std::string& prefix) {
  if (prefix.empty()) {
    return expression;
  }
  const auto dot = expression.find('.');
  return dot == std::string::npos ? prefix : prefix + expression.substr(dot);
}

/// Where a resource names the organization it is sent for: the performer
/// (ServiceRequest, Task owner), the provider (Claim), the author
/// (Composition, QuestionnaireResponse), the custodian (Composition: who
/// keeps the document), DiagnosticReport's performer, and any contained
/// Organization.
std::vector<std::string> organizationPaths(const std::string& type) {
  std::vector<std::string> paths = {type +
                                    ".contained.where(resourceType = 'Organization').identifier"};
  for (const char* element : {"performer", "provider", "author", "owner", "custodian"}) {
    paths.push_back(type + "." + element + ".identifier");
  }
  return paths;
}

}  // namespace

bool isJson(const std::string& content_type) {
  const std::string media = content_type.substr(0, content_type.find(';'));
  std::string trimmed;
  for (char c : media) {
    if (c != ' ' && c != '\t') {
      trimmed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return trimmed == "application/fhir+json" || trimmed == "application/json";
}

std::string resourceIdFor(const std::string& partner, const std::string& type,
                          const std::string& condition) {
  auto& uuids = Poco::UUIDGenerator::defaultGenerator();
  if (condition.empty()) {
    return uuids.createRandom().toString();
  }
  return uuids
      .createFromName(Poco::UUID::oid(), "rtw-fhir/" + partner + "/" + type + "?" + condition)
      .toString();
}

std::vector<std::string> identifierIds(const std::string& partner, const std::string& type,
                                       const std::string& condition) {
  std::vector<std::string> values;
  std::size_t from = 0;
  while (from <= condition.size()) {
    const std::size_t to = std::min(condition.find('&', from), condition.size());
    const std::string parameter = condition.substr(from, to - from);
    if (parameter.rfind("identifier=", 0) == 0) {
      std::size_t start = 11;
      while (start <= parameter.size()) {
        const std::size_t end = std::min(parameter.find(',', start), parameter.size());
        if (end > start) {
          values.push_back(parameter.substr(start, end - start));
        }
        start = end + 1;
      }
    }
    from = to + 1;
  }
  std::vector<std::string> ids;
  if (values.size() > 1) {
    for (const std::string& value : values) {
      ids.push_back(resourceIdFor(partner, type, "identifier=" + value));
    }
  }
  return ids;
}

FhirAnswer matched(const store::JournalEntry& first, const std::string& base_url) {
  return {
      200,
      {{"Location", base_url + "/" + first.message_type + "/" + first.control_id + "/_history/1"},
       {"ETag", "W/\"1\""},
       {"Content-Type", "application/fhir+json"}},
      first.payload};
}

std::string foreignOrganization(const security::Partner& partner, const fhir::Resource& resource,
                                const std::string& type, bool must_name_one) {
  if (!partner.fhir || partner.fhir->organizations.empty()) {
    return {};  // the certificate alone says who it is
  }
  bool ours = false;
  for (const std::string& path : organizationPaths(type)) {
    for (const std::string& value : resource.select(path + ".value")) {
      bool known = false;
      for (const auto& organization : partner.fhir->organizations) {
        known = known ||
                (organization.value == value &&
                 !resource.select(path + ".where(system = '" + organization.system + "').value")
                      .empty());
      }
      if (!known) {
        return "the resource names an organization (" + path + ") that is not one of partner '" +
               partner.id + "''s";
      }
      ours = true;
    }
  }
  return ours || !must_name_one
             ? std::string()
             : "the resource names none of partner '" + partner.id +
                   "''s organizations (performer, provider, author, owner or custodian identifier)";
}

std::vector<fhir::Issue> issuesOf(const Translation& translation,
                                  const std::string& expression_prefix) {
  std::vector<fhir::Issue> issues;
  for (const TranslatedDocument& document : translation.documents) {
    for (const auto& finding : document.evaluation.findings) {
      if (finding.severity != mapping::Finding::Severity::kError) {
        continue;
      }
      // The board document's field and what was wrong (the mapping file's
      // place is for operators: rtwctl map shows it).
      fhir::Issue issue{
          "error", issueCodeFor(finding.kind), finding.target + ": " + finding.message, {}};
      if (!finding.source.empty()) {
        for (const std::string& path : pathsOf(finding.source)) {
          issue.expression.push_back(prefixed(path, expression_prefix));
        }
      }
      issues.push_back(std::move(issue));
    }
    for (const worksafe::Problem& problem : document.problems()) {
      if (problem.severity != worksafe::Problem::Severity::kError) {
        continue;
      }
      fhir::Issue issue{"error",
                        problem.code == "SCHEMA" ? "invariant" : "business-rule",
                        problem.path + ": " + problem.message,
                        {}};
      if (std::string source = sourceOf(document, problem.path); !source.empty()) {
        for (const std::string& path : pathsOf(source)) {
          issue.expression.push_back(prefixed(path, expression_prefix));
        }
      }
      issues.push_back(std::move(issue));
    }
  }
  if (issues.empty()) {
    issues.push_back({"error", "processing", translation.rejection(), {}});
    if (!expression_prefix.empty()) {
      issues.back().expression.push_back(expression_prefix);
    }
  }
  return issues;
}

std::string reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 410:
      return "Gone";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 503:
      return "Service Unavailable";
    default:
      return "";
  }
}

FhirAnswer outcome(int status, const std::vector<fhir::Issue>& issues) {
  return {status, {{"Content-Type", "application/fhir+json"}}, fhir::operationOutcomeJson(issues)};
}

FhirAnswer notJournaled() {
  FhirAnswer answer =
      outcome(503, {{"error", "transient", "the gateway cannot store it now; send it again", {}}});
  answer.headers.emplace_back("Retry-After", "10");
  return answer;
}

}  // namespace rtw::pipeline::fhir_parts
