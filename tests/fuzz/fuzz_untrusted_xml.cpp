// The untrusted-XML reader and the document checks the board simulator and
// `rtwctl validate` run on XML from outside: parse (no DTD, no entities),
// recognise the type, XSD-validate, read into a Document and apply the
// board rules of conf/boards. A document without XSD problems, read and
// written again, must still be valid and read back the same.

#include <memory>

#include "rtw/worksafe/board_profiles.h"
#include "rtw/worksafe/rules.h"
#include "schema_support.h"
#include "untrusted_xml.h"

namespace {

namespace ws = rtw::worksafe;

const ws::BoardProfiles& profiles() {
  static const auto loaded = ws::BoardProfiles::load(rtw::fuzz::sourceDir() / "conf/boards");
  return *loaded;
}

void checkRoundTrip(const ws::ParsedDocument& parsed, ws::DocumentType type) {
  const ws::Document document = rtw::fuzz::schemas().read(parsed);
  RTW_FUZZ_CHECK(document.type() == type);
  const std::string xml = document.toXml();
  RTW_FUZZ_CHECK(!ws::hasErrors(rtw::fuzz::schemas().validate(type, xml)));
  const ws::Document again = rtw::fuzz::schemas().read(xml);
  RTW_FUZZ_CHECK(again.toXml() == xml);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view xml = rtw::fuzz::asText(data, size);
  const auto untrusted = ws::detail::parseUntrusted(xml);
  RTW_FUZZ_CHECK((untrusted.doc != nullptr) == untrusted.errors.empty());
  RTW_FUZZ_CHECK(!untrusted.had_doctype || untrusted.doc == nullptr);
  (void)ws::detail::isXmlText(xml);

  ws::ValidationOptions options;
  options.today = *ws::Date::parse("2025-01-15");
  (void)ws::validateDocument(rtw::fuzz::schemas(), profiles(), xml, options);

  const ws::ParsedDocument parsed(xml);
  RTW_FUZZ_CHECK(parsed.parsed() == (untrusted.doc != nullptr));
  const auto type = rtw::fuzz::schemas().detectType(parsed);
  if (!type) {
    return 0;
  }
  if (!ws::hasErrors(rtw::fuzz::schemas().validate(*type, parsed))) {
    checkRoundTrip(parsed, *type);
  }
  return 0;
}
