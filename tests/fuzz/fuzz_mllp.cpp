// The MLLP framer on bytes from the network. The same bytes fed in one read
// and in reads of random sizes must give the same events (TCP may split
// them anywhere), and no frame may hold a start or end block.

#include <algorithm>
#include <random>
#include <vector>

#include "fuzz_support.h"
#include "rtw/hl7v2/mllp.h"

namespace {

using rtw::hl7v2::MllpEvent;

// Consecutive junk events are one run of junk however it arrived: their
// counts are added up.
std::vector<MllpEvent> drain(rtw::hl7v2::MllpFramer& framer, std::vector<MllpEvent> events) {
  while (auto event = framer.next()) {
    if (event->kind == MllpEvent::Kind::kJunk && !events.empty() &&
        events.back().kind == MllpEvent::Kind::kJunk) {
      events.back().payload =
          std::to_string(std::stoull(events.back().payload) + std::stoull(event->payload));
    } else {
      events.push_back(std::move(*event));
    }
  }
  return events;
}

bool same(const std::vector<MllpEvent>& a, const std::vector<MllpEvent>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.kind == y.kind && x.payload == y.payload;
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = rtw::fuzz::asText(data, size);
  // At least the 4 KiB excerpt of an oversize frame, so that its payload
  // does not depend on how much had arrived when the limit was passed.
  const std::size_t max_frame = 4096 + (size > 0 ? data[0] % 8 : 0) * 512;

  rtw::hl7v2::MllpFramer whole(max_frame);
  whole.feed(bytes);
  const std::vector<MllpEvent> at_once = drain(whole, {});

  rtw::hl7v2::MllpFramer pieces(max_frame);
  std::minstd_rand chunk_sizes(static_cast<unsigned>(size));
  std::vector<MllpEvent> in_pieces;
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t n = std::min<std::size_t>(1 + chunk_sizes() % 700, bytes.size() - at);
    pieces.feed(bytes.substr(at, n));
    at += n;
    in_pieces = drain(pieces, std::move(in_pieces));
  }
  RTW_FUZZ_CHECK(same(at_once, in_pieces));
  RTW_FUZZ_CHECK(whole.inFrame() == pieces.inFrame());
  RTW_FUZZ_CHECK(whole.buffered() <= max_frame + 1 || !whole.inFrame());

  for (const MllpEvent& event : at_once) {
    if (event.kind == MllpEvent::Kind::kFrame) {
      RTW_FUZZ_CHECK(event.payload.size() <= max_frame);
      RTW_FUZZ_CHECK(event.payload.find_first_of("\x0b\x1c") == std::string::npos);
      // What the framer returned, framed again, is that one frame.
      rtw::hl7v2::MllpFramer again(max_frame);
      again.feed(rtw::hl7v2::mllpFrame(event.payload));
      const auto back = again.next();
      RTW_FUZZ_CHECK(back && back->kind == MllpEvent::Kind::kFrame &&
                     back->payload == event.payload && !again.next());
    } else if (event.kind == MllpEvent::Kind::kOversize) {
      RTW_FUZZ_CHECK(event.payload.size() <= 4096);
      RTW_FUZZ_CHECK(event.payload.find_first_of("\r\n\x1c") == std::string::npos);
    }
  }
  return 0;
}
