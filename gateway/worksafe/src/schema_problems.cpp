#include "schema_problems.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

namespace rtw::worksafe::detail {
namespace {

using Element = SchemaModel::Element;

const Element* findChild(const Element* parent, const std::string& name) {
  if (parent == nullptr) {
    return nullptr;
  }
  const auto found = std::find_if(parent->children.begin(), parent->children.end(),
                                  [&](const Element& child) { return child.name == name; });
  return found != parent->children.end() ? &*found : nullptr;
}

struct Located {
  std::string path;
  const Element* model = nullptr;  // null when the element is not in the schema
};

// 1-based position among same-named element siblings, and how many there are.
std::pair<std::size_t, std::size_t> siblingPosition(const xmlNode* node) {
  std::size_t position = 0;
  std::size_t total = 0;
  for (const xmlNode* sibling = node->parent->children; sibling != nullptr;
       sibling = sibling->next) {
    if (sibling->type == XML_ELEMENT_NODE && xmlStrEqual(sibling->name, node->name) != 0) {
      ++total;
      if (sibling == node) {
        position = total;
      }
    }
  }
  return {position, total};
}

Located locate(const xmlNode* element, const SchemaModel& model) {
  std::vector<const xmlNode*> chain;  // innermost first, document element excluded
  for (const xmlNode* node = element;
       node != nullptr && node->type == XML_ELEMENT_NODE && node->parent != nullptr &&
       node->parent->type == XML_ELEMENT_NODE;
       node = node->parent) {
    chain.push_back(node);
  }
  Located located{"", &model.root};
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const std::string name = localName(*it);
    const Element* child = findChild(located.model, name);
    const auto [position, total] = siblingPosition(*it);
    const bool indexed = (child != nullptr && child->max_occurs != 1) || total > 1;
    located.path += (located.path.empty() ? "" : "/") + name;
    if (indexed) {
      located.path += "[" + std::to_string(position) + "]";
    }
    located.model = child;
  }
  return located;
}

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) {
    return;
  }
  for (auto pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

// libxml2 quotes the offending value right after "The value " (facet errors)
// or at the very start ("'abc' is not a valid value of the atomic type ...").
// What follows the closing quote is always one of a few verbs; the last such
// spot is libxml2's own, whatever quotes the value itself contains.
std::string withoutEchoedValue(std::string body) {
  std::size_t open = std::string::npos;
  std::size_t start = 0;
  if (body.rfind("[facet '", 0) == 0) {
    start = body.find("] ");
    start = start == std::string::npos ? 0 : start + 2;
  }
  if (body.compare(start, 11, "The value '") == 0) {
    open = start + 10;
  } else if (body.compare(start, 1, "'") == 0) {
    open = start;
  } else if (const auto phrase = body.find("The value '"); phrase != std::string::npos) {
    start = phrase;
    open = phrase + 10;
  }
  if (open == std::string::npos) {
    return body;
  }
  std::size_t close = std::string::npos;
  for (const char* verb : {"' is ", "' has ", "' does ", "' of ", "' must "}) {
    const auto found = body.rfind(verb);
    if (found != std::string::npos && found > open &&
        (close == std::string::npos || found > close)) {
      close = found;
    }
  }
  if (close == std::string::npos) {
    return body.substr(0, start) + "The value is not valid.";
  }
  return body.substr(0, start) + "The value" + body.substr(close + 1);
}

bool isLeafElement(const xmlNode* node) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE) {
    return false;
  }
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) {
      return false;
    }
  }
  return true;
}

// "Missing child element(s). Expected is one of ( a, b, c )." names the
// optional elements that may come next and, last, the required one; the
// schema model says which of them is required.
std::string missingChildName(const std::string& message, const Element* model) {
  const auto open = message.find("Expected is");
  const auto paren = message.find('(', open == std::string::npos ? 0 : open);
  const auto close = message.find(')', paren == std::string::npos ? 0 : paren);
  if (model == nullptr || open == std::string::npos || paren == std::string::npos ||
      close == std::string::npos) {
    return {};
  }
  std::string names = message.substr(paren + 1, close - paren - 1);
  std::replace(names.begin(), names.end(), ',', ' ');
  std::size_t pos = 0;
  while (pos < names.size()) {
    const auto begin = names.find_first_not_of(' ', pos);
    if (begin == std::string::npos) {
      break;
    }
    const auto end = std::min(names.find(' ', begin), names.size());
    const Element* child = findChild(model, names.substr(begin, end - begin));
    if (child != nullptr && child->min_occurs > 0) {
      return child->name;
    }
    pos = end;
  }
  return {};
}

