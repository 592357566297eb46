#include "rtw/boardsim/accepted_documents.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>

#include "document_log.h"

namespace rtw::boardsim {
namespace {

std::string indexKey(const std::string& type, const std::string& key) { return type + "/" + key; }

std::string systemError(const std::string& what) { return what + ": " + std::strerror(errno); }

// "RCPT-" and a random (version 4) UUID. From the store's own generator:
// POCO's createRandom() opened /dev/urandom for every receipt.
std::string newReceipt(std::mt19937_64& random) {
  std::uint64_t high = random();
  std::uint64_t low = random();
  high = (high & ~0xF000ULL) | 0x4000ULL;            // version 4
  low = (low & ~(0xC0ULL << 56)) | (0x80ULL << 56);  // RFC 4122 variant
  char text[64];
  std::snprintf(text, sizeof text, "RCPT-%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xFFFF),
                static_cast<unsigned>(high & 0xFFFF), static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return text;
}

// The log grows ahead of its records by this much, written as zeros: a sync
// of a record inside that space writes the record alone, where a sync that
// also grows the file writes its inode as well (≈ 1.5× the syncs/s here).
constexpr std::uint64_t kGrowBytes = 4 << 20;

// Where the bytes after `from` stop being zeros (`from` when they all are).
std::uint64_t endOfNonZero(int fd, std::uint64_t from, std::uint64_t size) {
  std::vector<char> chunk(64 * 1024);
  std::uint64_t end = size;
  while (end > from) {
    const std::uint64_t start = end - std::min<std::uint64_t>(chunk.size(), end - from);
    const ssize_t n = ::pread(fd, chunk.data(), end - start, static_cast<off_t>(start));
    if (n != static_cast<ssize_t>(end - start)) {
      return size;  // unreadable: keep all of it aside
    }
    for (std::uint64_t i = end - start; i > 0; --i) {
      if (chunk[i - 1] != 0) {
        return start + i;
      }
    }
    end = start;
  }
  return from;
}

// The log holds whole documents (patient data): the simulator's user alone
// reads it, as the gateway's journal. A log left readable by others (an
// older simulator made it 0644) is tightened.
void makePrivate(int fd) {
  struct stat status {};
  if (::fstat(fd, &status) == 0 && (status.st_mode & 077) != 0) {
    ::fchmod(fd, status.st_mode & 0700);
  }
}

// The torn bytes cut off the log, kept beside it as privately as the log.
void writePrivately(const std::string& file, const std::vector<char>& bytes) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw StoreFailure(systemError("cannot write " + file));
  }
  makePrivate(fd);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno != EINTR) {
      ::close(fd);
      throw StoreFailure(systemError("cannot write " + file));
    }
    done += n > 0 ? static_cast<std::size_t>(n) : 0;
  }
  ::close(fd);
}

void syncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

AcceptedDocuments::AcceptedDocuments(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
  const std::filesystem::path file = dir_ / detail::kLogFile;
  const bool created = !std::filesystem::exists(file);
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    throw StoreFailure(systemError("cannot open " + file.string()));
  }
  makePrivate(fd_);
  if (created) {
    syncDirectory(dir_);  // the file's name survives a crash too
  }
  std::ifstream in(file, std::ios::binary);
  written_end_ =
      detail::scanRecords(in, [&](AcceptedDocument&& doc, const detail::RecordPlace& place) {
        index_[indexKey(doc.type, doc.key)] =
            Entry{doc.receipt, place.body_offset, static_cast<std::uint32_t>(doc.body.size()),
                  place.crc, place.end};
      });
  // After the last good record: zeros written ahead (see kGrowBytes), or a
  // torn record that was never acknowledged. The torn bytes are kept beside
  // the log (a damaged disk could also end the readable part early) and the
  // file is cut after the last good record, so the next follows it.
  const std::uint64_t size = std::filesystem::file_size(file);
  const std::uint64_t torn_end = endOfNonZero(fd_, written_end_, size);
  if (torn_end > written_end_) {
    in.clear();
    in.seekg(static_cast<std::streamoff>(written_end_));
    std::vector<char> torn(torn_end - written_end_);
    in.read(torn.data(), static_cast<std::streamsize>(torn.size()));
    writePrivately(file.string() + ".cut-at-" + std::to_string(written_end_), torn);
  }
  if (size > written_end_) {
    if (::ftruncate(fd_, static_cast<off_t>(written_end_)) != 0 || ::fdatasync(fd_) != 0) {
      throw StoreFailure(systemError("cannot repair " + file.string()));
    }
  }
  allocated_end_ = written_end_;
  synced_end_ = written_end_;
  importFileStore();
}

