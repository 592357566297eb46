#include "rtw/pipeline/document_id.h"

#include <array>
#include <cstdint>

#include <Poco/SHA1Engine.h>

namespace rtw::pipeline {

std::string stableDocumentId(const std::string& journal_instance, const store::JournalEntry& entry,
                             std::size_t index) {
  Poco::SHA1Engine sha1;
  sha1.update(journal_instance + "/" + entry.partner + "/" + entry.channel + "/" +
              std::to_string(entry.id) + "/" + entry.control_id + "/" + std::to_string(index));
  const Poco::DigestEngine::Digest& digest = sha1.digest();
  std::array<std::uint8_t, 16> bytes{};
  const auto id = static_cast<std::uint64_t>(entry.id);
  for (int i = 0; i < 6; ++i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(id >> (8 * (5 - i)));
  }
  for (std::size_t i = 6; i < bytes.size(); ++i) {
    bytes[i] = digest[i - 6];
  }
  bytes[6] = static_cast<std::uint8_t>(0x80 | (bytes[6] & 0x0F));  // version 8
  bytes[8] = static_cast<std::uint8_t>(0x80 | (bytes[8] & 0x3F));  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      text += '-';
    }
    text += kHex[bytes[i] >> 4];
    text += kHex[bytes[i] & 0x0F];
  }
  return text;
}

}  // namespace rtw::pipeline
