#pragma once
// The record format of documents.log (see accepted_documents.h), shared by
// the store and the reader the tests use.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>

#include "rtw/boardsim/accepted_documents.h"

namespace rtw::boardsim::detail {

inline constexpr const char* kLogFile = "documents.log";

std::uint32_t crc32Of(const std::string& bytes);

/// The bytes of one record.
std::string encodeRecord(const std::string& type, const std::string& key,
                         const std::string& receipt, const std::string& body);

/// Where a record lies in the file.
struct RecordPlace {
  std::uint64_t body_offset = 0;
  std::uint32_t crc = 0;
  std::uint64_t end = 0;
};

/// Reads the records of `in` from its start, calling `on_record` for each
/// complete and intact one; stops at the first that is not (a torn tail).
/// Returns where the last good record ends.
std::uint64_t scanRecords(
    std::istream& in, const std::function<void(AcceptedDocument&&, const RecordPlace&)>& on_record);

}  // namespace rtw::boardsim::detail
