#include "reencode.h"

#include <stdexcept>
#include <string_view>

#include "rtw/hl7v2/charset.h"

namespace rtw::golden {
namespace {

// Calls piece(text) for each piece of `text` split by `separator`, writing
// `joint` between them.
template <class Piece>
void eachPiece(std::string_view text, char separator, char joint, std::string& out, Piece piece) {
  for (std::size_t begin = 0;;) {
    const std::size_t end = text.find(separator, begin);
    piece(text.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) {
      return;
    }
    out.push_back(joint);
    begin = end + 1;
  }
}

void writeField(const hl7v2::Message& message, std::string_view field, const hl7v2::Delimiters& to,
                std::string& out) {
  const hl7v2::Delimiters& from = message.delimiters();
  eachPiece(field, from.repetition, to.repetition, out, [&](std::string_view repetition) {
    eachPiece(repetition, from.component, to.component, out, [&](std::string_view component) {
      eachPiece(component, from.subcomponent, to.subcomponent, out,
                [&](std::string_view raw) { out += hl7v2::escape(message.decode(raw), to); });
    });
  });
}

bool isHeader(std::string_view segment) {
  const std::string_view id = segment.substr(0, 3);
  return id == "MSH" || id == "FHS" || id == "BHS";
}

void writeSegment(const hl7v2::Message& message, std::string_view segment,
                  const hl7v2::Delimiters& to, std::string& out) {
  const char from = message.delimiters().field;
  out.append(segment.substr(0, 3));
  std::string_view rest = segment.size() > 3 ? segment.substr(4) : std::string_view();
  if (isHeader(segment)) {
    // MSH-1 is the separator just written, MSH-2 the encoding characters.
    out.push_back(to.field);
    out += {to.component, to.repetition, to.escape, to.subcomponent};
    if (to.truncation != '\0') {
      out.push_back(to.truncation);
    }
    const std::size_t end = rest.find(from);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (end == std::string_view::npos) {
      return;
    }
  } else if (segment.size() <= 3) {
    return;
  }
  out.push_back(to.field);
  eachPiece(rest, from, to.field, out,
            [&](std::string_view field) { writeField(message, field, to, out); });
}

}  // namespace

hl7v2::Delimiters otherDelimiters(const hl7v2::Delimiters& original) {
  hl7v2::Delimiters to;
  to.field = '!';
  to.component = '@';
  to.repetition = '%';
  to.escape = '$';
  to.subcomponent = '*';
  to.truncation = original.truncation == '\0' ? '\0' : '?';
  return to;
}

std::string reencoded(const hl7v2::Message& message) {
  const hl7v2::Delimiters to = otherDelimiters(message.delimiters());
  std::string out;  // UTF-8, as decode() gives the values
  for (std::size_t i = 0; i < message.segmentCount(); ++i) {
    writeSegment(message, message.segmentText(i), to, out);
    out.push_back('\r');
  }
  if (message.charset() != hl7v2::Charset::kLatin1) {
    return out;
  }
  auto latin1 = hl7v2::utf8ToLatin1(out);
  if (!latin1) {
    throw std::runtime_error("the re-encoded message does not fit 8859/1");
  }
  return *latin1;
}

}  // namespace rtw::golden
