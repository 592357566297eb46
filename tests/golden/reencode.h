#pragma once
// A message written again with other delimiters, for the golden tests: a
// mapping must give the same document whatever characters the sender chose.

#include <string>

#include "rtw/hl7v2/message.h"

namespace rtw::golden {

/// The delimiters reencoded() writes: field '!', component '@', repetition
/// '%', escape '$', subcomponent '*', truncation '?' (only when the message
/// has one). None of them is a standard one, so every separator moves.
hl7v2::Delimiters otherDelimiters(const hl7v2::Delimiters& original);

/// `message` in otherDelimiters(): each primitive as get() reads it,
/// escaped for the new delimiters, in the message's own charset (MSH-18 is
/// kept). Reading any path of the result gives the value it gives in
/// `message`, but MSH-1 and MSH-2.
std::string reencoded(const hl7v2::Message& message);

}  // namespace rtw::golden
