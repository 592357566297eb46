#pragma once
// REF^I12 → WorkSafe Referral for clinic EMRs that follow the spec's §5
// field placement. Later, declarative mappings take over this translation;
// until then this is the clinic family's one code path.

#include "rtw/sdk/plugin.h"

namespace rtw::clinic {

sdk::Status translateReferral(const sdk::Hl7View& message, sdk::TranslationContext& context);

}  // namespace rtw::clinic
