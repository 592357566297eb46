// The rules around ACKs (HL7 v2.5 chapter 2.9): which code answers which
// problems, which MSH problems refuse a message, and which acknowledgments
// MSH-15/MSH-16 ask for.

#include <algorithm>
#include <string>

#include "rtw/hl7v2/ack.h"
#include "rtw/hl7v2/timestamp.h"

namespace rtw::hl7v2 {
namespace {

constexpr std::size_t kMaxQuotedValue = 20;

bool isRejection(const AckError& error) {
  if (error.severity == 'F') {
    return true;
  }
  if (error.severity != 'E') {
    return false;
  }
  return error.segment == "MSH" || error.code == 100 || error.code >= 200;
}

bool isError(const AckError& error) { return error.severity == 'E' || error.severity == 'F'; }

// A header value quoted in an ERR text when it is short and plain: type,
// event and version codes help the sender, anything else is left out.
std::string quoted(std::string_view value) {
  bool plain = value.size() <= kMaxQuotedValue &&
               std::all_of(value.begin(), value.end(), [](char c) { return c > ' ' && c < 0x7f; });
  return plain ? " '" + std::string(value) + "'" : std::string();
}

// MSH-15/16 padded with spaces (seen in the field) mean the same as empty.
std::string conditionField(const Message& message, int field) {
  std::string value = message.get("MSH-" + std::to_string(field));
  std::size_t begin = value.find_first_not_of(' ');
  if (begin == std::string::npos) {
    return {};
  }
  return value.substr(begin, value.find_last_not_of(' ') - begin + 1);
}

bool accepts(const std::vector<std::string>& allowed, std::string_view value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

int headerIndex(const Message& message) {
  for (std::size_t i = 0; i < message.segmentCount(); ++i) {
    if (message.segmentId(i) == "MSH") {
      return static_cast<int>(i + 1);
    }
  }
  return 1;
}

struct RequiredField {
  const char* path;
  int field;
  const char* text;
};

constexpr RequiredField kRequired[] = {
    {"MSH-9.1", 9, "MSH-9 (message type) is required"},
    {"MSH-10", 10, "MSH-10 (message control id) is required"},
    {"MSH-11", 11, "MSH-11 (processing id) is required"},
    {"MSH-12", 12, "MSH-12 (version id) is required"},
};

struct SupportedValue {
  const char* path;
  int field;
  int code;
  const char* what;
  std::vector<std::string> HeaderRules::*allowed;
};

const SupportedValue kSupported[] = {
    {"MSH-9.1", 9, 200, "message type", &HeaderRules::message_types},
    {"MSH-9.2", 9, 201, "trigger event", &HeaderRules::trigger_events},
    {"MSH-11.1", 11, 202, "processing id", &HeaderRules::processing_ids},
    {"MSH-12.1", 12, 203, "version", &HeaderRules::versions},
};

bool wanted(AckCondition condition, bool ok) {
  switch (condition) {
    case AckCondition::kAlways:
      return true;
    case AckCondition::kNever:
      return false;
    case AckCondition::kOnError:
      return !ok;
    case AckCondition::kOnSuccess:
      return ok;
  }
  return true;
}

}  // namespace

AckCode ackCodeFor(const std::vector<AckError>& errors, AckKind kind) {
  bool commit = kind == AckKind::kCommit;
  if (std::any_of(errors.begin(), errors.end(), isRejection)) {
    return commit ? AckCode::CR : AckCode::AR;
  }
  if (std::any_of(errors.begin(), errors.end(), isError)) {
    return commit ? AckCode::CE : AckCode::AE;
  }
  return commit ? AckCode::CA : AckCode::AA;
}

std::string buildAckFor(const Message& original, AckKind kind, const std::vector<AckError>& errors,
                        std::string_view control_id, std::string_view timestamp) {
  return buildAck(original, ackCodeFor(errors, kind), errors, control_id, timestamp);
}

std::vector<AckError> checkHeader(const Message& message, const HeaderRules& rules) {
  std::vector<AckError> errors;
  const int at = headerIndex(message);
  auto report = [&](int field, int code, std::string text) {
    errors.push_back({"MSH", at, field, code, 'E', std::move(text)});
  };
  for (const RequiredField& required : kRequired) {
    if (message.get(required.path).empty()) {
      report(required.field, 101, required.text);
    }
  }
  std::string sent = message.get("MSH-7.1");
  if (!sent.empty() && !parseTimestamp(sent)) {
    report(7, 102, "MSH-7 (date/time of message) is not a valid date/time");
  }
  for (int field : {15, 16}) {
    std::string condition = conditionField(message, field);
    if (!condition.empty() && !ackConditionFromCode(condition)) {
      report(field, 103,
             "MSH-" + std::to_string(field) + quoted(condition) +
                 " is not in table 0155 (AL, NE, ER, SU)");
    }
  }
  for (const SupportedValue& supported : kSupported) {
    std::string value = message.get(supported.path);
    bool reported_missing = value.empty() && supported.code != 201;
    if (!reported_missing && !accepts(rules.*supported.allowed, value)) {
      report(supported.field, supported.code,
             std::string(supported.what) + quoted(value) + " is not supported");
    }
  }
  return errors;
}

std::optional<AckCondition> ackConditionFromCode(std::string_view code) {
  if (code == "AL") {
    return AckCondition::kAlways;
  }
  if (code == "NE") {
    return AckCondition::kNever;
  }
  if (code == "ER") {
    return AckCondition::kOnError;
  }
  if (code == "SU") {
    return AckCondition::kOnSuccess;
  }
  return std::nullopt;
}

AcknowledgmentMode AcknowledgmentMode::of(const Message& message) {
  std::string accept = conditionField(message, 15);
  std::string application = conditionField(message, 16);
  AcknowledgmentMode mode;
  if (accept.empty() && application.empty()) {
    return mode;
  }
  mode.enhanced = true;
  mode.accept = ackConditionFromCode(accept).value_or(AckCondition::kAlways);
  mode.application = ackConditionFromCode(application).value_or(AckCondition::kAlways);
  return mode;
}

bool wantsCommitAck(const AcknowledgmentMode& mode, bool ok) { return wanted(mode.accept, ok); }

bool wantsApplicationAck(const AcknowledgmentMode& mode, bool ok) {
  return wanted(mode.application, ok);
}

}  // namespace rtw::hl7v2
