#pragma once
// The board simulator's store: every accepted document appended to one file,
// <dir>/documents.log, with an index in memory rebuilt when the store opens.
// A document is acknowledged (2xx) only once the file is synced past its
// record; the syncs of concurrent requests are shared (group commit), so the
// cost of durability is one fdatasync per batch instead of two file syncs
// and two directory syncs per document.
//
// A record is a header line and the body:
//   RTWDOC1 <type> <key> <receipt> <body bytes> <crc32 of body, hex>\n<body>\n
// A torn record at the end (a crash while appending, never acknowledged) is
// cut off when the store opens; the bytes cut go to documents.log.cut-at-N.
// While open, the file runs ahead of its records by up to 4 MiB of zeros
// (syncs of records written there need not write the file's size too); a
// closed log ends with its last record.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace rtw::boardsim {

/// One accepted document as the store keeps it.
struct AcceptedDocument {
  std::string type;
  std::string key;
  std::string receipt;
  std::string body;
};

/// Every complete record of the store in `dir`, in the order accepted. Safe
/// while a simulator appends (a record being written is left out): for
/// tests and tools.
std::vector<AcceptedDocument> readAcceptedDocuments(const std::filesystem::path& dir);

/// The store cannot take documents (write or sync failed, e.g. disk full).
class StoreFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AcceptedDocuments {
 public:
  /// Opens or creates the store and rebuilds the index from its file (and
  /// takes over the file-per-document layout of earlier simulators).
  explicit AcceptedDocuments(std::filesystem::path dir);
  ~AcceptedDocuments();
  AcceptedDocuments(const AcceptedDocuments&) = delete;
  AcceptedDocuments& operator=(const AcceptedDocuments&) = delete;

  enum class Outcome {
    kCreated,    // stored now, under a new receipt
    kSameAgain,  // the key already holds this body: its first receipt
    kConflict,   // the key already holds another body
  };
  struct Result {
    Outcome outcome = Outcome::kCreated;
    std::string receipt;
  };

  /// What the store says about a key it already holds (after that document
  /// is on disk); nullopt for a new key.
  std::optional<Result> existing(const std::string& type, const std::string& key,
                                 const std::string& body);
  /// Stores the document and returns once it is on disk; a key already held
  /// answers as existing() does. Throws StoreFailure when it cannot write.
  Result store(const std::string& type, const std::string& key, const std::string& body);

  struct Stored {
    std::string receipt;
    std::string body;
  };
  std::optional<Stored> find(const std::string& type, const std::string& key) const;
  /// Keys held for a type, sorted.
  std::vector<std::string> keys(const std::string& type) const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  struct Entry {
    std::string receipt;
    std::uint64_t body_offset = 0;
    std::uint32_t body_size = 0;
    std::uint32_t crc = 0;
    std::uint64_t end = 0;  // where the record ends in the file
  };

  void importFileStore();
  std::optional<Result> answerKnown(std::unique_lock<std::mutex>& lock, const std::string& id,
                                    const std::string& body);
  std::string readBody(const Entry& entry) const;
  void append(const std::string& record);
  void grow(std::uint64_t end);
  /// Returns once the file is synced past `end`, with `lock` released.
  void waitDurable(std::unique_lock<std::mutex>& lock, std::uint64_t end);

  std::filesystem::path dir_;
  int fd_ = -1;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> index_;  // "<type>/<key>"
  std::uint64_t written_end_ = 0;
  std::uint64_t allocated_end_ = 0;            // the file's size: zeros after written_end_
  std::atomic<std::uint64_t> synced_end_{0};   // written under mutex_, read without
  std::atomic<std::uint32_t> sync_rounds_{0};  // one more after every sync: waiters sleep on it
  bool syncing_ = false;
  bool broken_ = false;
  std::mt19937_64 random_{std::random_device{}()};  // receipts, under mutex_
};

}  // namespace rtw::boardsim
