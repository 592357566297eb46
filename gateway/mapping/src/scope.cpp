#include "scope.h"

#include <cctype>

namespace rtw::mapping::detail {

StarPath StarPath::split(std::string_view path) {
  const auto star = path.find('*');
  StarPath split;
  split.head = std::string(path.substr(0, star - 1));
  split.open = path[star - 1];
  split.tail = std::string(path.substr(star + 2));
  return split;
}

std::string StarPath::itemAt(std::size_t index) const {
  return head + open + std::to_string(fhir ? index - 1 : index) + (open == '[' ? ']' : ')');
}

std::string StarPath::at(std::size_t index) const { return itemAt(index) + tail; }

std::string StarPath::everyItem() const { return head + open + (open == '[' ? "*]" : "*)"); }

std::string Scope::resolve(std::string_view path) const {
  if (each == nullptr || path.substr(0, each->head.size()) != each->head) {
    return std::string(path);
  }
  const std::string_view rest = path.substr(each->head.size());
  // "OBX-5" continues with '-', "PV1-7.2" with '.'; "OBX[2]-5" or "PV1-70" is another item.
  const bool same_item = each->open == '[' && !each->fhir ? (!rest.empty() && rest[0] == '-')
                                                          : (rest.empty() || rest[0] == '.');
  if (!same_item) {
    return std::string(path);
  }
  return each->itemAt(index) + std::string(rest);
}

std::string Scope::target(std::string_view relative) const {
  if (relative == ".") {
    return document_prefix.substr(0, document_prefix.size() - 1);
  }
  return document_prefix + std::string(relative);
}

}  // namespace rtw::mapping::detail
