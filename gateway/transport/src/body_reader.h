#pragma once
// The body of a request on the HTTPS server, read from the connection's
// session one socket read at a time, each given what is left of the
// request's deadline. Chunked bodies are decoded here, strictly: a chunk
// that would pass the limit is refused from its size line, before its data,
// and a connection that ends before the last chunk is an error, never a
// shorter body (POCO's chunked stream takes the end of the connection for
// the end of the body).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ios>
#include <optional>
#include <string>

#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>

#include "rtw/transport/https_exchange.h"

namespace rtw::transport::detail {

/// POCO's server session with its buffered reads opened up to the body reader.
class ServerSession final : public Poco::Net::HTTPServerSession {
 public:
  using HTTPServerSession::HTTPServerSession;
  /// At most one socket read (none when bytes are buffered); 0 at the end.
  int readSome(char* buffer, std::streamsize length) { return read(buffer, length); }
  /// One byte, or -1 at the end of the connection.
  int nextByte() { return get(); }
  bool hasBuffered() const { return buffered() > 0; }
  /// The socket's receive timeout, set only when it changes (each setting
  /// is a system call).
  void setReadTimeout(std::chrono::milliseconds timeout) {
    if (timeout != read_timeout_) {
      socket().setReceiveTimeout(
          Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000));
      read_timeout_ = timeout;
    }
  }

 private:
  std::chrono::milliseconds read_timeout_{-1};
};

/// After an answer sent with the request (or its head) not read to its end:
/// reads and drops what the client still sends, until it closes or `time`
/// passes, so that closing with unread bytes does not reset the connection
/// under the answer before the client has read it.
void dropUnread(ServerSession& session, std::chrono::milliseconds time);

class StreamBodyReader final : public BodyReader {
 public:
  using Clock = std::chrono::steady_clock;

  /// `content_length` empty for a chunked body; 0 for none.
  StreamBodyReader(ServerSession& session, Poco::Net::HTTPServerResponseImpl& response,
                   bool expect_continue, std::optional<std::uint64_t> content_length,
                   std::size_t limit, Clock::time_point deadline,
                   std::chrono::milliseconds idle_timeout);

  std::size_t read(char* buffer, std::size_t size) override;
  std::size_t limit() const override { return limit_; }
  std::optional<std::uint64_t> declaredSize() const override { return content_length_; }
  bool finished() const override { return finished_; }
  /// True once a read began.
  bool started() const { return started_; }

 private:
  enum class Chunked { kSizeLine, kData, kDataEnd, kTrailer };

  std::size_t readFixed(char* buffer, std::size_t size);
  std::size_t readChunked(char* buffer, std::size_t size);
  /// A line of at most kMaxLine bytes without its CRLF.
  std::string readLine();
  void startChunk(const std::string& size_line);
  /// Gives the next socket read what is left of the deadline.
  void armRead();
  int byte();

  ServerSession& session_;
  Poco::Net::HTTPServerResponseImpl& response_;
  const bool expect_continue_;
  const std::optional<std::uint64_t> content_length_;
  const std::size_t limit_;
  const Clock::time_point deadline_;
  const std::chrono::milliseconds idle_timeout_;
  std::uint64_t received_ = 0;
  std::uint64_t chunk_left_ = 0;
  Chunked chunked_ = Chunked::kSizeLine;
  std::size_t trailer_bytes_ = 0;
  bool finished_;
  bool started_ = false;
};

}  // namespace rtw::transport::detail
