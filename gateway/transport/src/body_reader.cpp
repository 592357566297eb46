#include "body_reader.h"

#include <algorithm>
#include <limits>

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>

namespace rtw::transport::detail {
namespace {

constexpr std::size_t kMaxLine = 4096;          // a chunk's size line, a trailer field
constexpr std::size_t kMaxTrailerBytes = 8192;  // all trailer fields together

HttpError malformed() { return HttpError(400, "the chunked body is malformed"); }

/// The chunk size in hex before any extension (";name=value").
std::uint64_t chunkSize(const std::string& line) {
  std::uint64_t size = 0;
  std::size_t digits = 0;
  for (; digits < line.size(); ++digits) {
    const char c = line[digits];
    int value = -1;
    if (c >= '0' && c <= '9') {
      value = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      value = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      value = c - 'A' + 10;
    } else {
      break;
    }
    if (size > (std::numeric_limits<std::uint64_t>::max() >> 4)) {
      throw malformed();
    }
    size = (size << 4) | static_cast<std::uint64_t>(value);
  }
  const char after = digits < line.size() ? line[digits] : ';';
  if (digits == 0 || (after != ';' && after != ' ' && after != '\t')) {
    throw malformed();
  }
  return size;
}

}  // namespace

StreamBodyReader::StreamBodyReader(ServerSession& session,
                                   Poco::Net::HTTPServerResponseImpl& response,
                                   bool expect_continue,
                                   std::optional<std::uint64_t> content_length, std::size_t limit,
                                   Clock::time_point deadline,
                                   std::chrono::milliseconds idle_timeout)
    : session_(session),
      response_(response),
      expect_continue_(expect_continue),
      content_length_(content_length),
      limit_(limit),
      deadline_(deadline),
      idle_timeout_(idle_timeout),
      finished_(content_length && *content_length == 0) {}

std::size_t StreamBodyReader::read(char* buffer, std::size_t size) {
  if (finished_ || size == 0) {
    return 0;
  }
  if (!started_) {
    started_ = true;
    if (expect_continue_) {
      response_.sendContinue();
    }
  }
  try {
    return content_length_ ? readFixed(buffer, size) : readChunked(buffer, size);
  } catch (const Poco::TimeoutException&) {
    throw HttpError(408, "the request was not received in time");
  } catch (const Poco::Exception& e) {
    throw ClientGone(e.displayText());
  }
}

std::size_t StreamBodyReader::readFixed(char* buffer, std::size_t size) {
  const std::uint64_t left = *content_length_ - received_;
  armRead();
  const int count =
      session_.readSome(buffer, static_cast<std::streamsize>(std::min<std::uint64_t>(size, left)));
  if (count <= 0) {
    throw ClientGone("the connection ended inside the body");
  }
  received_ += static_cast<std::uint64_t>(count);
  finished_ = received_ == *content_length_;
  return static_cast<std::size_t>(count);
}

std::size_t StreamBodyReader::readChunked(char* buffer, std::size_t size) {
  while (true) {
    switch (chunked_) {
      case Chunked::kSizeLine:
        startChunk(readLine());
        break;
      case Chunked::kData: {
        armRead();
        const int count = session_.readSome(
            buffer, static_cast<std::streamsize>(std::min<std::uint64_t>(size, chunk_left_)));
        if (count <= 0) {
          throw ClientGone("the connection ended inside a chunk");
        }
        chunk_left_ -= static_cast<std::uint64_t>(count);
        if (chunk_left_ == 0) {
          chunked_ = Chunked::kDataEnd;
        }
        return static_cast<std::size_t>(count);
      }
      case Chunked::kDataEnd:
        if (!readLine().empty()) {
          throw malformed();
        }
        chunked_ = Chunked::kSizeLine;
        break;
      case Chunked::kTrailer: {
        const std::string field = readLine();
        trailer_bytes_ += field.size() + 2;
        if (trailer_bytes_ > kMaxTrailerBytes) {
          throw HttpError(431, "the chunked body's trailer is too large");
        }
        if (field.empty()) {
          finished_ = true;
          return 0;
        }
        break;
      }
    }
  }
}

void StreamBodyReader::startChunk(const std::string& size_line) {
  const std::uint64_t size = chunkSize(size_line);
  if (size == 0) {
    chunked_ = Chunked::kTrailer;
    return;
  }
  // Refused on the size line: the chunk's data is never read.
  if (size > limit_ || received_ + size > limit_) {
    throw HttpError(413, "the request body is larger than " + std::to_string(limit_) + " bytes");
  }
  received_ += size;
  chunk_left_ = size;
  chunked_ = Chunked::kData;
}

std::string StreamBodyReader::readLine() {
  std::string line;
  while (true) {
    const int c = byte();
    if (c == '\n') {
      if (line.empty() || line.back() != '\r') {
        throw malformed();
      }
      line.pop_back();
      return line;
    }
    if (line.size() == kMaxLine) {
      throw malformed();
    }
    line.push_back(static_cast<char>(c));
  }
}

int StreamBodyReader::byte() {
  if (!session_.hasBuffered()) {
    armRead();
  }
  const int c = session_.nextByte();
  if (c < 0) {
    throw ClientGone("the connection ended inside the chunked body");
  }
  return c;
}

void StreamBodyReader::armRead() {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
  if (left.count() <= 0) {
    throw HttpError(408, "the request was not received in time");
  }
  if (session_.hasBuffered()) {
    return;  // no socket read
  }
  // POCO 1.11 waits up to twice the receive timeout on a TLS socket (the
  // read, then a poll), so each read gets half of what it may wait.
  const auto wait = std::max<std::chrono::milliseconds>(std::min(left, idle_timeout_) / 2,
                                                        std::chrono::milliseconds(1));
  session_.setReadTimeout(wait);
}

void dropUnread(ServerSession& session, std::chrono::milliseconds time) {
  using Clock = std::chrono::steady_clock;
  const auto until = Clock::now() + time;
  char dropped[16 * 1024];
  try {
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left.count() < 2) {
        return;
      }
      session.setReadTimeout(left / 2);
      if (session.readSome(dropped, sizeof dropped) <= 0) {
        return;
      }
    }
  } catch (const Poco::Exception&) {
    // Closed, reset or timed out: nothing more to wait for.
  }
}

}  // namespace rtw::transport::detail
