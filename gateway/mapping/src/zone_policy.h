#pragma once
// The "timeZone" policy of a mapping folder: read at load, applied to each
// timestamp without an offset that a dateTime rule writes.

#include <string>

#include "rtw/hl7v2/timestamp.h"
#include "rtw/mapping/mapping.h"
#include "rtw/mapping/time_zone.h"
#include "rule_reader.h"

namespace rtw::mapping::detail {

/// "reject", "UTC", "-08:00", "America/Vancouver", or
/// {"name": "America/Vancouver", "gap": ..., "overlap": ...}. A zone is read
/// from `zones` now, so an unknown one fails the load naming file and line.
ZonePolicy readZonePolicy(const JsonValue& json, const ReadContext& context, TimeZoneCache& zones);

/// Gives `ts` (which has no offset) the offset the policy says, moving a
/// time in a daylight-saving gap forward when the policy allows it. An
/// error message (no value in it) when the policy refuses the timestamp.
std::string applyZonePolicy(hl7v2::Timestamp& ts, const ZonePolicy& policy);

}  // namespace rtw::mapping::detail
