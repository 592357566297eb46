#include "mllp_event_loop.h"

#include <pthread.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <utility>

#include <Poco/Logger.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timespan.h>

#include "rtw/hl7v2/ack.h"
#include "rtw/hl7v2/mllp.h"

namespace rtw::transport::detail {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("rtw.mllp"); }

using Clock = std::chrono::steady_clock;

// While a frame waits for its commit, the bytes that follow it are read
// into the framer up to this much; then the connection is not read until
// the answer came (a sender that pipelines is held back, not buffered
// without end).
constexpr std::size_t kMaxBufferedWhileBusy = 1024 * 1024;
constexpr int kWaitMs = 250;  // epoll wait: how often timeouts are checked
constexpr auto kStopGrace = std::chrono::seconds(2);

std::runtime_error systemError(const char* what) {
  return std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

/// One authenticated connection. Its socket, framer and queue of ACK frames
/// belong to the loop thread; send() may be called from any thread.
class LoopConnection final : public pipeline::AckSink,
                             public std::enable_shared_from_this<LoopConnection> {
 public:
  LoopConnection(MllpEventLoop& loop, const Poco::Net::SecureStreamSocket& tls_socket,
                 std::unique_ptr<security::ConnectionBinding> its_binding, std::string its_peer,
                 std::size_t max_frame_bytes)
      : socket(tls_socket),
        fd(tls_socket.impl()->sockfd()),
        binding(std::move(its_binding)),
        partner_id(binding->last().partner->id),  // as authenticated: never null
        peer(std::move(its_peer)),
        framer(max_frame_bytes),
        last_bytes(Clock::now()),
        loop_(loop),
        loop_thread_(loop.threadId()),
        mailbox_(loop.mailbox()) {}

  // From another thread (a translate worker's application ACK) the frame
  // goes through the mailbox, which outlives the loop; queue() runs on the
  // loop thread only, so the loop is alive there.
  void send(const std::string& ack) override {
    std::string frame = hl7v2::mllpFrame(ack);
    if (std::this_thread::get_id() == loop_thread_) {
      queue(std::move(frame));
      return;
    }
    mailbox_->post([self = weak_from_this(), frame = std::move(frame)]() mutable {
      if (auto connection = self.lock()) {
        connection->queue(std::move(frame));
      }
    });
  }

  void queue(std::string frame) {
    if (closed) {
      return;
    }
    out.push_back(std::move(frame));
    loop_.flush(*this);
  }

  Poco::Net::SecureStreamSocket socket;
  const int fd;
  // Bound again for a message after a registry reload (the loop thread's).
  const std::unique_ptr<security::ConnectionBinding> binding;
  const std::string partner_id;  // as bound at the handshake, for the logs
  const std::string peer;
  hl7v2::MllpFramer framer;
  std::deque<std::string> out;  // ACK frames not yet written
  bool busy = false;            // a frame waits for its commit
  bool closed = false;
  bool want_write = false;          // the socket refused bytes: wait until writable
  bool reading_paused = false;      // busy, and kMaxBufferedWhileBusy read
  std::uint32_t interest = 0;       // what epoll watches for now
  Clock::time_point last_bytes;     // for the idle timeout
  Clock::time_point frame_started;  // for the frame timeout
  bool was_in_frame = false;

 private:
  MllpEventLoop& loop_;
  const std::thread::id loop_thread_;
  const std::shared_ptr<Mailbox> mailbox_;
};

MllpEventLoop::MllpEventLoop(const MllpServerOptions& options, pipeline::Hl7Intake& intake,
                             std::atomic<int>& open_connections)
    : options_(options),
      intake_(intake),
      open_connections_(open_connections),
      mailbox_(std::make_shared<Mailbox>()),
      epoll_fd_(epoll_create1(EPOLL_CLOEXEC)),
      buffer_(64 * 1024) {
  if (epoll_fd_ < 0) {
    throw systemError("epoll_create1");
  }
  epoll_event wake{};
  wake.events = EPOLLIN;
  wake.data.fd = mailbox_->fd();
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, mailbox_->fd(), &wake) != 0) {
    throw systemError("epoll_ctl");
  }
}

