#pragma once
// HL7 v2 acknowledgements (chapter 2): MSA and one ERR per problem.

#include <string>
#include <string_view>
#include <vector>

#include "rtw/hl7v2/message.h"

namespace rtw::hl7v2 {

/// Table 0008 acknowledgement codes.
enum class AckCode { AA, AE, AR, CA, CE, CR };
std::string_view toString(AckCode code);

/// One problem reported in an ERR segment.
struct AckError {
  std::string segment;    // ERR-2.1, e.g. "PID"; empty when unknown
  int segment_index = 0;  // ERR-2.2, 1-based sequence; 0 when unknown
  int field = 0;          // ERR-2.3; 0 when not field-specific
  int code = 207;         // ERR-3, HL7 table 0357 (100 segment sequence, 101 required
                          // field missing, 102 data type, 200 unsupported message
                          // type, 207 application internal error, ...)
  char severity = 'E';    // ERR-4, table 0516: E error, W warning, I information, F fatal
  std::string text;       // ERR-8 user message; must not contain PHI
};

/// Who we are in the ACK's sending application/facility when the original
/// cannot be read.
struct AckIdentity {
  std::string application = "RTWGW";
  std::string facility = "RTW";
};

/// The ACK answering `original`: MSH with sending and receiving swapped, the
/// original's encoding characters, MSH-7 `timestamp`, MSH-9
/// "ACK^<trigger>^ACK" (just "ACK" when the original has no trigger), a fresh
/// MSH-10 `control_id`, MSH-11 and MSH-12 echoed, MSA-1 code, MSA-2 =
/// original MSH-10, and one ERR per error:
///   ERR||<segment>^<sequence>^<field>|<code>^<table 0357 text>^HL70357|<severity>||||<text>
/// Unknown parts of ERR-2 are left empty and trailing empty components and
/// fields are dropped. Values copied from the original stay encoded as they
/// were; control bytes in them (which could end an MLLP frame) are written
/// as \Xhh\. Each segment ends with CR.
std::string buildAck(const Message& original, AckCode code, const std::vector<AckError>& errors,
                     std::string_view control_id, std::string_view timestamp);

/// The ACK for bytes that did not parse: best-effort MSA-2 from whatever
/// MSH-10 can be read, our own identity as sender, code AR.
/// Works on any bytes. When something like an MSH segment is found ("MSH"
/// then a plausible field separator) its delimiters, MSH-3/4 (as receiver),
/// trigger, MSH-10, MSH-11 and MSH-12 are used; else `|^~\&`, processing id
/// P, version 2.5 and an empty MSA-2. Salvaged values longer than 256 bytes
/// are not trusted and left out. One ERR describes `error`, its code from
/// errorCodeFor().
std::string buildRejectForUnparsed(std::string_view raw, const ParseError& error,
                                   const AckIdentity& identity, std::string_view control_id,
                                   std::string_view timestamp);

/// The HL7 table 0357 code for a parse error:
///   100 segment sequence error: no MSH first, empty input, a bad segment id
///       (field 0 at a known segment position);
///   102 data type error: unusable delimiters (MSH-1 / MSH-2);
///   101 required field missing: a truncated MSH (MSH-9, MSH-10, MSH-12);
///   207 application internal error: anything not tied to a segment position
///       (segment_index 0), e.g. a message too large.
int errorCodeFor(const ParseError& error);

/// The table 0357 text for a code ("Segment sequence error", ...), "" when
/// the code is not in the table.
std::string_view errorCodeText(int code);

}  // namespace rtw::hl7v2
