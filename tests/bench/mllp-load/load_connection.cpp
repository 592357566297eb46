#include "load_connection.h"

#include <poll.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include "rtw/hl7v2/mllp.h"

namespace rtw::bench {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  for (std::size_t at; (at = text.find(separator, from)) != std::string_view::npos; from = at + 1) {
    parts.emplace_back(text.substr(from, at - from));
  }
  parts.emplace_back(text.substr(from));
  return parts;
}

struct Ack {
  std::string code;        // MSA-1
  std::string control_id;  // MSA-2
};

/// MSA-1 and MSA-2 of an ACK, read by hand: the generator must stay cheap
/// next to the server it measures on the same cores.
std::optional<Ack> readAck(std::string_view frame) {
  const char separator = frame.size() > 3 && frame.substr(0, 3) == "MSH" ? frame[3] : '|';
  std::size_t at = frame.find(std::string("\rMSA") + separator);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view segment = frame.substr(at + 1, frame.find('\r', at + 1) - (at + 1));
  const std::vector<std::string> fields = split(segment, separator);
  if (fields.size() < 3) {
    return std::nullopt;
  }
  return Ack{fields[1], fields[2]};
}

struct Pending {
  std::string control_id;
  LoadClock::time_point sent_at;
};

/// The state of one connection's loop.
class ConnectionLoop {
 public:
  ConnectionLoop(ByteStream& stream, const LoadPlan& plan, MessageSource& source, int index,
                 LoadClock::time_point start)
      : stream_(stream), plan_(plan), source_(source), framer_(16 * 1024 * 1024) {
    send_until_ =
        start + duration_cast<LoadClock::duration>(std::chrono::duration<double>(plan.seconds));
    if (plan.rate > 0) {
      // Each connection takes an equal share, the connections staggered in time.
      period_ = duration_cast<LoadClock::duration>(
          std::chrono::duration<double>(plan.connections / plan.rate));
      next_send_ = start + period_ * index / plan.connections;
    }
  }

  /// Before waiting: queues what is due, writes, checks the timeouts;
  /// false when the connection is done.
  bool prepare(LoadClock::time_point now) {
    queueDue(now);
    if (!flush()) {
      return false;
    }
    if (!sending_ && pending_.empty()) {
      if (!drain_until_) {
        drain_until_ = now + milliseconds(plan_.drain_ms);
      } else if (now >= *drain_until_) {
        return false;
      }
    }
    if (!pending_.empty() && now - pending_.front().sent_at > milliseconds(plan_.ack_timeout_ms)) {
      result_.failure = "no ACK within " + std::to_string(plan_.ack_timeout_ms) + " ms";
      return false;
    }
    return true;
  }

  /// What to wait for (`fd`) and until when.
  LoadClock::time_point waitFor(LoadClock::time_point now, pollfd& fd) const {
    auto until = now + milliseconds(50);
    if (sending_ && openLoop()) {
      until = std::min(until, next_send_);
    }
    if (drain_until_) {
      until = std::min(until, *drain_until_);
    }
    fd = pollfd{stream_.fd(), POLLIN, 0};
    if (written_ < output_.size() && !stream_.writeWantsRead()) {
      fd.events |= POLLOUT;
    }
    return until;
  }

  /// True when decrypted bytes wait inside the stream (no socket event comes for them).
  bool hasBuffered() const { return stream_.hasBuffered(); }

  /// Reads what arrived and handles its ACK frames; false when the connection ended.
  bool readAvailable() {
    char buffer[64 * 1024];
    for (;;) {
      const IoResult io = stream_.read(buffer, sizeof buffer);
      if (io.status == IoResult::Status::kWouldBlock) {
        break;
      }
      if (io.status != IoResult::Status::kOk) {
        result_.failure = io.status == IoResult::Status::kClosed ? "server closed the connection"
                                                                 : "read failed: " + io.error;
        handleFrames();
        return false;
      }
      framer_.feed(std::string_view(buffer, io.bytes));
    }
    handleFrames();
    return true;
  }

