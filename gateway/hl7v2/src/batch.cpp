// Files and batches: one pass over the lines that cuts the input into
// messages (each a contiguous range, parsed on its own) and reads the
// FHS/BHS/BTS/FTS envelope around them.

#include "rtw/hl7v2/batch.h"

#include <string>
#include <utility>

#include "er7.h"
#include "lines.h"

namespace rtw::hl7v2 {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::size_t kMaxCountDigits = 18;  // fits std::size_t

enum class LineKind { kFileHeader, kBatchHeader, kBatchTrailer, kFileTrailer, kMessage, kOther };

LineKind kindOf(std::string_view line) {
  if (line.size() < 3 || (line.size() > 3 && detail::isAlnum(line[3]))) {
    return LineKind::kOther;
  }
  std::string_view id = line.substr(0, 3);
  if (id == "MSH") {
    return LineKind::kMessage;
  }
  if (id == "FHS") {
    return LineKind::kFileHeader;
  }
  if (id == "BHS") {
    return LineKind::kBatchHeader;
  }
  if (id == "BTS") {
    return LineKind::kBatchTrailer;
  }
  if (id == "FTS") {
    return LineKind::kFileTrailer;
  }
  return LineKind::kOther;
}

std::optional<std::size_t> parseCount(std::string_view text) {
  if (text.empty() || text.size() > kMaxCountDigits ||
      text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  std::size_t value = 0;
  for (char c : text) {
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  return value;
}

}  // namespace

class BatchReader {
 public:
  BatchReader(std::string_view input, const ParseOptions& options)
      : input_(input), options_(options) {}

  BatchFile run() {
    std::string_view text = input_;
    if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
      text.remove_prefix(kUtf8Bom.size());
    }
    detail::LineReader lines(text);
    std::string_view line;
    std::size_t number = 0;
    while (lines.next(line)) {
      ++number;
      if (!detail::isBlankLine(line)) {
        handle(line, number);
        seen_segment_ = true;
      }
    }
    finishEntry(input_.size());
    closeBatch();
    finalChecks();
    return std::move(file_);
  }

 private:
  void handle(std::string_view line, std::size_t number) {
    auto offset = static_cast<std::size_t>(line.data() - input_.data());
    LineKind kind = kindOf(line);
    if (kind != LineKind::kOther || !entry_open_) {
      finishEntry(offset);
      if (file_.trailer.present && !after_trailer_reported_) {
        problem("segments follow the FTS", number, "FTS", 0);
        after_trailer_reported_ = true;
      }
    }
    switch (kind) {
      case LineKind::kFileHeader:
        fileHeader(line, number);
        break;
      case LineKind::kBatchHeader:
        closeBatch();
        batch().header = readHeader(line, number);
        break;
      case LineKind::kBatchTrailer:
        batchTrailer(line, number);
        break;
      case LineKind::kFileTrailer:
        fileTrailer(line, number);
        break;
      case LineKind::kMessage:
      case LineKind::kOther:
        if (!entry_open_) {
          entry_open_ = true;
          entry_begin_ = offset;
          entry_line_ = number;
        }
        break;
    }
  }

  void fileHeader(std::string_view line, std::size_t number) {
    if (seen_segment_ || file_.header.present) {
      problem("FHS must be the first segment of the file", number, "FHS", 0);
    }
    if (!file_.header.present) {
      file_.header = readHeader(line, number);
    }
  }

  void batchTrailer(std::string_view line, std::size_t number) {
    Batch& current = batch();
    if (!current.header.present && current.entries.empty()) {
      problem("BTS closes no batch (no BHS and no message before it)", number, "BTS", 0);
    }
    current.trailer = readTrailer(line, number, "BTS");
    checkCount(current.trailer, current.entries.size(), "BTS", "messages", "the batch");
    batch_open_ = false;
  }

  void fileTrailer(std::string_view line, std::size_t number) {
    closeBatch();
    if (file_.trailer.present) {
      return;  // already reported as following the first FTS
    }
    file_.trailer = readTrailer(line, number, "FTS");
    checkCount(file_.trailer, file_.batches.size(), "FTS", "batches", "the file");
  }

  void finishEntry(std::size_t end) {
    if (!entry_open_) {
      return;
    }
    entry_open_ = false;
    std::string_view bytes = input_.substr(entry_begin_, end - entry_begin_);
    BatchEntry entry;
    entry.line = entry_line_;
    entry.outcome = Message::parse(bytes, options_);
    if (entry.outcome.message) {
      delimiters_ = entry.outcome.message->delimiters();
    } else {
      entry.unparsed = std::string(bytes);
    }
    batch().entries.push_back(std::move(entry));
  }

  // The open batch, opened (without header) when there is none.
  Batch& batch() {
    if (!batch_open_) {
      file_.batches.emplace_back();
      batch_open_ = true;
    }
    return file_.batches.back();
  }

  void closeBatch() {
    if (!batch_open_) {
      return;
    }
    batch_open_ = false;
    const BatchHeader& header = file_.batches.back().header;
    if (header.present) {
      problem("BHS on line " + std::to_string(header.line) + " has no BTS", header.line, "BHS", 0);
    }
  }

  BatchHeader readHeader(std::string_view line, std::size_t number) {
    BatchHeader header;
    header.present = true;
    header.line = number;
    header.text = std::string(line);
    std::string id(line.substr(0, 3));
    if (line.size() <= 3) {
      problem(id + "-1 (field separator) is missing", number, id, 1);
      return header;
    }
    if (auto bad = detail::readDelimiters(line[3], detail::encodingCharacters(line), delimiters_)) {
      std::string text(bad->message);
      text.replace(0, 3, id);  // the check speaks of MSH-1 / MSH-2
      problem(text, number, id, bad->field);
      return header;
    }
    std::string* fields[] = {&header.sending_application,
                             &header.sending_facility,
                             &header.receiving_application,
                             &header.receiving_facility,
                             &header.created,
                             nullptr,
                             &header.name,
                             &header.comment,
                             &header.control_id,
                             &header.reference_control_id};
    int n = 3;
    for (std::string* out : fields) {
      if (out != nullptr) {
        *out = fieldValue(line, n);
      }
      ++n;
    }
    return header;
  }

  BatchTrailer readTrailer(std::string_view line, std::size_t number, const std::string& id) {
    BatchTrailer trailer;
    trailer.present = true;
    trailer.line = number;
    trailer.text = std::string(line);
    trailer.comment = fieldValue(line, 2);
    std::string count = fieldValue(line, 1);
    trailer.count = parseCount(count);
    if (!count.empty() && !trailer.count) {
      problem(id + "-1 is not a count", number, id, 1);
    }
    return trailer;
  }

  void checkCount(const BatchTrailer& trailer, std::size_t actual, const std::string& id,
                  const std::string& what, const std::string& holder) {
    if (trailer.count && *trailer.count != actual) {
      problem(id + "-1 says " + std::to_string(*trailer.count) + " " + what + ", " + holder +
                  " holds " + std::to_string(actual),
              trailer.line, id, 1);
    }
  }

  // Field n decoded with the delimiters in force (the last header or MSH).
  std::string fieldValue(std::string_view line, int n) const {
    std::string_view raw = detail::fieldOf(line, n, delimiters_.field).value_or("");
    if (options_.charset == Charset::kLatin1) {
      return detail::unescapeText(latin1ToUtf8(raw), delimiters_, true);
    }
    return detail::unescapeText(raw, delimiters_, false);
  }

  void finalChecks() {
    if (file_.header.present && !file_.trailer.present) {
      problem("FHS on line " + std::to_string(file_.header.line) + " has no FTS", file_.header.line,
              "FHS", 0);
    }
    if (file_.trailer.present && !file_.header.present) {
      problem("FTS without FHS", file_.trailer.line, "FTS", 0);
    }
    if (file_.entryCount() == 0) {
      problem("no MSH segment: the input holds no HL7 message", 0, "", 0);
    }
  }

  void problem(std::string text, std::size_t line, std::string segment, int field) {
    file_.problems.push_back({std::move(text), line, std::move(segment), field});
  }

  std::string_view input_;
  const ParseOptions& options_;
  BatchFile file_;
  Delimiters delimiters_;
  bool batch_open_ = false;
  bool seen_segment_ = false;
  bool after_trailer_reported_ = false;
  bool entry_open_ = false;
  std::size_t entry_begin_ = 0;
  std::size_t entry_line_ = 0;
};

std::size_t BatchFile::entryCount() const {
  std::size_t count = 0;
  for (const Batch& batch : batches) {
    count += batch.entries.size();
  }
  return count;
}

std::vector<const Message*> BatchFile::messages() const {
  std::vector<const Message*> out;
  for (const Batch& batch : batches) {
    for (const BatchEntry& entry : batch.entries) {
      if (entry.outcome.message) {
        out.push_back(&*entry.outcome.message);
      }
    }
  }
  return out;
}

BatchFile parseBatch(std::string_view bytes, const ParseOptions& options) {
  return BatchReader(bytes, options).run();
}

}  // namespace rtw::hl7v2
