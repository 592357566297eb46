// Enhanced mode's second answer, the application ACK: built from the
// journaled message and its translation's outcome, sent on the connection
// the message came on while that is open (IntakeCore routes the outcome).

#include <algorithm>

#include "application_ack.h"
#include "rtw/pipeline/error_codes.h"
#include "rtw/pipeline/intake.h"

namespace rtw::pipeline {
namespace {

constexpr std::size_t kMaxErrorText = 500;

}  // namespace

namespace detail {

hl7v2::AckError error(std::string segment, int field, int code, std::string text) {
  hl7v2::AckError e;
  e.segment_index = segment.empty() ? 0 : 1;
  e.segment = std::move(segment);
  e.field = field;
  e.code = code;
  if (text.size() > kMaxErrorText) {
    text.resize(kMaxErrorText);
  }
  e.text = std::move(text);
  return e;
}

std::string applicationAck(const std::string& payload, const hl7v2::ParseOptions& options,
                           const TranslationOutcome& outcome) {
  hl7v2::ParseOutcome parsed = hl7v2::Message::parse(payload, options);
  if (!parsed.message) {
    return {};
  }
  if (outcome.accepted) {
    return hl7v2::buildAck(*parsed.message, hl7v2::AckCode::AA, {}, newControlId(), hl7Now());
  }
  // A message type the partner has no mapping for is a reject (AR, 200/201);
  // content that is missing, malformed or refused by the board is an error
  // (AE, 101/102/103/207) the sender can fix.
  hl7v2::AckError problem = error(outcome.segment, outcome.field, outcome.code, outcome.reason);
  problem.segment_index = outcome.segment.empty() ? 0 : std::max(outcome.occurrence, 1);
  return hl7v2::buildAck(*parsed.message, outcome.reject ? hl7v2::AckCode::AR : hl7v2::AckCode::AE,
                         {problem}, newControlId(), hl7Now());
}

void sendApplicationAck(AckSink& sink, const hl7v2::AcknowledgmentMode& mode,
                        const hl7v2::ParseOptions& options, const std::string& payload,
                        const TranslationOutcome& outcome) {
  if (hl7v2::wantsApplicationAck(mode, outcome.accepted)) {
    sink.send(applicationAck(payload, options, outcome));
  }
}

}  // namespace detail

namespace {

/// A sender in enhanced mode waiting for its application ACK on the
/// connection its message came on. Holds no payload: the ACK is built from
/// the journaled message when the outcome comes.
class ApplicationAckWaiter final : public OutcomeWaiter {
 public:
  ApplicationAckWaiter(store::Journal& journal, std::weak_ptr<AckSink> sink,
                       hl7v2::AcknowledgmentMode mode, hl7v2::ParseOptions options)
      : journal_(journal), sink_(std::move(sink)), mode_(mode), options_(options) {}

  bool waiting() const override { return !sink_.expired(); }
  void tell(std::int64_t message_id, const TranslationOutcome& outcome) override {
    std::shared_ptr<AckSink> sink = sink_.lock();
    if (!sink || !hl7v2::wantsApplicationAck(mode_, outcome.accepted)) {
      return;
    }
    if (const std::optional<store::JournalEntry> entry = journal_.message(message_id)) {
      sink->send(detail::applicationAck(entry->payload, options_, outcome));
    }
  }

 private:
  store::Journal& journal_;
  std::weak_ptr<AckSink> sink_;
  hl7v2::AcknowledgmentMode mode_;
  hl7v2::ParseOptions options_;
};

}  // namespace

void Hl7Intake::awaitOutcome(std::int64_t id, const std::shared_ptr<AckSink>& sink,
                             const hl7v2::AcknowledgmentMode& mode,
                             const hl7v2::ParseOptions& options, const std::string& payload) {
  if (mode.application == hl7v2::AckCondition::kNever) {
    return;
  }
  if (const std::optional<TranslationOutcome> known = core_.awaitOutcome(
          id, std::make_shared<ApplicationAckWaiter>(core_.journal(), sink, mode, options))) {
    // Already translated: answered from the message in hand, no journal read here.
    detail::sendApplicationAck(*sink, mode, options, payload, *known);
  }
}

}  // namespace rtw::pipeline
