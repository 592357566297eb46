#pragma once
// An HL7 v2 message in ER7 (pipe) encoding, parsed without copying: the
// message owns its bytes and keeps offsets into them; escape sequences are
// decoded only when a value is read. No server dependency.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/hl7v2/charset.h"

namespace rtw::hl7v2 {

struct Delimiters {
  char segment = '\r';
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
  char truncation = '\0';  // '#' in v2.7+ when MSH-2 has five characters
};

/// Where and why a byte string is not an HL7 v2 message.
struct ParseError {
  std::string message;    // e.g. "MSH-2 must hold the encoding characters"
  std::string segment;    // segment id where it failed ("MSH"), may be empty
  int segment_index = 0;  // 1-based position of the segment in the message, 0 if none
  int field = 0;          // 1-based field number, 0 if the whole segment
  int code = 0;           // HL7 table 0357 code when the parser knows it best (102 for
                          // bytes invalid in the declared charset, 103 for an unsupported
                          // MSH-18); 0 lets errorCodeFor() derive it from the position
};

/// How to read a message beyond what its own MSH says.
struct ParseOptions {
  /// The partner's configured character set. When set it is used instead of
  /// MSH-18, for senders that leave MSH-18 empty or fill it wrongly.
  std::optional<Charset> charset;
};

// Defined after Message: std::optional<Message> needs the complete type.
struct ParseOutcome;

class Message {
 public:
  /// Parses one message. Segments end with CR, LF or CRLF; a leading UTF-8
  /// BOM and blank (empty or all-whitespace) lines are ignored. Batch header
  /// segments (FHS, BHS) before the MSH are kept as ordinary segments; batch
  /// structure is read by parseBatch() (batch.h). Never throws on bad bytes;
  /// a message is limited to 4 GiB (offsets are 32-bit).
  ///
  /// Character set (ParseOptions::charset, else MSH-18): the text is kept
  /// as received and every value read (get(), getAll(), decode(), the typed
  /// readers) is UTF-8. "UNICODE UTF-8" and "ASCII" text is checked first
  /// (an invalid byte is a ParseError with code 102 naming its segment,
  /// field and offset). "8859/1" text is converted value by value when read,
  /// and set() converts back, so serialize() and bytes() stay 8859/1 like
  /// MSH-18 says and re-parse to the same message; serializeAs(kUtf8) gives
  /// the whole text as UTF-8. An empty MSH-18 passes the bytes through
  /// unchecked and unconverted; any other MSH-18 value is a ParseError
  /// (code 103).
  static ParseOutcome parse(std::string_view bytes);
  static ParseOutcome parse(std::string_view bytes, const ParseOptions& options);

  const Delimiters& delimiters() const { return delimiters_; }

  /// Reads the value at a path: one primitive (a subcomponent, or a
  /// component or field that has none), escape sequences decoded.
  /// Path grammar: SEG[occurrence]-field(repetition).component.subcomponent,
  /// all indexes 1-based; occurrence and repetition may be '*'.
  /// Examples: "MSH-10", "PID-3(2).1", "PID-3.4.2", "OBX[3]-5", "FT1[*]-7.1".
  ///
  /// A path that stops above the primitives reads the first piece of each
  /// level it leaves out, as HAPI's Terser and python-hl7's extract_field
  /// do: on PID-5 `Lefebvre-Ng&van&Ng^Chloé`, "PID-5" and "PID-5.1" read
  /// "Lefebvre-Ng" (component 1, subcomponent 1), "PID-5.1.3" "Ng", "PID-5.2"
  /// "Chloé"; "OBX-5" of a CWE `1234^Lifting^L` reads "1234"; "PID-3(2)" is
  /// the second repetition's first primitive. The value never holds the
  /// sender's delimiters: escapes are decoded inside that primitive only, so
  /// `A\S\B^C` reads "A^B". getEncoded() gives the position whole.
  ///
  /// Returns the first match that exists (with '*', the first occurrence or
  /// repetition present, even when empty); "" when the position is absent
  /// (no such segment, field, repetition, component or subcomponent) or
  /// empty, and for an invalid path (check mappings with isValidPath()).
  /// The explicit null `""` reads as those two characters. MSH-1 and MSH-2
  /// (FHS and BHS too) are the delimiters and read as they stand, "|" and
  /// "^~\&", never split or decoded (MSH-2.1 is the same, MSH-2.2 absent).
  std::string get(std::string_view path) const;

  /// All matches of a path (every occurrence/repetition a '*' selects), each
  /// read like get(). Every selected segment occurrence contributes one
  /// entry per selected repetition ("" where the position is absent, an
  /// absent field counting as one empty repetition), so the results of
  /// "FT1[*]-7" and "FT1[*]-10" line up. An invalid path, or no such
  /// segment, gives an empty vector.
  std::vector<std::string> getAll(std::string_view path) const;

  /// The position whole, in the sender's delimiters: a path without a
  /// component reads the repetition with its component and subcomponent
  /// separators, a path without a subcomponent the component with its
  /// subcomponent separators ("Lefebvre-Ng&van&Ng^Chloé"), and escapes are
  /// decoded in each primitive piece (`A\T\B^C` reads "A&B^C"). For what a
  /// primitive cannot say: free text a sender did not escape, a regex over
  /// several components (mappings' "encoded": true, rtwctl hl7 parse
  /// --raw). A decoded `\S\` and a component separator read alike here:
  /// read pieces that are data by path. Otherwise like get() (first match,
  /// "" when absent, MSH-1/MSH-2 as they stand).
  std::string getEncoded(std::string_view path) const;

