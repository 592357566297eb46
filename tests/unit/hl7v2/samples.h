#pragma once
// Messages shared by the hl7v2 unit tests.

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rtw/hl7v2/message.h"

namespace rtw::hl7v2::test {

// Joins segments with `terminator` (CR by default), one after the last too.
inline std::string joinSegments(const std::vector<std::string_view>& segments,
                                std::string_view terminator = "\r") {
  std::string out;
  for (std::string_view segment : segments) {
    out.append(segment);
    out.append(terminator);
  }
  return out;
}

// The referral example of the WorkSafe integration spec.
inline const std::vector<std::string_view>& referralSegments() {
  static const std::vector<std::string_view> segments = {
      R"(MSH|^~\&|CLINICEMR|CLINIC01|RTWGW|WSBC|20250301101500-0800||REF^I12^REF_I12|MSG0001|P|2.5|||AL|AL)",
      R"(RF1|P^Pending^HL70283|R^Routine^HL70280|CRRTW^Customized Recovery and RTW^L|||REF-0001^CLINICEMR|20250301|20250531||O^Provider Ordered^HL70336|WR123456^WSBC)",
      R"(AUT||WSBC^WorkSafeBC^L||20250301|20250531|AUTH998877||12|12)",
      R"(PRD|RP^Referring Provider^HL70286|Case^Morgan||||||||)",
      R"(PRD|RT^Referred to Provider^HL70286|Harbour Physiotherapy)",
      R"(PID|1||9698658215^^^BC^JHN~12345678^^^WSBC^WCN||Doe^Jane||19800101|F|||1 Main St^^Vancouver^BC^V5K 0A1^CA)",
      R"(ACC|20250115||||Y|||Lifting boxes \T\ twisting)",
      R"(DG1|1||S33.5^Sprain of lumbar spine^I10|||W)",
  };
  return segments;
}

inline std::string referral(std::string_view terminator = "\r") {
  return joinSegments(referralSegments(), terminator);
}

// Parses or fails the test with the parse error's text.
inline Message parseOrFail(std::string_view bytes) {
  ParseOutcome outcome = Message::parse(bytes);
  if (!outcome.message) {
    throw std::runtime_error("parse failed: " + outcome.error.value_or(ParseError{}).message);
  }
  return std::move(*outcome.message);
}

}  // namespace rtw::hl7v2::test
