#include "corpus.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace rtw::bench {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file.string());
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeFile(const std::filesystem::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out.flush()) {
    throw std::runtime_error("cannot write " + file.string());
  }
}

}  // namespace

std::size_t Corpus::totalBytes() const {
  std::size_t total = 0;
  for (const CorpusMessage& message : messages) {
    total += message.bytes.size();
  }
  return total;
}

std::string normaliseMessage(std::string_view raw) {
  if (raw.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    raw.remove_prefix(kUtf8Bom.size());
  }
  std::string out;
  out.reserve(raw.size() + 1);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') {
      continue;  // the LF that follows becomes the CR
    }
    out.push_back(c == '\n' ? '\r' : c);
  }
  if (out.empty() || out.back() != '\r') {
    out.push_back('\r');
  }
  return out;
}

Corpus loadCorpus(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) {
    throw std::runtime_error("corpus folder not found: " + dir.string());
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files.push_back(entry.path());
    }
  }
  if (files.empty()) {
    throw std::runtime_error("corpus folder is empty: " + dir.string());
  }
  std::sort(files.begin(), files.end());
  Corpus corpus;
  for (const auto& file : files) {
    corpus.messages.push_back({file.filename().string(), normaliseMessage(readFile(file))});
  }
  return corpus;
}

void writePeerInput(const Corpus& corpus, const std::vector<std::string_view>& paths,
                    const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::string joined;
  for (const CorpusMessage& message : corpus.messages) {
    if (!joined.empty()) {
      joined.push_back('\n');
    }
    joined += message.bytes;
  }
  writeFile(dir / "corpus.er7", joined);
  std::string lines;
  for (std::string_view path : paths) {
    lines.append(path);
    lines.push_back('\n');
  }
  writeFile(dir / "paths.txt", lines);
}

}  // namespace rtw::bench
