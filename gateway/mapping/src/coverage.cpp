// Whether a message mapping writes every element its document's XSD
// requires. Without this check a mapping that lost a rule (an edit, a bad
// merge) loads, and every message after it is rejected as the sender's fault.

#include <set>
#include <string>

#include "checker.h"

namespace rtw::mapping::detail {
namespace {

using Element = worksafe::SchemaModel::Element;

// "line[2]/feeCode" -> "line/feeCode": coverage is per element, not per item.
std::string withoutIndexes(const std::string& path) {
  std::string result;
  bool in_index = false;
  for (const char c : path) {
    if (c == '[') {
      in_index = true;
    } else if (c == ']') {
      in_index = false;
    } else if (!in_index) {
      result.push_back(c);
    }
  }
  return result;
}

class Coverage {
 public:
  explicit Coverage(const MessageMapping& mapping) {
    for (const auto& rule : mapping.fields) {
      add(rule.target);
    }
    for (const auto& rule : mapping.totals) {
      add(rule.target);
    }
    for (const auto& repeat : mapping.repeats) {
      add(repeat.target);
      for (const auto& rule : repeat.fields) {
        add(rule.target == "." ? repeat.target : repeat.target + "/" + rule.target);
      }
    }
  }

  // A path some rule writes, or writes below.
  bool reaches(const std::string& path) const {
    const auto it = written_.lower_bound(path);
    return it != written_.end() &&
           (*it == path || (it->size() > path.size() && it->compare(0, path.size(), path) == 0 &&
                            (*it)[path.size()] == '/'));
  }

  // The first element the XSD requires that no rule writes: required
  // children of the root, and of every element a rule writes below.
  std::string firstMissing(const Element& element, const std::string& path) const {
    for (const Element& child : element.children) {
      const std::string child_path = path.empty() ? child.name : path + "/" + child.name;
      const bool written = reaches(child_path) || filledByHost(child_path);
      if (child.min_occurs >= 1 && !written) {
        return child_path;
      }
      if (written && !child.children.empty()) {
        if (std::string missing = firstMissing(child, child_path); !missing.empty()) {
          return missing;
        }
      }
    }
    return {};
  }

 private:
  void add(const std::string& target) { written_.insert(withoutIndexes(target)); }

  std::set<std::string> written_;
};

}  // namespace

bool filledByHost(std::string_view path) {
  return path == "header/documentId" || path == "header/createdAt" ||
         path == "header/sourcePartner" || path == "header/sourceMessageId";
}

void checkRequiredElements(const MessageMapping& mapping, const worksafe::SchemaSet& schemas) {
  const auto model = schemas.model(mapping.document);
  const std::string missing = Coverage(mapping).firstMissing(model->root, "");
  if (!missing.empty()) {
    throw MappingError(mapping.where, "no rule writes '" + missing + "', which the " +
                                          model->root_name +
                                          " XSD requires: every message would be rejected");
  }
}

}  // namespace rtw::mapping::detail