std::size_t countChildren(const xmlNode* parent, const std::string& name) {
  std::size_t count = 0;
  for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE && localName(child) == name) {
      ++count;
    }
  }
  return count;
}

// "Element '{ns}worker', attribute 'secret': ..." names the attribute only
// in the prefix; error->node is the element.
std::string attributeNamed(const std::string& message) {
  constexpr std::string_view kMarker = "', attribute '";
  if (message.rfind("Element '", 0) != 0) {
    return {};
  }
  const auto prefix_end = message.find("': ");
  const auto marker = message.find(kMarker);
  if (marker == std::string::npos || prefix_end == std::string::npos || marker > prefix_end) {
    return {};
  }
  const auto begin = marker + kMarker.size();
  std::string name = message.substr(begin, prefix_end - begin);
  if (const auto brace = name.rfind('}'); brace != std::string::npos) {
    name.erase(0, brace + 1);
  }
  return name;
}

struct MissingElement {
  std::string name;
  std::string path;
};

// libxml2 reports a missing element either at its parent ("Missing child
// element(s)") or, when a later sibling is present, at that sibling ("This
// element is not expected"). Both name the expected elements; when the
// required one among them is absent, the problem is that element.
std::optional<MissingElement> missingElement(const std::string& message, const xmlNode* node,
                                             const SchemaModel& model) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE) {
    return std::nullopt;
  }
  const xmlNode* parent = nullptr;
  if (message.rfind("Missing child element", 0) == 0) {
    parent = node;
  } else if (message.rfind("This element is not expected.", 0) == 0 && node->parent != nullptr &&
             node->parent->type == XML_ELEMENT_NODE) {
    parent = node->parent;
  } else {
    return std::nullopt;
  }
  const Located located = locate(parent, model);
  const std::string name = missingChildName(message, located.model);
  if (name.empty()) {
    return std::nullopt;
  }
  const Element* child = findChild(located.model, name);
  const std::size_t present = countChildren(parent, name);
  if (present >= static_cast<std::size_t>(child->min_occurs)) {
    return std::nullopt;  // there, only out of order: the sibling's problem stands
  }
  std::string path = located.path + (located.path.empty() ? "" : "/") + name;
  if (child->max_occurs != 1) {
    path += "[" + std::to_string(present + 1) + "]";
  }
  return MissingElement{name, path};
}

// The libxml2 message without the element prefix, the document namespace
// and any echoed value.
std::string redactedMessage(std::string message, const std::string& namespace_uri,
                            const xmlNode* node) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  // "Element '{ns}side': ..." repeats what the path already says.
  if (message.rfind("Element '", 0) == 0) {
    if (const auto end = message.find("': "); end != std::string::npos) {
      message.erase(0, end + 3);
    }
  }
  message = withoutEchoedValue(std::move(message));
  replaceAll(message, "{" + namespace_uri + "}", "");
  // Second line of defence: whatever the wording, the element's own text
  // must not appear quoted in its message.
  if (isLeafElement(node)) {
    const std::string value = textContent(node);
    if (!value.empty()) {
      replaceAll(message, "'" + value + "'", "'***'");
    }
  }
  return message;
}

std::string elementPath(const xmlNode* node, const SchemaModel& model) {
  std::string attribute_step;
  if (node != nullptr && node->type == XML_ATTRIBUTE_NODE) {
    attribute_step = "@" + localName(node);
    node = node->parent;
  }
  std::string path = node != nullptr ? locate(node, model).path : std::string();
  if (!attribute_step.empty()) {
    path += (path.empty() ? "" : "/") + attribute_step;
  }
  return path;
}

}  // namespace

Problem problemFromSchemaError(XmlErrorView error, const SchemaModel& model) {
  Problem problem;
  problem.code = "SCHEMA";  // problem_code::kSchema
  problem.severity =
      error->level == XML_ERR_WARNING ? Problem::Severity::kWarning : Problem::Severity::kError;
  const auto* node = static_cast<const xmlNode*>(error->node);
  const std::string raw = error->message != nullptr ? error->message : "invalid";
  problem.message = redactedMessage(raw, model.namespace_uri, node);
  problem.path = elementPath(node, model);
  if (const std::string attribute = attributeNamed(raw);
      !attribute.empty() && node != nullptr && node->type == XML_ELEMENT_NODE) {
    problem.path += (problem.path.empty() ? "@" : "/@") + attribute;
  }
  if (auto missing = missingElement(problem.message, node, model)) {
    problem.path = missing->path;
    problem.message = "required element '" + missing->name + "' is missing";
  }
  return problem;
}

}  // namespace rtw::worksafe::detail
