#pragma once
// HL7 v2 acknowledgements (chapter 2): MSA and one ERR per problem.

#include <optional>
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
/// `code` is AR, or CR when answering in enhanced mode.
std::string buildRejectForUnparsed(std::string_view raw, const ParseError& error,
                                   const AckIdentity& identity, std::string_view control_id,
                                   std::string_view timestamp, AckCode code = AckCode::AR);

/// The HL7 table 0357 code for a parse error: error.code when set (102 for
/// bytes invalid in the declared charset, 103 for an unsupported MSH-18),
/// else from the position:
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

/// Which acknowledgment is being built (chapter 2.9): a commit (accept) ACK
/// says the message is safely stored (CA/CE/CR); an application ACK says it
/// was processed (AA/AE/AR).
enum class AckKind { kCommit, kApplication };

/// The code answering a message with `errors`:
///  - reject (AR/CR) for structural or unsupported messages: an error or
///    fatal problem (severity E or F) located in the MSH, with code 100
///    (segment sequence) or with a code of 200 and above (unsupported
///    type/event/processing id/version, internal errors); a fatal one too;
///  - error (AE/CE) when the other errors are about content (101, 102, 103,
///    104 outside the MSH);
///  - accept (AA/CA) when there are none, or only warnings and information.
AckCode ackCodeFor(const std::vector<AckError>& errors, AckKind kind);

/// buildAck() with the code from ackCodeFor().
std::string buildAckFor(const Message& original, AckKind kind, const std::vector<AckError>& errors,
                        std::string_view control_id, std::string_view timestamp);

/// What a receiver accepts, for checkHeader(). An empty list accepts any value.
struct HeaderRules {
  std::vector<std::string> message_types;   // MSH-9.1, e.g. "REF", "ORU"
  std::vector<std::string> trigger_events;  // MSH-9.2, e.g. "I12"
  std::vector<std::string> processing_ids;  // MSH-11.1, e.g. "P"
  std::vector<std::string> versions;        // MSH-12.1, e.g. "2.3" .. "2.8"
};

/// The MSH problems that decide whether a message is taken at all, one
/// AckError each, located at the MSH:
///   101 MSH-9.1, MSH-10, MSH-11 or MSH-12 empty;
///   102 MSH-7 valued but not a valid date/time;
///   103 MSH-15 or MSH-16 valued but not in table 0155 (AL, NE, ER, SU);
///   200 MSH-9.1, 201 MSH-9.2, 202 MSH-11.1, 203 MSH-12.1 not in `rules`.
std::vector<AckError> checkHeader(const Message& message, const HeaderRules& rules = {});

/// HL7 table 0155: when an acknowledgment is wanted.
enum class AckCondition {
  kAlways,     // AL
  kNever,      // NE
  kOnError,    // ER
  kOnSuccess,  // SU
};

/// The table 0155 condition for a code ("AL", ...), nothing when unknown.
std::optional<AckCondition> ackConditionFromCode(std::string_view code);

/// MSH-15 (accept acknowledgment type) and MSH-16 (application
/// acknowledgment type) read together.
struct AcknowledgmentMode {
  bool enhanced = false;                             // MSH-15 or MSH-16 valued
  AckCondition accept = AckCondition::kNever;        // commit ACK: never in original mode
  AckCondition application = AckCondition::kAlways;  // application ACK: always in original mode

  /// The mode `message` asks for. Both fields empty (or only spaces):
  /// original mode. In enhanced mode an empty or unknown value counts as
  /// AL: an ACK the sender did not ask for costs less than one it waits for
  /// in vain (checkHeader() reports unknown values).
  static AcknowledgmentMode of(const Message& message);
};

/// Whether to send a commit ACK: `ok` when the message was journaled (CA),
/// false when it was refused (CE/CR). Never in original mode.
bool wantsCommitAck(const AcknowledgmentMode& mode, bool ok);

/// Whether to send an application ACK: `ok` for AA, false for AE/AR.
/// Always in original mode.
bool wantsApplicationAck(const AcknowledgmentMode& mode, bool ok);

}  // namespace rtw::hl7v2
