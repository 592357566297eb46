#include "document_log.h"

#include <fstream>
#include <sstream>

#include <Poco/Checksum.h>
#include <Poco/NumberFormatter.h>
#include <Poco/NumberParser.h>

namespace rtw::boardsim {
namespace detail {
namespace {

constexpr const char* kMagic = "RTWDOC1";
constexpr std::size_t kMaxHeaderBytes = 512;

struct Header {
  AcceptedDocument document;
  std::uint32_t size = 0;
  std::uint32_t crc = 0;
};

bool parseHeader(const std::string& line, Header& header) {
  std::istringstream words(line);
  std::string magic, size, crc;
  if (!(words >> magic >> header.document.type >> header.document.key >> header.document.receipt >>
        size >> crc) ||
      magic != kMagic) {
    return false;
  }
  unsigned value = 0;
  unsigned checksum = 0;
  if (!Poco::NumberParser::tryParseUnsigned(size, value) ||
      !Poco::NumberParser::tryParseHex(crc, checksum)) {
    return false;
  }
  header.size = value;
  header.crc = checksum;
  return true;
}

}  // namespace

std::uint32_t crc32Of(const std::string& bytes) {
  Poco::Checksum checksum(Poco::Checksum::TYPE_CRC32);
  checksum.update(bytes.data(), static_cast<unsigned>(bytes.size()));
  return checksum.checksum();
}

std::string encodeRecord(const std::string& type, const std::string& key,
                         const std::string& receipt, const std::string& body) {
  std::string record = std::string(kMagic) + " " + type + " " + key + " " + receipt + " " +
                       std::to_string(body.size()) + " " +
                       Poco::NumberFormatter::formatHex(crc32Of(body)) + "\n";
  record.reserve(record.size() + body.size() + 1);
  record += body;
  record += '\n';
  return record;
}

std::uint64_t scanRecords(
    std::istream& in,
    const std::function<void(AcceptedDocument&&, const RecordPlace&)>& on_record) {
  std::uint64_t good_end = 0;
  std::string line;
  while (true) {
    line.clear();
    char ch = 0;
    while (line.size() < kMaxHeaderBytes && in.get(ch) && ch != '\n') {
      line += ch;
    }
    Header header;
    if (ch != '\n' || !parseHeader(line, header)) {
      return good_end;
    }
    RecordPlace place;
    place.body_offset = good_end + line.size() + 1;
    std::string body(header.size, '\0');
    if (!in.read(body.data(), static_cast<std::streamsize>(body.size())) || !in.get(ch) ||
        ch != '\n' || crc32Of(body) != header.crc) {
      return good_end;
    }
    place.crc = header.crc;
    place.end = place.body_offset + header.size + 1;
    header.document.body = std::move(body);
    on_record(std::move(header.document), place);
    good_end = place.end;
  }
}

}  // namespace detail

std::vector<AcceptedDocument> readAcceptedDocuments(const std::filesystem::path& dir) {
  std::vector<AcceptedDocument> documents;
  std::ifstream in(dir / detail::kLogFile, std::ios::binary);
  if (in) {
    detail::scanRecords(in, [&](AcceptedDocument&& document, const detail::RecordPlace&) {
      documents.push_back(std::move(document));
    });
  }
  return documents;
}

}  // namespace rtw::boardsim