MllpEventLoop::~MllpEventLoop() {
  stop();
  ::close(epoll_fd_);
}

void MllpEventLoop::start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "rtw-mllp-loop");
    run();
  });
}

void MllpEventLoop::stop() {
  if (!thread_.joinable()) {
    return;
  }
  stopping_ = true;
  mailbox_->post([] {});  // wake the loop
  thread_.join();
}

void MllpEventLoop::adopt(const Poco::Net::SecureStreamSocket& socket,
                          std::unique_ptr<security::ConnectionBinding> binding,
                          const std::string& peer) {
  Poco::Net::SecureStreamSocket own(socket);
  // Non-blocking. POCO 1.11 keeps a second "blocking" flag on the socket
  // under its TLS layer that setBlocking() does not reach: when TLS wants
  // more bytes it polls for the timeout, so the timeouts are zero, and
  // "would block" comes back as Poco::TimeoutException.
  own.setReceiveTimeout(Poco::Timespan(0));
  own.setSendTimeout(Poco::Timespan(0));
  own.setBlocking(false);
  auto connection = std::make_shared<LoopConnection>(*this, own, std::move(binding), peer,
                                                     options_.max_frame_bytes);
  mailbox_->post([this, connection] { add(connection); });
}

void MllpEventLoop::run() {
  std::vector<epoll_event> events(64);
  Clock::time_point stop_deadline{};
  for (;;) {
    if (stopping_) {
      // Answers of commits in flight are still written for a moment.
      if (stop_deadline == Clock::time_point{}) {
        stop_deadline = Clock::now() + kStopGrace;
      }
      bool waiting = false;
      for (const auto& [fd, connection] : connections_) {
        waiting = waiting || connection->busy;
      }
      if (!waiting || Clock::now() > stop_deadline) {
        break;
      }
    }
    const int ready =
        epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), kWaitMs);
    for (int i = 0; i < ready; ++i) {
      if (events[i].data.fd == mailbox_->fd()) {
        runTasks();
        continue;
      }
      auto found = connections_.find(events[i].data.fd);
      if (found != connections_.end()) {
        const std::shared_ptr<LoopConnection> connection = found->second;
        onEvent(*connection, events[i].events);
      }
    }
    checkTimeouts();
    retired_.clear();
  }
  for (const auto& [fd, connection] : std::unordered_map(connections_)) {
    close(*connection, ": server stopping; closing", false);
  }
  mailbox_->close();
}

void MllpEventLoop::runTasks() {
  for (auto& task : mailbox_->take()) {
    try {
      task();
    } catch (const std::exception& e) {
      // A task's own connection was closed by it (fail); the loop goes on.
      logger().error("an MLLP task failed: %s", std::string(e.what()));
    }
  }
}

void MllpEventLoop::fail(LoopConnection& connection, const std::exception& e) {
  logger().error("connection from %s failed: %s", connection.peer, std::string(e.what()));
  close(connection, "", true);
}

void MllpEventLoop::add(const std::shared_ptr<LoopConnection>& connection) {
  if (stopping_) {
    return;  // the socket closes with the connection
  }
  if (open_connections_.fetch_add(1) >= options_.max_connections) {
    --open_connections_;
    logger().warning("partner=%s at %s: %d connections open already; closing",
                     connection->partner_id, connection->peer, options_.max_connections);
    return;
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = connection->fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, connection->fd, &event) != 0) {
    logger().error("partner=%s at %s: cannot watch the connection: %s", connection->partner_id,
                   connection->peer, std::string(std::strerror(errno)));
    --open_connections_;
    return;
  }
  connection->interest = EPOLLIN;
  connections_[connection->fd] = connection;
  read(*connection);  // bytes may have come with the handshake
}

