// The clinic HL7 v2 plugin: the only file that exports symbols.

#include <boost/dll/alias.hpp>

#include "referral.h"
#include "rtw/sdk/plugin.h"

namespace rtw::clinic {
namespace {

class ClinicTranslator final : public sdk::Translator {
 public:
  sdk::Status translate(sdk::TranslationContext& context) const override {
    const sdk::Hl7View* message = context.hl7();
    if (message == nullptr) {
      return sdk::Status::unsupported("the clinic-hl7 plugin reads HL7 v2 messages only");
    }
    const std::string type = message->messageType();
    if (type == "REF^I12") {
      return translateReferral(*message, context);
    }
    return sdk::Status::unsupported("message type " + type + " is not mapped for this partner");
  }
};

}  // namespace

sdk::PluginInfo pluginInfo() noexcept {
  return {sdk::kAbiVersion, sdk::kSdkVersion, sdk::kCompilerId, "clinic-hl7",
          "Clinic EMRs sending HL7 v2 (REF^I12 referrals)"};
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
