#include "rtw/pipeline/error_codes.h"

namespace rtw::pipeline {
namespace {

bool isUpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Digits at `at`, as a number; 0 when there are none (or too many).
int numberAt(std::string_view text, std::size_t& at) {
  int value = 0;
  int digits = 0;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9' && digits < 6) {
    value = value * 10 + (text[at] - '0');
    ++at;
    ++digits;
  }
  return digits == 0 ? 0 : value;
}

}  // namespace

std::optional<Hl7Location> hl7LocationOf(std::string_view source) {
  if (source.size() < 5 || !isUpperAlnum(source[0]) || !isUpperAlnum(source[1]) ||
      !isUpperAlnum(source[2])) {
    return std::nullopt;
  }
  Hl7Location location{std::string(source.substr(0, 3)), 1, 0};
  std::size_t at = 3;
  if (source[at] == '[') {
    ++at;
    if (at < source.size() && source[at] == '*') {
      ++at;  // every occurrence: the first is as good as any
    } else {
      location.occurrence = numberAt(source, at);
    }
    if (at >= source.size() || source[at] != ']' || location.occurrence == 0) {
      return std::nullopt;
    }
    ++at;
  }
  if (at >= source.size() || source[at] != '-') {
    return std::nullopt;
  }
  ++at;
  location.field = numberAt(source, at);
  if (location.field == 0) {
    return std::nullopt;
  }
  return location;
}

int errorCodeFor(mapping::Finding::Kind kind) {
  switch (kind) {
    case mapping::Finding::Kind::kRequired:
      return err::kRequiredFieldMissing;
    case mapping::Finding::Kind::kBadValue:
      return err::kDataTypeError;
    case mapping::Finding::Kind::kNotInTable:
      return err::kTableValueNotFound;
    case mapping::Finding::Kind::kOther:
      break;
  }
  return err::kApplicationError;
}

int unsupportedCodeFor(const mapping::MappingSet* mappings, std::string_view message_type) {
  if (mappings == nullptr) {
    return err::kUnsupportedMessageType;
  }
  const std::string_view code = message_type.substr(0, message_type.find('^'));
  for (const std::string& mapped : mappings->messageTypes()) {
    if (std::string_view(mapped).substr(0, mapped.find('^')) == code) {
      return err::kUnsupportedEventCode;
    }
  }
  return err::kUnsupportedMessageType;
}

}  // namespace rtw::pipeline
