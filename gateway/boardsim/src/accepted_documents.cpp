#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <Poco/UUIDGenerator.h>

#include "rtw/boardsim/board_simulator.h"

namespace rtw::boardsim {
namespace {

std::string readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Writes a file so that after this returns it survives a power cut:
/// temp file, fsync, rename, fsync of the directory.
void writeDurably(const std::filesystem::path& file, const std::string& content) {
  const std::filesystem::path temp = file.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw std::runtime_error("cannot create " + temp.string());
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("cannot write " + temp.string());
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    throw std::runtime_error("cannot sync " + temp.string());
  }
  std::filesystem::rename(temp, file);
  const int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace

bool isValidKey(const std::string& key) {
  return !key.empty() && key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

AcceptedDocuments::AcceptedDocuments(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
}

std::optional<AcceptedDocuments::Stored> AcceptedDocuments::find(const std::string& type,
                                                                 const std::string& key) const {
  const std::filesystem::path receipt = dir_ / type / (key + ".receipt");
  if (!std::filesystem::exists(receipt)) {
    return std::nullopt;
  }
  return Stored{readFile(receipt), readFile(dir_ / type / (key + ".xml"))};
}

std::string AcceptedDocuments::store(const std::string& type, const std::string& key,
                                     const std::string& body) {
  std::filesystem::create_directories(dir_ / type);
  const std::string receipt =
      "RCPT-" + Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  // The document first, then the receipt that marks it accepted.
  writeDurably(dir_ / type / (key + ".xml"), body);
  writeDurably(dir_ / type / (key + ".receipt"), receipt);
  return receipt;
}

std::vector<std::string> AcceptedDocuments::keys(const std::string& type) const {
  std::vector<std::string> keys;
  const std::filesystem::path folder = dir_ / type;
  if (!std::filesystem::is_directory(folder)) {
    return keys;
  }
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() == ".receipt") {
      keys.push_back(entry.path().stem().string());
    }
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace rtw::boardsim
