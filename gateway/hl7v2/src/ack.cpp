// ACK messages (HL7 v2.5 chapter 2.9 and 2.14: MSH, MSA, ERR).

#include "rtw/hl7v2/ack.h"

#include <initializer_list>
#include <optional>
#include <string>

#include "er7.h"

namespace rtw::hl7v2 {
namespace {

// What was salvaged from garbage is capped: a "control id" of megabytes is
// not one, and it would be echoed back to the sender.
constexpr std::size_t kMaxSalvagedValue = 256;
constexpr std::string_view kDefaultVersion = "2.5";
constexpr std::string_view kDefaultProcessingId = "P";

// The MSH of an ACK; every value already encoded for `delimiters`.
struct AckHeader {
  Delimiters delimiters;
  std::string sending_application;
  std::string sending_facility;
  std::string receiving_application;
  std::string receiving_facility;
  std::string trigger;
  std::string processing_id;
  std::string version;
};

// Copies an encoded value, writing control bytes (CR, LF, VT, FS, NUL...) as
// hex escapes: an ACK carrying a raw FS would end its MLLP frame early.
std::string sanitized(std::string_view encoded, const Delimiters& d) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(encoded.size());
  for (char c : encoded) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) {
      out.push_back(c);
      continue;
    }
    out.push_back(d.escape);
    out.push_back('X');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
    out.push_back(d.escape);
  }
  return out;
}

std::string encoded(std::string_view text, const Delimiters& d) {
  return sanitized(escape(text, d), d);
}

std::string encodingCharacters(const Delimiters& d) {
  std::string chars{d.component, d.repetition, d.escape, d.subcomponent};
  if (d.truncation != '\0') {
    chars.push_back(d.truncation);
  }
  return chars;
}

// Joins parts with `sep`, leaving out trailing empty parts (HL7 lets a
// sender drop trailing delimiters).
std::string joinTrimmed(std::initializer_list<std::string_view> parts, char sep) {
  std::size_t used = parts.size();
  while (used > 0 && (parts.begin() + used - 1)->empty()) {
    --used;
  }
  std::string out;
  for (std::size_t i = 0; i < used; ++i) {
    if (i > 0) {
      out.push_back(sep);
    }
    out.append(*(parts.begin() + i));
  }
  return out;
}

std::string mshSegment(const AckHeader& h, std::string_view control_id,
                       std::string_view timestamp) {
  const Delimiters& d = h.delimiters;
  std::string type = "ACK";
  if (!h.trigger.empty()) {
    type = "ACK" + std::string(1, d.component) + h.trigger + d.component + "ACK";
  }
  std::string timestamp_field = encoded(timestamp, d);
  std::string control_field = encoded(control_id, d);
  std::string msh = "MSH";
  msh.push_back(d.field);
  msh += encodingCharacters(d);
  // MSH-3 .. MSH-12; MSH-8 (security) stays empty.
  const std::string_view fields[] = {h.sending_application,
                                     h.sending_facility,
                                     h.receiving_application,
                                     h.receiving_facility,
                                     timestamp_field,
                                     "",
                                     type,
                                     control_field,
                                     h.processing_id,
                                     h.version};
  for (std::string_view value : fields) {
    msh.push_back(d.field);
    msh += value;
  }
  msh.push_back('\r');
  return msh;
}

std::string msaSegment(const Delimiters& d, AckCode code, std::string_view original_control_id) {
  std::string msa = "MSA";
  msa.push_back(d.field);
  msa += toString(code);
  msa.push_back(d.field);
  msa += original_control_id;
  msa.push_back('\r');
  return msa;
}

std::string errSegment(const Delimiters& d, const AckError& error) {
  std::string sequence = error.segment_index > 0 ? std::to_string(error.segment_index) : "";
  std::string field = error.field > 0 ? std::to_string(error.field) : "";
  std::string location = joinTrimmed({encoded(error.segment, d), sequence, field}, d.component);
  std::string code = std::to_string(error.code);
  std::string condition =
      joinTrimmed({code, encoded(errorCodeText(error.code), d), "HL70357"}, d.component);
  std::string severity =
      error.severity == '\0' ? "" : encoded(std::string_view(&error.severity, 1), d);
  std::string err = "ERR" + std::string(1, d.field);
  err +=
      joinTrimmed({"", location, condition, severity, "", "", "", encoded(error.text, d)}, d.field);
  err.push_back('\r');
  return err;
}

AckHeader headerAnswering(const Message& original) {
  const Delimiters& d = original.delimiters();
  AckHeader h;
  h.delimiters = d;
  h.sending_application = sanitized(original.raw("MSH-5"), d);
  h.sending_facility = sanitized(original.raw("MSH-6"), d);
  h.receiving_application = sanitized(original.raw("MSH-3"), d);
  h.receiving_facility = sanitized(original.raw("MSH-4"), d);
  h.trigger = sanitized(original.raw("MSH-9.2"), d);
  h.processing_id = sanitized(original.raw("MSH-11"), d);
  h.version = sanitized(original.raw("MSH-12"), d);
  return h;
}

