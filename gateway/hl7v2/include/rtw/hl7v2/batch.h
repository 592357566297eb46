#pragma once
// Files and batches of HL7 v2 messages (chapter 2.10.3):
//   [FHS { [BHS] { MSH ... } [BTS] } FTS]
// and plain files that hold several messages one after the other.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/hl7v2/message.h"

namespace rtw::hl7v2 {

/// FHS or BHS. Values are whole fields decoded like Message::getEncoded()
/// (components kept, escapes resolved) with the header's own delimiters.
struct BatchHeader {
  bool present = false;
  std::size_t line = 0;  // 1-based line in the input (blank lines counted), 0 when absent
  std::string text;      // the segment as it stood, without its line end
  std::string sending_application;    // -3
  std::string sending_facility;       // -4
  std::string receiving_application;  // -5
  std::string receiving_facility;     // -6
  std::string created;                // -7 date/time of creation
  std::string name;                   // -9 file name/id, batch name/id/type
  std::string comment;                // -10
  std::string control_id;             // -11
  std::string reference_control_id;   // -12 (of a file or batch being answered)
};

/// BTS or FTS.
struct BatchTrailer {
  bool present = false;
  std::size_t line = 0;
  std::string text;
  /// BTS-1 batch message count / FTS-1 file batch count; nothing when
  /// empty or not a number (the latter is reported as a problem).
  std::optional<std::size_t> count;
  std::string comment;  // -2
};

/// One message of a file: parsed, or the reason it is not a message.
struct BatchEntry {
  std::size_t line = 0;  // line of its first segment; the ParseError's segment_index
                         // counts segments from there
  ParseOutcome outcome;
  std::string unparsed;  // when outcome.error: its bytes, for buildRejectForUnparsed()
};

/// BHS { MSH ... } BTS. Messages outside any BHS/BTS pair form a batch
/// without header (and usually without trailer).
struct Batch {
  BatchHeader header;    // BHS
  BatchTrailer trailer;  // BTS
  std::vector<BatchEntry> entries;
};

/// Something wrong with the envelope: a count that does not match, a
/// missing trailer, a segment out of place. The messages are still read.
struct BatchProblem {
  std::string message;   // no PHI: positions, segment ids and counts only
  std::size_t line = 0;  // 0 when not tied to a line
  std::string segment;   // FHS, BHS, BTS, FTS; empty when not tied to one
  int field = 0;
};

struct BatchFile {
  BatchHeader header;    // FHS
  BatchTrailer trailer;  // FTS
  std::vector<Batch> batches;
  std::vector<BatchProblem> problems;

  /// Entries in all batches, parsed or not.
  std::size_t entryCount() const;
  /// The messages that parsed, in input order. Valid while the file lives.
  std::vector<const Message*> messages() const;
};

/// Splits a file or batch into its messages and reads the envelope around
/// them. Never fails as a whole: each message is parsed on its own (with
/// `options`), so one bad message does not hide the others. A message starts
/// at each line beginning with "MSH" (lines before the first MSH that are
/// not FHS/BHS form an entry that fails to parse). Problems reported:
/// BTS-1 not equal to the batch's entry count, FTS-1 not equal to the number
/// of batches, BHS without BTS, FHS without FTS and the reverse, FHS not
/// first, segments after FTS, unusable FHS/BHS delimiters, and input with no
/// message at all. Line ends CR, LF or CRLF; blank lines and a leading UTF-8
/// BOM are skipped.
BatchFile parseBatch(std::string_view bytes, const ParseOptions& options = {});

}  // namespace rtw::hl7v2