void MllpEventLoop::onEvent(LoopConnection& connection, std::uint32_t events) {
  if ((events & EPOLLOUT) != 0) {
    flush(connection);
  }
  if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0 && !connection.closed) {
    read(connection);
  }
}

void MllpEventLoop::read(LoopConnection& connection) {
  try {
    // One read per readiness, then more only while TLS holds bytes it read
    // already (epoll announces the kernel's, not those): a read that would
    // block costs POCO a poll and an exception.
    while (!connection.closed) {
      if (connection.busy && connection.framer.buffered() >= kMaxBufferedWhileBusy) {
        connection.reading_paused = true;
        break;
      }
      const int n =
          connection.socket.receiveBytes(buffer_.data(), static_cast<int>(buffer_.size()));
      if (n == 0) {
        close(connection, " closed the connection", false);
        return;
      }
      if (n < 0) {  // ERR_SSL_WANT_READ, or WANT_WRITE: TLS must write first
        // Set, never cleared here: flush() may be waiting to write ACKs.
        connection.want_write =
            connection.want_write || n == Poco::Net::SecureStreamSocket::ERR_SSL_WANT_WRITE;
        break;
      }
      connection.last_bytes = Clock::now();
      connection.framer.feed(std::string_view(buffer_.data(), static_cast<std::size_t>(n)));
      if (connection.socket.impl()->available() <= 0) {
        break;
      }
    }
  } catch (const Poco::TimeoutException&) {
    // Would block: TLS has no whole record yet.
  } catch (const Poco::Exception& e) {
    logger().warning("connection from %s ended: %s", connection.peer, e.displayText());
    close(connection, "", true);
    return;
  }
  handleFrames(connection);
}

void MllpEventLoop::handleFrames(LoopConnection& connection) {
  while (!connection.busy && !connection.closed && !stopping_) {
    std::optional<hl7v2::MllpEvent> event = connection.framer.next();
    if (!event) {
      break;
    }
    switch (event->kind) {
      case hl7v2::MllpEvent::Kind::kFrame: {
        std::shared_ptr<LoopConnection> self = connection.shared_from_this();
        auto finish = [mailbox = mailbox_, self, this](std::function<void()> answer) {
          // On the committer's thread: the answer is written by the loop.
          mailbox->post([this, self, answer = std::move(answer)] {
            try {
              answer();
            } catch (const std::exception& e) {
              fail(*self, e);
            }
            answered(self);
          });
        };
        const security::Binding& binding = connection.binding->current();
        if (binding.partner == nullptr) {
          // A reload took its certificate away from the partner: as at a handshake.
          logger().warning("partner=%s at %s: after the partner registry was reloaded, %s; closing",
                           connection.partner_id, connection.peer, binding.explain());
          close(connection, "", true);
          return;
        }
        try {
          connection.busy = intake_.receiveAsync(binding, event->payload, self, std::move(finish));
        } catch (const std::exception& e) {
          fail(connection, e);
          return;
        }
        break;
      }
      case hl7v2::MllpEvent::Kind::kOversize:
        // The payload holds the frame's first line: enough for MSA-2.
        logger().warning("partner=%s at %s sent a frame over %z bytes", connection.partner_id,
                         connection.peer, options_.max_frame_bytes);
        connection.send(hl7v2::buildRejectForUnparsed(
            event->payload, {"message exceeds the maximum frame size", "", 0, 0}, {},
            pipeline::newControlId(), pipeline::hl7Now()));
        break;
      case hl7v2::MllpEvent::Kind::kJunk:
        logger().warning("partner=%s at %s sent %s bytes outside an MLLP frame; closing",
                         connection.partner_id, connection.peer, event->payload);
        close(connection, "", true);
        return;
    }
  }
  if (connection.closed) {
    return;
  }
  const bool in_frame = connection.framer.inFrame();
  if (in_frame && !connection.was_in_frame) {
    connection.frame_started = Clock::now();
  }
  connection.was_in_frame = in_frame;
  watch(connection);
}