void AcceptedDocuments::importFileStore() {
  // Earlier simulators kept <dir>/<type>/<key>.xml beside <key>.receipt: take
  // those documents over once, with their receipts, so that their keys keep
  // answering 200/409 after an upgrade. The old files stay as they were.
  std::unique_lock lock(mutex_);
  std::uint64_t end = written_end_;
  for (const auto& folder : std::filesystem::directory_iterator(dir_)) {
    if (!folder.is_directory()) {
      continue;
    }
    const std::string type = folder.path().filename().string();
    for (const auto& file : std::filesystem::directory_iterator(folder.path())) {
      const std::string key = file.path().stem().string();
      if (file.path().extension() != ".receipt" || index_.count(indexKey(type, key)) != 0) {
        continue;
      }
      std::ifstream receipt_in(file.path(), std::ios::binary);
      std::ifstream body_in(std::filesystem::path(file.path()).replace_extension(".xml"),
                            std::ios::binary);
      std::string receipt;
      std::getline(receipt_in, receipt);
      const std::string body{std::istreambuf_iterator<char>(body_in), {}};
      const std::string record = detail::encodeRecord(type, key, receipt, body);
      const std::uint64_t start = written_end_;
      append(record);
      index_[indexKey(type, key)] =
          Entry{receipt, start + record.size() - body.size() - 1,
                static_cast<std::uint32_t>(body.size()), detail::crc32Of(body), written_end_};
      end = written_end_;
    }
  }
  waitDurable(lock, end);
}

AcceptedDocuments::~AcceptedDocuments() {
  if (fd_ >= 0) {
    // The zeros ahead go: a closed log ends with its last record.
    if (allocated_end_ > written_end_ && !broken_ &&
        ::ftruncate(fd_, static_cast<off_t>(written_end_)) == 0) {
      ::fdatasync(fd_);
    }
    ::close(fd_);
  }
}

std::optional<AcceptedDocuments::Result> AcceptedDocuments::existing(const std::string& type,
                                                                     const std::string& key,
                                                                     const std::string& body) {
  std::unique_lock lock(mutex_);
  return answerKnown(lock, indexKey(type, key), body);
}

AcceptedDocuments::Result AcceptedDocuments::store(const std::string& type, const std::string& key,
                                                   const std::string& body) {
  const std::string id = indexKey(type, key);
  std::unique_lock lock(mutex_);
  if (auto known = answerKnown(lock, id, body)) {
    return *known;  // stored by a concurrent request for the same key
  }
  if (broken_) {
    throw StoreFailure("the document store failed earlier; restart the simulator");
  }
  Result result{Outcome::kCreated, newReceipt(random_)};
  const std::string record = detail::encodeRecord(type, key, result.receipt, body);
  const std::uint64_t start = written_end_;
  append(record);
  Entry entry;
  entry.receipt = result.receipt;
  entry.body_size = static_cast<std::uint32_t>(body.size());
  entry.body_offset = start + record.size() - body.size() - 1;
  entry.crc = detail::crc32Of(body);
  entry.end = written_end_;
  index_[id] = entry;
  waitDurable(lock, entry.end);
  return result;
}

std::optional<AcceptedDocuments::Result> AcceptedDocuments::answerKnown(
    std::unique_lock<std::mutex>& lock, const std::string& id, const std::string& body) {
  const auto found = index_.find(id);
  if (found == index_.end()) {
    return std::nullopt;
  }
  const Entry entry = found->second;
  // Another request may have appended it and still be waiting for the sync:
  // no answer about it before it is on disk.
  waitDurable(lock, entry.end);
  const bool same = entry.body_size == body.size() && entry.crc == detail::crc32Of(body) &&
                    readBody(entry) == body;
  return Result{same ? Outcome::kSameAgain : Outcome::kConflict, entry.receipt};
}

