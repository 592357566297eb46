// Streaming MLLP de-framing. The buffer is only ever searched forward: an
// open frame remembers how far it was scanned (scan_from_), and consumed
// bytes are dropped lazily (head_), so both feeding a big frame in small
// pieces and many small frames in one read stay linear.

#include "rtw/hl7v2/mllp.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace rtw::hl7v2 {
namespace {

constexpr std::size_t kOversizeExcerpt = 4096;
// A buffer grown past this for a big frame is given back as soon as the frame
// is returned: a connection that sent one 16 MiB message would otherwise hold
// that much (and up to twice it in capacity) for as long as it stays open.
constexpr std::size_t kKeptCapacity = 1024 * 1024;

// Position of `c` in [from, to) of `text`, or `to` when absent.
std::size_t findIn(const std::string& text, char c, std::size_t from, std::size_t to) {
  if (from >= to) {
    return to;
  }
  const void* hit = std::memchr(text.data() + from, static_cast<unsigned char>(c), to - from);
  return hit == nullptr ? to
                        : static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
}

MllpEvent junk(std::size_t count) {
  return MllpEvent{MllpEvent::Kind::kJunk, std::to_string(count)};
}

}  // namespace

std::string mllpFrame(std::string_view payload) {
  std::string framed;
  framed.reserve(payload.size() + 3);
  framed.push_back(kMllpStart);
  framed.append(payload);
  framed.push_back(kMllpEnd);
  framed.push_back(kMllpTrailer);
  return framed;
}

MllpFramer::MllpFramer(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}

void MllpFramer::feed(std::string_view bytes) {
  // Compact only when at least half the buffer is consumed: each byte is
  // then moved a bounded number of times.
  if (head_ == buffer_.size()) {
    dropConsumed();
  } else if (head_ > 0 && head_ >= buffer_.size() / 2) {
    if (buffer_.capacity() > kKeptCapacity) {
      buffer_ = buffer_.substr(head_);  // a copy of the rest alone, in a right-sized buffer
    } else {
      buffer_.erase(0, head_);
    }
    scan_from_ = scan_from_ > head_ ? scan_from_ - head_ : 0;
    head_ = 0;
  }
  buffer_.append(bytes);
}

void MllpFramer::dropConsumed() {
  if (buffer_.capacity() > kKeptCapacity) {
    std::string().swap(buffer_);
  } else {
    buffer_.clear();
  }
  scan_from_ = 0;
  head_ = 0;
}

std::optional<MllpEvent> MllpFramer::next() {
  for (;;) {
    if (skip_trailer_ && head_ < buffer_.size()) {
      skip_trailer_ = false;
      if (buffer_[head_] == kMllpTrailer) {
        ++head_;
      }
    }
    if (head_ >= buffer_.size()) {
      dropConsumed();  // now, not at the next read: the connection may stay idle
      return std::nullopt;
    }
    if (discarding_) {
      if (!skipDiscarded()) {
        return std::nullopt;
      }
      continue;
    }
    if (!in_frame_) {
      if (auto event = seekStart()) {
        return event;
      }
      continue;
    }
    return scanFrame();
  }
}

// Outside a frame: everything up to the next VT is junk.
std::optional<MllpEvent> MllpFramer::seekStart() {
  std::size_t start = findIn(buffer_, kMllpStart, head_, buffer_.size());
  if (start > head_) {
    std::size_t count = start - head_;
    head_ = start;
    return junk(count);
  }
  in_frame_ = true;
  scan_from_ = head_ + 1;
  return std::nullopt;
}

// Inside a frame: look for its end block (or a restarting VT) in the bytes
// not searched yet.
std::optional<MllpEvent> MllpFramer::scanFrame() {
  std::size_t size = buffer_.size();
  std::size_t end_block = findIn(buffer_, kMllpEnd, scan_from_, size);
  std::size_t restart = findIn(buffer_, kMllpStart, scan_from_, end_block);
  std::size_t payload_begin = head_ + 1;
  if (restart < end_block) {
    if (restart - payload_begin > max_frame_bytes_) {
      // Abandoned after passing the limit: oversize, as when the new VT
      // comes in a later read than the byte that passed it.
      MllpEvent event = oversize();
      in_frame_ = false;
      head_ = restart;
      return event;
    }
    std::size_t count = restart - head_;
    head_ = restart;
    scan_from_ = restart + 1;
    return junk(count);
  }
  if (end_block == size) {
    scan_from_ = size;
    if (size - payload_begin <= max_frame_bytes_) {
      return std::nullopt;
    }
    MllpEvent event = oversize();
    in_frame_ = false;
    discarding_ = true;
    head_ = size;
    return event;
  }
  std::size_t length = end_block - payload_begin;
  MllpEvent event = length > max_frame_bytes_
                        ? oversize()
                        : MllpEvent{MllpEvent::Kind::kFrame, buffer_.substr(payload_begin, length)};
  endFrameAt(end_block);
  if (head_ == buffer_.size()) {
    // At once: the caller may not ask for the next event before the
    // message is stored and answered, and meanwhile holds its own copy.
    dropConsumed();
  }
  return event;
}

// Inside an oversize frame: drop bytes up to its end block (or a new VT).
bool MllpFramer::skipDiscarded() {
  std::size_t size = buffer_.size();
  std::size_t end_block = findIn(buffer_, kMllpEnd, head_, size);
  std::size_t restart = findIn(buffer_, kMllpStart, head_, end_block);
  if (restart < end_block) {
    head_ = restart;
    discarding_ = false;
    return true;
  }
  if (end_block == size) {
    head_ = size;
    return false;
  }
  endFrameAt(end_block);
  return true;
}

void MllpFramer::endFrameAt(std::size_t end_block) {
  in_frame_ = false;
  discarding_ = false;
  head_ = end_block + 1;
  if (head_ == buffer_.size()) {
    skip_trailer_ = true;  // the CR may come with the next read
  } else if (buffer_[head_] == kMllpTrailer) {
    ++head_;
  }
  // Any other byte: the FS alone ended the frame (seen in the field); that
  // byte is then judged as the start of what follows.
}

MllpEvent MllpFramer::oversize() const {
  std::size_t begin = head_ + 1;
  std::size_t limit = std::min(buffer_.size(), begin + kOversizeExcerpt);
  std::size_t line_end =
      std::min(findIn(buffer_, '\r', begin, limit), findIn(buffer_, '\n', begin, limit));
  line_end = std::min(line_end, findIn(buffer_, kMllpEnd, begin, limit));
  return MllpEvent{MllpEvent::Kind::kOversize, buffer_.substr(begin, line_end - begin)};
}

bool MllpFramer::inFrame() const { return in_frame_ || discarding_; }

std::size_t MllpFramer::buffered() const { return buffer_.size() - head_; }

std::size_t MllpFramer::capacity() const { return buffer_.capacity(); }

}  // namespace rtw::hl7v2