  /// getAll() with each entry read like getEncoded().
  std::vector<std::string> getAllEncoded(std::string_view path) const;

  /// True when the path names a position that exists in the message
  /// (even if empty). False for an invalid path.
  bool has(std::string_view path) const;

  /// The first match as it is stored, whole like getEncoded(): escape
  /// sequences not decoded, 8859/1 not converted. Empty when absent or the
  /// path is invalid. Valid until the message is destroyed, moved or changed
  /// by set().
  std::string_view raw(std::string_view path) const;

  /// Every match getAll() selects, each as raw() reads it (whole, as stored).
  std::vector<std::string_view> rawAll(std::string_view path) const;

  /// Decodes a value taken from raw()/rawAll() (or a piece of one) the way
  /// get() and getEncoded() do: escape sequences resolved, 8859/1 text and \Xhh\ bytes
  /// converted to UTF-8.
  std::string decode(std::string_view raw_value) const;

  /// Writes `value` (plain text, UTF-8) at `path`, converted to the
  /// message's charset and escaped for its delimiters; `""` writes the HL7 explicit null. Missing
  /// fields, repetitions, components and subcomponents are created with
  /// empty ones before them, and so are missing segment occurrences (empty
  /// segments inserted after the last segment with that id, or at the end of
  /// the message before any BTS/FTS). Setting an absent position to "" is a
  /// no-op. Returns false, changing nothing, for an invalid path, a '*' in
  /// it, MSH-1/MSH-2 (the delimiters), a new MSH/FHS/BHS occurrence, a
  /// value that cannot be written in the message's charset() (not ASCII in
  /// an ASCII message, above U+00FF in an 8859/1 one, invalid UTF-8), or a
  /// message that would pass 4 GiB.
  bool set(std::string_view path, std::string_view value);

  /// Like set(), but `encoded` is ER7 as it should be stored (for copying a
  /// repetition with its components, or a component with its
  /// subcomponents). Also false when `encoded` holds a line end or a
  /// separator that would leave the position: field and repetition
  /// separators never, component separators only when the path names a
  /// whole repetition, subcomponent separators only when it names no
  /// subcomponent.
  bool setRaw(std::string_view path, std::string_view encoded);

  /// True when `path` follows the grammar above (segment id of 3 upper-case
  /// letters or digits, indexes >= 1, '*' only for occurrence/repetition).
  static bool isValidPath(std::string_view path);

  /// Number of segments with this id (e.g. how many OBX).
  std::size_t count(std::string_view segment_id) const;

  /// Number of segments, their ids in order.
  std::size_t segmentCount() const { return segments_.size(); }
  std::string_view segmentId(std::size_t index) const;

  /// The whole segment at `index` (0-based), without its terminator; empty
  /// when out of range.
  std::string_view segmentText(std::size_t index) const;

  /// MSH-9.1^MSH-9.2 (e.g. "REF^I12", just "ACK" when MSH-9.2 is empty),
  /// MSH-10, MSH-12.1 (the version id without its other components).
  std::string messageType() const;
  std::string controlId() const;
  std::string version() const;

  /// The message as ER7 with CR segment terminators, in its own charset
  /// (the bytes as received, with what set() wrote).
  std::string serialize() const;

  /// The message converted to `charset` (MSH-18 is not rewritten). Nothing
  /// when a character cannot be written in it (e.g. U+20AC in 8859/1,
  /// anything above U+007F in ASCII), or when the text is not valid UTF-8
  /// (a message passed through unchecked is taken to be UTF-8).
  std::optional<std::string> serializeAs(Charset charset) const;

  /// The charset the message was read in: the configured override, else
  /// MSH-18; nothing when neither said (the bytes were passed through).
  std::optional<Charset> charset() const { return charset_; }

  /// The bytes the message was parsed from (segment ends normalised to CR),
  /// with what set() wrote; the same text as serialize().
  std::string_view bytes() const { return bytes_; }

 private:
  struct Segment {
    std::uint32_t begin;  // offset of the segment id in bytes_
    std::uint32_t end;    // offset one past the last byte (terminator excluded)
  };

  friend class Er7Parser;      // fills the members below (message.cpp)
  friend class MessageWriter;  // set() and setRaw() (set.cpp)

  Message() = default;

  std::string bytes_;
  Delimiters delimiters_;
  std::vector<Segment> segments_;
  std::optional<Charset> charset_;
};

/// The result of parse(): exactly one of message / error is set.
struct ParseOutcome {
  std::optional<Message> message;
  std::optional<ParseError> error;
};

/// Decodes HL7 escape sequences in a raw value: \F\ \S\ \T\ \R\ \E\ to the
/// delimiters, \P\ to the truncation character (when set), \Xhh..\ to the
/// bytes, \.br\ to "\n"; \H\ and \N\ (highlighting) are dropped. Unknown
/// escapes (\Cxxyy\, \Mxxyyzz\, \Z..\, other formatting commands) and an
/// escape character with no closing one before the next delimiter are kept
/// as written.
std::string unescape(std::string_view raw, const Delimiters& d);

/// Encodes a value for ER7: the field, component, subcomponent, repetition
/// and escape characters become \F\ \S\ \T\ \R\ \E\, the truncation
/// character (when set) \P\, and CR / LF \X0D\ / \X0A\ (hex rather than
/// \.br\, so exactly the same bytes come back).
std::string escape(std::string_view value, const Delimiters& d);

}  // namespace rtw::hl7v2