// "MSH" followed by a plausible field separator, anywhere in `raw`; the
// text from there to the next line end or MLLP control byte.
std::optional<std::string_view> findHeaderLine(std::string_view raw) {
  for (std::size_t at = raw.find("MSH"); at != std::string_view::npos;
       at = raw.find("MSH", at + 1)) {
    if (at + 3 < raw.size() && detail::isDelimiterCandidate(raw[at + 3])) {
      std::string_view line = raw.substr(at);
      return line.substr(0, line.find_first_of("\r\n\x0b\x1c"));
    }
  }
  return std::nullopt;
}

std::string_view salvagedField(std::string_view line, int n) {
  auto value = detail::fieldOf(line, n, line[3]);
  if (!value || value->size() > kMaxSalvagedValue) {
    return {};
  }
  return *value;
}

// The header's own delimiters are usable: copy its values as encoded.
void salvageEncoded(std::string_view line, AckHeader& h, std::string& control_id) {
  const Delimiters& d = h.delimiters;
  h.receiving_application = sanitized(salvagedField(line, 3), d);
  h.receiving_facility = sanitized(salvagedField(line, 4), d);
  h.trigger = sanitized(detail::pieceOf(salvagedField(line, 9), 2, d.component).value_or(""), d);
  control_id = sanitized(salvagedField(line, 10), d);
  if (std::string_view processing = salvagedField(line, 11); !processing.empty()) {
    h.processing_id = sanitized(processing, d);
  }
  if (std::string_view version = salvagedField(line, 12); !version.empty()) {
    h.version = sanitized(version, d);
  }
}

// Only the field separator is known: values are taken as plain text and
// escaped for the default delimiters; components cannot be told apart, so
// no trigger, and a version only when it looks like one ("2.5.1").
void salvageLiteral(std::string_view line, AckHeader& h, std::string& control_id) {
  const Delimiters& d = h.delimiters;
  h.receiving_application = encoded(salvagedField(line, 3), d);
  h.receiving_facility = encoded(salvagedField(line, 4), d);
  control_id = encoded(salvagedField(line, 10), d);
  std::string_view version = salvagedField(line, 12);
  bool looks_like_version =
      !version.empty() && version.find_first_not_of("0123456789.") == std::string_view::npos;
  if (looks_like_version) {
    h.version = std::string(version);
  }
}

AckHeader headerForUnparsed(std::string_view raw, const AckIdentity& identity,
                            std::string& control_id) {
  AckHeader h;
  h.processing_id = kDefaultProcessingId;
  h.version = kDefaultVersion;
  if (auto line = findHeaderLine(raw)) {
    Delimiters found;
    if (!detail::readDelimiters((*line)[3], detail::encodingCharacters(*line), found)) {
      h.delimiters = found;
      salvageEncoded(*line, h, control_id);
    } else {
      salvageLiteral(*line, h, control_id);
    }
  }
  h.sending_application = encoded(identity.application, h.delimiters);
  h.sending_facility = encoded(identity.facility, h.delimiters);
  return h;
}

}  // namespace

std::string_view toString(AckCode code) {
  switch (code) {
    case AckCode::AA:
      return "AA";
    case AckCode::AE:
      return "AE";
    case AckCode::AR:
      return "AR";
    case AckCode::CA:
      return "CA";
    case AckCode::CE:
      return "CE";
    case AckCode::CR:
      return "CR";
  }
  return "AR";
}

std::string_view errorCodeText(int code) {
  switch (code) {
    case 0:
      return "Message accepted";
    case 100:
      return "Segment sequence error";
    case 101:
      return "Required field missing";
    case 102:
      return "Data type error";
    case 103:
      return "Table value not found";
    case 104:
      return "Value too long";
    case 200:
      return "Unsupported message type";
    case 201:
      return "Unsupported event code";
    case 202:
      return "Unsupported processing id";
    case 203:
      return "Unsupported version id";
    case 204:
      return "Unknown key identifier";
    case 205:
      return "Duplicate key identifier";
    case 206:
      return "Application record locked";
    case 207:
      return "Application internal error";
    default:
      return "";
  }
}

int errorCodeFor(const ParseError& error) {
  if (error.code != 0) {
    return error.code;
  }
  if (error.segment_index <= 0) {
    return 207;
  }
  if (error.field == 1 || error.field == 2) {
    return 102;
  }
  if (error.field > 2) {
    return 101;
  }
  return 100;
}

std::string buildAck(const Message& original, AckCode code, const std::vector<AckError>& errors,
                     std::string_view control_id, std::string_view timestamp) {
  AckHeader header = headerAnswering(original);
  const Delimiters& d = header.delimiters;
  std::string ack = mshSegment(header, control_id, timestamp);
  ack += msaSegment(d, code, sanitized(original.raw("MSH-10"), d));
  for (const AckError& error : errors) {
    ack += errSegment(d, error);
  }
  return ack;
}

std::string buildRejectForUnparsed(std::string_view raw, const ParseError& error,
                                   const AckIdentity& identity, std::string_view control_id,
                                   std::string_view timestamp, AckCode code) {
  std::string original_control_id;
  AckHeader header = headerForUnparsed(raw, identity, original_control_id);
  const Delimiters& d = header.delimiters;
  std::string ack = mshSegment(header, control_id, timestamp);
  ack += msaSegment(d, code, original_control_id);
  AckError problem{error.segment, error.segment_index, error.field, errorCodeFor(error),
                   'E',           error.message};
  ack += errSegment(d, problem);
  return ack;
}

}  // namespace rtw::hl7v2
