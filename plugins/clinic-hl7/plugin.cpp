// The generic clinic HL7 v2 plugin: it runs the partner's declarative
// mappings (mappings/<partner>/, named in conf/partners) and adds no code of
// its own. The only file that exports symbols.

#include <boost/dll/alias.hpp>

#include "rtw/sdk/plugin.h"

namespace rtw::clinic {
namespace {

class ClinicTranslator final : public sdk::Translator {
 public:
  sdk::Status translate(sdk::TranslationContext& context) const override {
    if (context.hl7() == nullptr) {
      return sdk::Status::unsupported("the clinic-hl7 plugin reads HL7 v2 messages only");
    }
    return context.applyMapping({});
  }
};

}  // namespace

sdk::PluginInfo pluginInfo() noexcept {
  return {sdk::kAbiVersion, sdk::kSdkVersion, sdk::kCompilerId, "clinic-hl7",
          "Clinic EMRs sending HL7 v2, translated by the partner's mappings"};
}

sdk::Translator* createTranslator() noexcept {
  try {
    return new ClinicTranslator();
  } catch (...) {
    return nullptr;
  }
}

}  // namespace rtw::clinic

BOOST_DLL_ALIAS(rtw::clinic::pluginInfo, rtw_plugin_info)
BOOST_DLL_ALIAS(rtw::clinic::createTranslator, rtw_plugin_create)
