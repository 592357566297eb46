// An example partner plugin built against the installed SDK: code before the
// partner's mapping (refuses a referral without a diagnosis), the mapping,
// and code after it (a note in the warnings). Nothing but rtw/sdk/*.h.
#include <boost/dll/alias.hpp>

#include "rtw/sdk/plugin.h"

namespace {

class ExampleTranslator final : public rtw::sdk::Translator {
 public:
  rtw::sdk::Status translate(rtw::sdk::TranslationContext& context) const override {
    const rtw::sdk::Hl7View* hl7 = context.message().hl7();
    if (hl7 != nullptr && hl7->messageType() == "REF^I12" && hl7->get("DG1-3").empty()) {
      return rtw::sdk::Status::rejected("example-partner: DG1-3 (diagnosis) is required");
    }
    rtw::sdk::Status mapped = context.applyMapping({});
    if (mapped.isOk()) {
      context.warn("example-partner translated " + context.message().messageType());
    }
    return mapped;
  }
};

rtw::sdk::PluginInfo pluginInfo() noexcept {
  return {rtw::sdk::kAbiVersion, rtw::sdk::kSdkVersion, rtw::sdk::kCompilerId, "example-partner",
          "built outside the gateway's tree against the installed SDK"};
}

rtw::sdk::Translator* createTranslator() noexcept {
  try {
    return new ExampleTranslator();
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

BOOST_DLL_ALIAS(pluginInfo, rtw_plugin_info)
BOOST_DLL_ALIAS(createTranslator, rtw_plugin_create)
