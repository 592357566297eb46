#pragma once
// The pieces of the answers intake and the application-ACK waiters share.

#include <string>

#include "rtw/hl7v2/ack.h"
#include "rtw/pipeline/intake.h"

namespace rtw::pipeline::detail {

/// One ERR: located at `segment` (occurrence 1) and `field` when given; the
/// text cut to 500 bytes.
hl7v2::AckError error(std::string segment, int field, int code, std::string text);

/// The application ACK answering the journaled `payload` with `outcome`: AA,
/// or AE (content) / AR (refused for another reason) with its ERR.
std::string applicationAck(const std::string& payload, const hl7v2::ParseOptions& options,
                           const TranslationOutcome& outcome);

/// applicationAck() sent to `sink`, when the sender's MSH-16 asks for it.
void sendApplicationAck(AckSink& sink, const hl7v2::AcknowledgmentMode& mode,
                        const hl7v2::ParseOptions& options, const std::string& payload,
                        const TranslationOutcome& outcome);

}  // namespace rtw::pipeline::detail
