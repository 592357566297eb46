// Reading TZif files (RFC 8536). Every count is checked against the bytes
// that are left before anything is read or allocated, so a short or corrupt
// file is a TimeZoneError, never a crash.

#include <fstream>
#include <iterator>

#include "rtw/mapping/time_zone.h"

namespace rtw::mapping {
namespace {

constexpr std::size_t kMaxZoneFileBytes = std::size_t{1} << 20;
constexpr std::int32_t kMaxOffset = 26 * 3600;  // RFC 8536: within -25:59:59 .. +25:59:59

// The six counts of a TZif header (RFC 8536 section 3.1), in file order.
struct Counts {
  std::uint64_t isut = 0;
  std::uint64_t isstd = 0;
  std::uint64_t leap = 0;
  std::uint64_t time = 0;
  std::uint64_t type = 0;
  std::uint64_t chars = 0;

  // The size of the data block that follows, with `time_size`-byte times.
  std::uint64_t blockSize(std::uint64_t time_size) const {
    return time * time_size + time + type * 6 + chars + leap * (time_size + 4) + isstd + isut;
  }
};

class TzifReader {
 public:
  TzifReader(std::string_view bytes, const std::string& origin) : bytes_(bytes), origin_(origin) {}

  [[noreturn]] void fail(const std::string& problem) const {
    throw TimeZoneError("time zone file " + origin_ + " is not a valid TZif file: " + problem);
  }

  void need(std::uint64_t count, const char* what) const {
    if (count > bytes_.size() - pos_) {
      fail(std::string("it ends inside its ") + what);
    }
  }

  std::uint64_t unsignedBigEndian(int size) {
    std::uint64_t value = 0;
    for (int i = 0; i < size; ++i) {
      value = (value << 8) | static_cast<unsigned char>(bytes_[pos_++]);
    }
    return value;
  }

  std::int64_t signedBigEndian(int size) {
    const std::uint64_t value = unsignedBigEndian(size);
    if (size == 4) {
      return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
    }
    return static_cast<std::int64_t>(value);
  }

  // The 44-byte header: magic, version, 15 unused bytes, six counts.
  Counts header(char& version) {
    need(44, "header");
    if (bytes_.substr(pos_, 4) != "TZif") {
      fail("it does not start with \"TZif\"");
    }
    version = bytes_[pos_ + 4];
    if (version != '\0' && (version < '2' || version > '9')) {
      fail("unknown version byte");
    }
    pos_ += 20;
    Counts counts;
    for (std::uint64_t* count :
         {&counts.isut, &counts.isstd, &counts.leap, &counts.time, &counts.type, &counts.chars}) {
      *count = unsignedBigEndian(4);
    }
    if (counts.type == 0 || counts.chars == 0) {
      fail("it has no local time types");
    }
    if ((counts.isut != 0 && counts.isut != counts.type) ||
        (counts.isstd != 0 && counts.isstd != counts.type)) {
      fail("its indicator counts do not match its type count");
    }
    need(counts.blockSize(4), "data");  // the 32-bit block: a lower bound in any case
    return counts;
  }

  void skip(std::uint64_t count) { pos_ += count; }
  std::string_view rest() const { return bytes_.substr(pos_); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
  const std::string& origin_;
};

}  // namespace

TimeZone TimeZone::parse(std::string_view bytes, std::string name, const std::string& origin) {
  TzifReader in(bytes, origin);
  char version = '\0';
  Counts counts = in.header(version);
  int time_size = 4;
  if (version != '\0') {  // skip the 32-bit data: v2+ repeats it with 64-bit times
    in.skip(counts.blockSize(4));
    counts = in.header(version);
    time_size = 8;
  }
  in.need(counts.blockSize(time_size), "data");
  if (counts.leap != 0) {
    in.fail("it has leap-second records (a \"right/\" zone); use the zone without them");
  }
  TimeZone zone;
  zone.name_ = std::move(name);
  for (std::uint64_t i = 0; i < counts.time; ++i) {
    zone.transitions_.push_back(in.signedBigEndian(time_size));
    if (i > 0 && zone.transitions_[i] <= zone.transitions_[i - 1]) {
      in.fail("its transition times are not in ascending order");
    }
  }
  std::vector<std::uint64_t> type_of;
  for (std::uint64_t i = 0; i < counts.time; ++i) {
    type_of.push_back(in.unsignedBigEndian(1));
    if (type_of.back() >= counts.type) {
      in.fail("a transition names a local time type it does not have");
    }
  }
  std::vector<std::int32_t> type_offsets;
  for (std::uint64_t i = 0; i < counts.type; ++i) {
    const std::int64_t offset = in.signedBigEndian(4);
    in.skip(2);  // isdst, designation index: the offset is all a timestamp needs
    if (offset <= -kMaxOffset || offset >= kMaxOffset) {
      in.fail("a local time type has an offset beyond 26 hours");
    }
    type_offsets.push_back(static_cast<std::int32_t>(offset));
  }
  for (const std::uint64_t type : type_of) {
    zone.offsets_.push_back(type_offsets[type]);
  }
  zone.initial_offset_ = type_offsets[0];
  in.skip(counts.chars + counts.isstd + counts.isut);
  if (version != '\0') {
    const std::string_view footer = in.rest();
    const std::size_t end = footer.size() < 2 ? std::string_view::npos : footer.find('\n', 1);
    if (footer.empty() || footer[0] != '\n' || end == std::string_view::npos) {
      in.fail("its footer (a TZ string between newlines) is missing");
    }
    const std::string_view tz = footer.substr(1, end - 1);
    if (!tz.empty()) {
      zone.footer_ = DaylightRule::parse(tz);
      if (!zone.footer_) {
        in.fail("its footer '" + std::string(tz) + "' is not a TZ string of the Mm.w.d form");
      }
    }
  }
  return zone;
}

TimeZone TimeZone::readFile(const std::filesystem::path& file, std::string name) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw TimeZoneError("time zone file " + file.string() + " cannot be read");
  }
  std::string bytes;
  bytes.resize(kMaxZoneFileBytes + 1);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (bytes.size() > kMaxZoneFileBytes) {
    throw TimeZoneError("time zone file " + file.string() + " is larger than 1 MiB");
  }
  return parse(bytes, std::move(name), file.string());
}

}  // namespace rtw::mapping