  ConnectionResult finish() {
    result_.unanswered += pending_.size();
    return std::move(result_);
  }

 private:
  static constexpr std::size_t kMaxOpenLoopInFlight = 10'000;

  bool openLoop() const { return period_.count() > 0; }

  void queueDue(LoadClock::time_point now) {
    if (sending_ && now >= send_until_) {
      sending_ = false;
    }
    while (sending_) {
      if (openLoop() ? (now < next_send_ || pending_.size() >= kMaxOpenLoopInFlight)
                     : pending_.size() >= static_cast<std::size_t>(plan_.pipeline)) {
        return;
      }
      std::uint64_t number = 0;
      if (!source_.claim(number)) {
        sending_ = false;
        return;
      }
      std::string id = source_.controlId(number);
      output_ += source_.frame(id);
      // Open loop: latency counts from the scheduled time, so a server that
      // falls behind is not flattered by the generator waiting for it.
      pending_.push_back({std::move(id), openLoop() ? next_send_ : now});
      next_send_ += period_;
      ++result_.sent;
    }
  }

  bool flush() {
    while (written_ < output_.size()) {
      const IoResult io = stream_.write(output_.data() + written_, output_.size() - written_);
      if (io.status == IoResult::Status::kWouldBlock) {
        return true;
      }
      if (io.status != IoResult::Status::kOk) {
        result_.failure = "write failed: " + io.error;
        return false;
      }
      written_ += io.bytes;
    }
    output_.clear();
    written_ = 0;
    return true;
  }

  void handleFrames() {
    while (std::optional<hl7v2::MllpEvent> event = framer_.next()) {
      if (event->kind != hl7v2::MllpEvent::Kind::kFrame) {
        ++result_.unparseable;
        continue;
      }
      handleAck(event->payload);
    }
  }

  void handleAck(std::string_view frame) {
    const auto now = LoadClock::now();
    const std::optional<Ack> ack = readAck(frame);
    if (!ack) {
      ++result_.unparseable;
      return;
    }
    auto it = std::find_if(pending_.begin(), pending_.end(),
                           [&](const Pending& p) { return p.control_id == ack->control_id; });
    if (it == pending_.end()) {
      ++(acked_ids_.count(ack->control_id) > 0 ? result_.duplicate_acks : result_.mismatched_acks);
      return;
    }
    result_.out_of_order += it == pending_.begin() ? 0 : 1;
    result_.latencies_us.push_back(
        static_cast<std::uint32_t>(duration_cast<microseconds>(now - it->sent_at).count()));
    ++result_.ack_codes[ack->code];
    ++result_.acked;
    result_.last_ack = now;
    acked_ids_.insert(std::move(it->control_id));
    pending_.erase(it);
  }

  ByteStream& stream_;
  const LoadPlan& plan_;
  MessageSource& source_;
  hl7v2::MllpFramer framer_;
  ConnectionResult result_;
  std::deque<Pending> pending_;
  std::unordered_set<std::string> acked_ids_;
  std::string output_;
  std::size_t written_ = 0;
  bool sending_ = true;
  LoadClock::time_point send_until_;
  LoadClock::time_point next_send_{};
  LoadClock::duration period_{0};
  std::optional<LoadClock::time_point> drain_until_;
};

}  // namespace

MessageSource::MessageSource(std::string_view message, std::string id_prefix, std::uint64_t budget,
                             bool original_mode)
    : id_prefix_(std::move(id_prefix)), budget_(budget) {
  std::string text(message);
  std::replace(text.begin(), text.end(), '\n', '\r');
  while (!text.empty() && text.back() == '\r') {
    text.pop_back();
  }
  text += '\r';
  const std::size_t msh_end = text.find('\r');
  if (text.rfind("MSH", 0) != 0 || text.size() < 4) {
    throw std::runtime_error("the message does not start with MSH");
  }
  std::vector<std::string> fields = split(std::string_view(text).substr(0, msh_end), text[3]);
  if (fields.size() < 12) {
    throw std::runtime_error("MSH has fewer than 12 fields");
  }
  if (original_mode && fields.size() > 14) {
    fields.resize(14);  // MSH-15 and MSH-16 (and what follows) dropped: original mode
    while (fields.size() > 12 && fields.back().empty()) {
      fields.pop_back();
    }
  }
  // fields[9] is MSH-10 (fields[0] is "MSH", MSH-1 is the separator itself).
  before_id_ = std::string(1, hl7v2::kMllpStart);
  for (std::size_t i = 0; i < 9; ++i) {
    before_id_ += fields[i] + text[3];
  }
  after_id_.clear();
  for (std::size_t i = 10; i < fields.size(); ++i) {
    after_id_ += text[3] + fields[i];
  }
  after_id_ += text.substr(msh_end);
  after_id_ += hl7v2::kMllpEnd;
  after_id_ += hl7v2::kMllpTrailer;
}