void MllpEventLoop::answered(const std::shared_ptr<LoopConnection>& connection) {
  connection->busy = false;
  if (connection->closed) {
    return;
  }
  const bool was_paused = std::exchange(connection->reading_paused, false);
  handleFrames(*connection);
  // TLS may hold bytes it read already, which epoll does not announce.
  if (!connection->busy && !connection->closed &&
      (was_paused || connection->socket.impl()->available() > 0)) {
    read(*connection);
  }
}

void MllpEventLoop::flush(LoopConnection& connection) {
  try {
    while (!connection.closed && !connection.out.empty()) {
      std::string& frame = connection.out.front();
      int n = 0;
      try {
        n = connection.socket.sendBytes(frame.data(), static_cast<int>(frame.size()));
      } catch (const Poco::TimeoutException&) {
        n = Poco::Net::SecureStreamSocket::ERR_SSL_WANT_WRITE;  // would block (see adopt)
      }
      if (n == Poco::Net::SecureStreamSocket::ERR_SSL_WANT_WRITE ||
          n == Poco::Net::SecureStreamSocket::ERR_SSL_WANT_READ) {
        connection.want_write = true;
        watch(connection);
        return;
      }
      if (n >= static_cast<int>(frame.size())) {
        connection.out.pop_front();
      } else if (n > 0) {
        frame.erase(0, static_cast<std::size_t>(n));
      }
    }
  } catch (const Poco::Exception& e) {
    logger().warning("could not send an ACK to %s: %s", connection.peer, e.displayText());
    close(connection, "", true);
    return;
  }
  if (connection.want_write) {
    connection.want_write = false;
    watch(connection);
  }
}

void MllpEventLoop::watch(LoopConnection& connection) {
  if (connection.closed) {
    return;
  }
  const std::uint32_t wanted = (connection.reading_paused ? 0U : std::uint32_t{EPOLLIN}) |
                               (connection.want_write ? std::uint32_t{EPOLLOUT} : 0U);
  if (wanted == connection.interest) {
    return;
  }
  epoll_event event{};
  event.events = wanted;
  event.data.fd = connection.fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection.fd, &event) == 0) {
    connection.interest = wanted;
  }
}

void MllpEventLoop::close(LoopConnection& connection, const std::string& why, bool warn) {
  if (connection.closed) {
    return;
  }
  if (!why.empty()) {
    const std::string text = "partner=" + connection.partner_id + " at " + connection.peer + why;
    if (warn) {
      logger().warning(text);
    } else {
      logger().information(text);
    }
  }
  connection.closed = true;
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, connection.fd, nullptr);
  try {
    connection.socket.close();
  } catch (const Poco::Exception&) {
    // Closing anyway.
  }
  // The caller may still hold the connection by reference: it is freed
  // after this round of events at the earliest.
  auto found = connections_.find(connection.fd);
  if (found != connections_.end() && found->second.get() == &connection) {
    retired_.push_back(std::move(found->second));
    connections_.erase(found);
    --open_connections_;
  }
}

void MllpEventLoop::checkTimeouts() {
  const auto now = Clock::now();
  if (now - last_timeout_check_ < std::chrono::milliseconds(kWaitMs)) {
    return;
  }
  last_timeout_check_ = now;
  std::vector<std::shared_ptr<LoopConnection>> all;
  all.reserve(connections_.size());
  for (const auto& [fd, connection] : connections_) {
    all.push_back(connection);
  }
  for (const auto& connection : all) {
    if (connection->was_in_frame &&
        now - connection->frame_started > std::chrono::milliseconds(options_.frame_timeout_ms)) {
      close(*connection,
            ": frame not completed within " + std::to_string(options_.frame_timeout_ms) +
                " ms; closing",
            true);
    } else if (now - connection->last_bytes > std::chrono::milliseconds(options_.idle_timeout_ms)) {
      close(*connection, " idle; closing", false);
    }
  }
}

}  // namespace rtw::transport::detail
