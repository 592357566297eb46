#pragma once
// Intake: an inbound HL7 v2 message becomes a journal row, and only then an
// ACK. Bad bytes get AR with an ERR segment and touch nothing.

#include <functional>
#include <string>
#include <string_view>

#include "rtw/security/partners.h"
#include "rtw/store/journal.h"

namespace rtw::pipeline {

class Hl7Intake {
 public:
  /// `on_recorded` is called after each new message is committed (wakes the
  /// translate worker).
  Hl7Intake(store::Journal& journal, std::function<void()> on_recorded);

  /// Parses, checks, journals and returns the ACK to send. Never throws for
  /// bad input; a store failure propagates (the caller must not ACK).
  std::string receive(const security::Partner& partner, std::string_view bytes);

 private:
  store::Journal& journal_;
  std::function<void()> on_recorded_;
};

/// A fresh ACK control id and an HL7 timestamp for now.
std::string newControlId();
std::string hl7Now();

}  // namespace rtw::pipeline