std::string AcceptedDocuments::readBody(const Entry& entry) const {
  std::string body(entry.body_size, '\0');
  std::size_t done = 0;
  while (done < body.size()) {
    const ssize_t n = ::pread(fd_, body.data() + done, body.size() - done,
                              static_cast<off_t>(entry.body_offset + done));
    if (n <= 0) {
      throw StoreFailure(systemError("cannot read the document store"));
    }
    done += static_cast<std::size_t>(n);
  }
  return body;
}

void AcceptedDocuments::append(const std::string& record) {
  if (written_end_ + record.size() > allocated_end_) {
    grow(written_end_ + record.size() + kGrowBytes);
  }
  std::size_t done = 0;
  while (done < record.size()) {
    const ssize_t n = ::pwrite(fd_, record.data() + done, record.size() - done,
                               static_cast<off_t>(written_end_ + done));
    if (n <= 0) {
      const std::string error = systemError("cannot append to the document store");
      // Zero what was written of it: the next record starts where this one did.
      const std::string zeros(done, '\0');
      if (::pwrite(fd_, zeros.data(), zeros.size(), static_cast<off_t>(written_end_)) !=
          static_cast<ssize_t>(zeros.size())) {
        broken_ = true;
      }
      throw StoreFailure(error);
    }
    done += static_cast<std::size_t>(n);
  }
  written_end_ += record.size();
}

void AcceptedDocuments::grow(std::uint64_t end) {
  const std::vector<char> zeros(64 * 1024, 0);
  std::uint64_t at = allocated_end_;
  while (at < end) {
    const std::size_t size =
        static_cast<std::size_t>(std::min<std::uint64_t>(zeros.size(), end - at));
    const ssize_t n = ::pwrite(fd_, zeros.data(), size, static_cast<off_t>(at));
    if (n <= 0) {
      const std::string error = systemError("cannot append to the document store");
      // Give the space back: the file ends where it did (disk full, say).
      if (::ftruncate(fd_, static_cast<off_t>(allocated_end_)) != 0) {
        broken_ = true;
      }
      throw StoreFailure(error);
    }
    at += static_cast<std::uint64_t>(n);
  }
  allocated_end_ = end;
}

void AcceptedDocuments::waitDurable(std::unique_lock<std::mutex>& lock, std::uint64_t end) {
  // Group commit: whoever finds its record not yet synced and no sync under
  // way leads the next one, syncing everything written so far. The others
  // sleep on the round counter without the mutex: a finished sync wakes them
  // and those it covered return without queueing for the mutex again (with
  // a condition variable each woke holding it, one after the other).
  while (synced_end_.load(std::memory_order_acquire) < end) {
    if (broken_) {
      throw StoreFailure("the document store could not be synced to disk");
    }
    if (syncing_) {
      const std::uint32_t round = sync_rounds_.load(std::memory_order_acquire);
      lock.unlock();
      sync_rounds_.wait(round, std::memory_order_acquire);
      if (synced_end_.load(std::memory_order_acquire) >= end) {
        return;
      }
      lock.lock();
      continue;
    }
    syncing_ = true;
    const std::uint64_t target = written_end_;
    lock.unlock();
    const int rc = ::fdatasync(fd_);
    lock.lock();
    syncing_ = false;
    if (rc != 0) {
      broken_ = true;  // what the failed sync covered may be lost: take nothing more
    } else if (target > synced_end_.load(std::memory_order_relaxed)) {
      synced_end_.store(target, std::memory_order_release);
    }
    sync_rounds_.fetch_add(1, std::memory_order_release);
    sync_rounds_.notify_all();
  }
  lock.unlock();
}

std::optional<AcceptedDocuments::Stored> AcceptedDocuments::find(const std::string& type,
                                                                 const std::string& key) const {
  std::lock_guard lock(mutex_);
  const auto found = index_.find(indexKey(type, key));
  if (found == index_.end() || found->second.end > synced_end_) {
    return std::nullopt;
  }
  return Stored{found->second.receipt, readBody(found->second)};
}

std::vector<std::string> AcceptedDocuments::keys(const std::string& type) const {
  std::vector<std::string> keys;
  const std::string prefix = type + "/";
  std::lock_guard lock(mutex_);
  for (const auto& [id, entry] : index_) {
    if (id.rfind(prefix, 0) == 0 && entry.end <= synced_end_) {
      keys.push_back(id.substr(prefix.size()));
    }
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace rtw::boardsim
