// The partners' real mappings (mappings/<partner>/) run on an HL7 message
// from outside, as the translate workers run them: parse, find the mapping
// of its type, evaluate, write the document and validate it against its
// XSD. None of it may crash, and the document written must parse as XML.

#include <array>
#include <memory>
#include <vector>

#include "rtw/hl7v2/message.h"
#include "rtw/mapping/evaluate.h"
#include "rtw/mapping/mapping.h"
#include "rtw/worksafe/rules.h"
#include "schema_support.h"

namespace {

using rtw::mapping::MappingSet;

constexpr std::array kPartners = {"harbour-physio", "lakeshore-msk", "clinic01"};

const std::vector<std::shared_ptr<const MappingSet>>& mappingSets() {
  static const auto sets = [] {
    std::vector<std::shared_ptr<const MappingSet>> loaded;
    for (const char* partner : kPartners) {
      loaded.push_back(
          MappingSet::load(rtw::fuzz::sourceDir() / "mappings" / partner, rtw::fuzz::schemas()));
    }
    return loaded;
  }();
  return sets;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parsed = rtw::hl7v2::Message::parse(rtw::fuzz::asText(data, size));
  if (!parsed.message) {
    return 0;
  }
  const rtw::mapping::Hl7Source source(*parsed.message);
  for (const auto& set : mappingSets()) {
    const rtw::mapping::MessageMapping* mapping = set->find(parsed.message->messageType());
    if (mapping == nullptr) {
      continue;
    }
    rtw::worksafe::Document document = rtw::fuzz::schemas().newDocument(mapping->document);
    const auto evaluation =
        rtw::mapping::evaluate(*mapping, *set, source, document, rtw::mapping::Trace::kSkip);
    const std::string xml = document.toXml();
    for (const auto& problem : rtw::fuzz::schemas().validate(mapping->document, xml)) {
      RTW_FUZZ_CHECK(problem.code != rtw::worksafe::problem_code::kXml);
    }
  }
  return 0;
}
