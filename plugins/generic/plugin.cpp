// The generic plugin: it runs the partner's declarative mappings
// (mappings/<partner>/, named in conf/partners) on whatever the partner
// sends — HL7 v2, a FHIR resource, a CSV record, an XML document — and adds
// no code of its own. The only file that exports symbols.

#include <boost/dll/alias.hpp>

#include "rtw/sdk/plugin.h"

namespace rtw::generic {
namespace {

class MappingTranslator final : public sdk::Translator {
 public:
  sdk::Status translate(sdk::TranslationContext& context) const override {
    // The mapping for the message's own type: REF^I12, ServiceRequest, csv:enrolment...
    return context.applyMapping({});
  }
};

}  // namespace

sdk::PluginInfo pluginInfo() noexcept {
  return {sdk::kAbiVersion, sdk::kSdkVersion, sdk::kCompilerId, "generic",
          "Any partner whose mappings build every document (HL7 v2, FHIR, CSV, XML)"};
}

sdk::Translator* createTranslator() noexcept {
  try {
    return new MappingTranslator();
  } catch (...) {
    return nullptr;
  }
}

}  // namespace rtw::generic

BOOST_DLL_ALIAS(rtw::generic::pluginInfo, rtw_plugin_info)
BOOST_DLL_ALIAS(rtw::generic::createTranslator, rtw_plugin_create)
