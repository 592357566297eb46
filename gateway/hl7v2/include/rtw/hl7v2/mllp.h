#pragma once
// MLLP framing: <VT> payload <FS><CR>. Streaming, so a frame may arrive in
// pieces and several frames in one read.
//
// Tolerated in the field and therefore accepted:
//  - <FS> not followed by <CR>: the FS alone ends the frame (a CR that
//    arrives right after it, even in the next read, is still swallowed);
//  - a <VT> inside an open frame: the sender gave up on the frame and
//    started again, so the bytes so far are reported as kJunk (kOversize
//    when they passed the maximum, however the bytes were split into reads)
//    and the new frame starts at that VT.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rtw::hl7v2 {

inline constexpr char kMllpStart = '\x0b';
inline constexpr char kMllpEnd = '\x1c';
inline constexpr char kMllpTrailer = '\r';

/// Wraps a payload in an MLLP frame.
std::string mllpFrame(std::string_view payload);

struct MllpEvent {
  enum class Kind {
    kFrame,     // payload holds one complete message
    kOversize,  // a frame exceeded the maximum; its bytes were discarded up to its end.
                // Reported once, as soon as the limit is passed; payload holds the
                // frame's first line (at most 4 KiB) so the caller can still
                // answer with an ACK naming MSH-10.
    kJunk,      // bytes outside any frame were discarded; payload holds their count as text
  };
  Kind kind = Kind::kFrame;
  std::string payload;
};

class MllpFramer {
 public:
  explicit MllpFramer(std::size_t max_frame_bytes = 16 * 1024 * 1024);

  /// Appends bytes read from the connection. Work per byte is constant: a
  /// big frame arriving in small pieces is scanned once, not once per piece.
  void feed(std::string_view bytes);

  /// The next complete event, if any. Call until it returns nothing.
  std::optional<MllpEvent> next();

  /// True while a frame has started but not ended (for the frame timeout).
  bool inFrame() const;

  /// Bytes buffered and not yet returned.
  std::size_t buffered() const;

  /// Bytes the buffer holds on to, used or not. After a frame of more than
  /// 1 MiB is consumed the buffer is given back, so an open connection that
  /// sent one big message does not keep its size.
  std::size_t capacity() const;

 private:
  std::optional<MllpEvent> seekStart();
  std::optional<MllpEvent> scanFrame();
  bool skipDiscarded();
  void endFrameAt(std::size_t end_block);
  void dropConsumed();
  MllpEvent oversize() const;

  std::size_t max_frame_bytes_;
  std::string buffer_;
  std::size_t scan_from_ = 0;  // first byte of the open frame not yet searched
  std::size_t head_ = 0;       // first byte not yet consumed (the VT while in a frame)
  bool in_frame_ = false;
  bool discarding_ = false;    // inside an oversize frame, waiting for its end
  bool skip_trailer_ = false;  // the last frame ended with FS as the last byte we had
};

}  // namespace rtw::hl7v2