bool MessageSource::claim(std::uint64_t& number) {
  number = next_.fetch_add(1);
  return number < budget_;
}

std::string MessageSource::controlId(std::uint64_t number) const {
  return id_prefix_ + std::to_string(number);
}

std::string MessageSource::frame(const std::string& control_id) const {
  return before_id_ + control_id + after_id_;
}

namespace {

// Serves `connections` from this thread until each is done: one ppoll over
// all of them, and only those with an event (or decrypted bytes waiting)
// are read.
void serve(std::vector<std::unique_ptr<ConnectionLoop>>& loops,
           std::vector<ConnectionResult*>& results) {
  std::vector<std::size_t> active(loops.size());
  for (std::size_t i = 0; i < active.size(); ++i) {
    active[i] = i;
  }
  std::vector<pollfd> fds;
  std::vector<std::size_t> polled;
  auto finish = [&](std::size_t i) { *results[i] = loops[i]->finish(); };
  while (!active.empty()) {
    const auto now = LoadClock::now();
    auto until = now + milliseconds(50);
    bool ready_now = false;
    fds.clear();
    polled.clear();
    for (const std::size_t i : active) {
      if (!loops[i]->prepare(now)) {
        finish(i);
        continue;
      }
      pollfd fd{};
      until = std::min(until, loops[i]->waitFor(now, fd));
      ready_now = ready_now || loops[i]->hasBuffered();
      fds.push_back(fd);
      polled.push_back(i);
    }
    const auto wait = ready_now ? LoadClock::duration::zero()
                                : std::max(LoadClock::duration::zero(), until - now);
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count();
    timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    if (!fds.empty()) {
      ::ppoll(fds.data(), fds.size(), &ts, nullptr);
    }
    active.clear();
    for (std::size_t k = 0; k < polled.size(); ++k) {
      const std::size_t i = polled[k];
      if ((fds[k].revents != 0 || loops[i]->hasBuffered()) && !loops[i]->readAvailable()) {
        finish(i);
        continue;
      }
      active.push_back(i);
    }
  }
}

}  // namespace

std::vector<ConnectionResult> runLoad(const std::vector<ByteStream*>& streams, const LoadPlan& plan,
                                      MessageSource& source, int threads,
                                      LoadClock::time_point start) {
  std::vector<ConnectionResult> results(streams.size());
  if (streams.empty()) {
    return results;
  }
  const std::size_t thread_count =
      std::clamp<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), 1, streams.size());
  std::vector<std::thread> workers;
  for (std::size_t t = 0; t < thread_count; ++t) {
    workers.emplace_back([&, t] {
      // Connection c goes to thread c % thread_count.
      std::vector<std::unique_ptr<ConnectionLoop>> loops;
      std::vector<ConnectionResult*> mine;
      try {
        for (std::size_t c = t; c < streams.size(); c += thread_count) {
          loops.push_back(std::make_unique<ConnectionLoop>(*streams[c], plan, source,
                                                           static_cast<int>(c), start));
          mine.push_back(&results[c]);
        }
        std::this_thread::sleep_until(start);
        serve(loops, mine);
      } catch (const std::exception& e) {
        for (ConnectionResult* result : mine) {
          result->failure = e.what();
        }
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  return results;
}

}  // namespace rtw::bench
