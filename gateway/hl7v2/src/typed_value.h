#pragma once
// What the typed readers share: the value at a path, split one level below
// the path (components of a field, subcomponents of a component).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/hl7v2/datatypes.h"
#include "rtw/hl7v2/message.h"

namespace rtw::hl7v2::detail {

class TypedValue {
 public:
  /// The first match of `path`; nothing when absent, empty or `""`.
  static std::optional<TypedValue> first(const Message& message, std::string_view path);
  /// Every match of `path` (with '*'), leaving out absent, empty and `""`.
  static std::vector<TypedValue> all(const Message& message, std::string_view path);

  /// Part n (1-based), decoded; its first subcomponent when it has
  /// several; "" when absent.
  std::string part(int n) const;
  /// Piece m of part n split one level further (FN inside XPN.1, HD inside
  /// CX.4); part n itself for m == 1 when there is no level left.
  std::string subpart(int n, int m) const;
  HierarchicDesignator designator(int n) const;

 private:
  TypedValue(const Message& message, std::string_view raw, char separator, char inner)
      : message_(&message), raw_(raw), separator_(separator), inner_(inner) {}

  std::string_view rawPart(int n) const;

  const Message* message_;
  std::string_view raw_;
  char separator_;  // '\0' when the path names a subcomponent: nothing to split
  char inner_;      // '\0' when there is no level below the parts
};

}  // namespace rtw::hl7v2::detail
