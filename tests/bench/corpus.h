#pragma once
// The benchmark corpus: real HL7 v2 files, normalised once before any timing
// so that every parser (ours and the peers) sees exactly the same bytes.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace rtw::bench {

struct CorpusMessage {
  std::string name;   // file name, for error messages
  std::string bytes;  // normalised ER7
};

struct Corpus {
  std::vector<CorpusMessage> messages;

  std::size_t totalBytes() const;
};

/// Strips a leading UTF-8 BOM, turns CRLF and lone LF into CR and makes the
/// text end with one CR (the segment terminator). Blank segments are kept:
/// they are part of what partners send.
std::string normaliseMessage(std::string_view raw);

/// Every regular file of `dir`, sorted by name, normalised. Throws
/// std::runtime_error when the folder is missing, empty or unreadable.
Corpus loadCorpus(const std::filesystem::path& dir);

/// Writes what the peer runners read: `dir`/corpus.er7 (the normalised
/// messages in corpus order, separated by LF, which a normalised message
/// never holds) and `dir`/paths.txt (one path per line). Throws
/// std::runtime_error on a write error.
void writePeerInput(const Corpus& corpus, const std::vector<std::string_view>& paths,
                    const std::filesystem::path& dir);

}  // namespace rtw::bench
