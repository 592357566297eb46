#pragma once
// Tasks handed to an event loop's thread by other threads, with an eventfd
// the loop's epoll watches.

#include <functional>
#include <mutex>
#include <vector>

namespace rtw::transport::detail {

/// Tasks for the loop thread from other threads (the committer's answers,
/// the translate workers' application ACKs). Shared with those callbacks,
/// which may outlive the loop: once it closed, tasks are dropped.
class Mailbox {
 public:
  Mailbox();
  ~Mailbox();
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  /// Queues a task and wakes the loop (one eventfd write per batch).
  void post(std::function<void()> task);
  /// The tasks queued so far; empties the queue and re-arms the wake-up.
  std::vector<std::function<void()>> take();
  void close();
  int fd() const { return event_fd_; }

 private:
  std::mutex mutex_;
  std::vector<std::function<void()>> tasks_;
  bool closed_ = false;
  bool signalled_ = false;
  int event_fd_;
};

}  // namespace rtw::transport::detail
