#pragma once
// Why a translation refused a message, in the terms of HL7 table 0357, for
// the ERR segment of the application ACK: the sender's engine (and the
// person reading its error queue) can tell a missing field from a code its
// tables lack, from a message type nobody maps, from the board's rules.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/mapping/evaluate.h"
#include "rtw/mapping/mapping.h"

namespace rtw::pipeline {

/// Table 0357 codes the gateway answers with.
namespace err {
inline constexpr int kRequiredFieldMissing = 101;
inline constexpr int kDataTypeError = 102;
inline constexpr int kTableValueNotFound = 103;
inline constexpr int kUnsupportedMessageType = 200;
inline constexpr int kUnsupportedEventCode = 201;
inline constexpr int kDuplicateKey = 205;
/// The store cannot take the message now ("application record locked": the
/// transaction could not be performed at the storage level). Resend later;
/// never a judgement on the content.
inline constexpr int kStoreUnavailable = 206;
/// Everything else, the board's rules and the XSD among them.
inline constexpr int kApplicationError = 207;
}  // namespace err

/// Where in the message an ERR points (ERR-2): segment, its occurrence, field.
struct Hl7Location {
  std::string segment;
  int occurrence = 1;
  int field = 0;
};

/// The location a mapping source names when it starts with an HL7 path
/// ("PID-3(*).1 where .5 = WCN" → PID, 1, 3; "OBX[2]-5" → OBX, 2, 5);
/// nothing for other sources ("const", "concat(...)", FHIRPaths).
std::optional<Hl7Location> hl7LocationOf(std::string_view source);

/// The code for a mapping's error finding: 101 required, 102 a value its
/// transform or target cannot take, 103 a code not in its table, else 207.
int errorCodeFor(mapping::Finding::Kind kind);

/// 201 when the partner maps other trigger events of this message code
/// ("REF^I13" where "REF^I12" is mapped), else 200.
int unsupportedCodeFor(const mapping::MappingSet* mappings, std::string_view message_type);

}  // namespace rtw::pipeline
