#pragma once
// Text written into XML by hand (the WorkSafe and FHIR writers).

#include <string>
#include <string_view>

namespace rtw::xml {

/// Appends `text` escaped for element content, or for an attribute value in
/// '"' quotes: &, <, > and carriage returns (which a parser turns into line
/// feeds) as references; in an attribute also '"', and line feeds and tabs,
/// which a parser would turn into spaces. UTF-8 as it is.
void appendEscaped(std::string& out, std::string_view text, bool attribute = false);

}  // namespace rtw::xml
