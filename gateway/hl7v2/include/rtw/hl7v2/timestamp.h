#pragma once
// HL7 v2 date/time values: DTM, and TS whose first component is a DTM.
//   YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]

#include <optional>
#include <string>
#include <string_view>

#include "rtw/hl7v2/message.h"

namespace rtw::hl7v2 {

struct Timestamp {
  enum class Precision { kYear, kMonth, kDay, kHour, kMinute, kSecond, kFraction };

  Precision precision = Precision::kYear;
  int year = 0;
  int month = 0;  // parts below the precision stay 0
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::string fraction;               // 1 to 4 digits as written, at kFraction only
  std::optional<int> offset_minutes;  // the +/-ZZZZ offset (east of UTC), when written

  /// ISO 8601 extended format with the precision kept and no time zone
  /// invented: "2025", "2025-03", "2025-03-01", "2025-03-01T10",
  /// "2025-03-01T10:15", "2025-03-01T10:15:00", "2025-03-01T10:15:00.12",
  /// then the offset if written: "2025-03-01T10:15:00-08:00",
  /// "2025-03-01-08:00" (a date with an offset, as XML Schema's xs:date
  /// writes it). "+0000" stays "+00:00", not "Z".
  std::string toIso8601() const;

  bool operator==(const Timestamp&) const = default;
};

/// Reads a DTM. Nothing when it does not follow the grammar above or names
/// a date or time that does not exist (month 13, 30 February, hour 24,
/// minute 60, offset beyond +/-14:59).
std::optional<Timestamp> parseTimestamp(std::string_view dtm);

/// Reads the TS/DTM at `path` (its first component when the path names a
/// field; TS-2, the old degree of precision, is ignored). Nothing when the
/// position is absent, empty, the explicit null, or not a valid DTM.
std::optional<Timestamp> readTs(const Message& message, std::string_view path);

}  // namespace rtw::hl7v2
