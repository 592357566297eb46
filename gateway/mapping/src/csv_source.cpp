#include "rtw/mapping/csv_source.h"

#include <algorithm>

namespace rtw::mapping {
namespace {

constexpr std::size_t kMaxCsvBytes = std::size_t{32} * 1024 * 1024;

// Reads records one at a time, counting lines (inside quotes too).
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") {
      text_.remove_prefix(3);
    }
  }

  // False at the end of the text; `error` set when a quote is not closed.
  bool next(CsvTable::Record& record, std::string& error) {
    skipBlankLines();
    if (pos_ >= text_.size()) {
      return false;
    }
    record = {line_, {}};
    std::string field;
    while (true) {
      if (pos_ < text_.size() && text_[pos_] == '"') {
        if (!quoted(field, error)) {
          return false;
        }
      }
      while (pos_ < text_.size() && text_[pos_] != ',' && !atLineEnd()) {
        field += text_[pos_++];  // after a closing quote too: lenient, as spreadsheets write
      }
      record.fields.push_back(std::move(field));
      field.clear();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      skipLineEnd();
      return true;
    }
  }

 private:
  bool atLineEnd() const {
    return text_[pos_] == '\n' ||
           (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
  }

  void skipLineEnd() {
    if (pos_ < text_.size() && text_[pos_] == '\r') {
      ++pos_;
    }
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
  }

  void skipBlankLines() {
    while (pos_ < text_.size() && atLineEnd()) {
      skipLineEnd();
    }
  }

  bool quoted(std::string& field, std::string& error) {
    const int start = line_;
    for (++pos_; pos_ < text_.size(); ++pos_) {
      const char c = text_[pos_];
      if (c == '"' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
        field += '"';
        ++pos_;
      } else if (c == '"') {
        ++pos_;
        return true;
      } else {
        line_ += c == '\n' ? 1 : 0;
        field += c;
      }
    }
    error = "line " + std::to_string(start) + ": a quoted field is not closed";
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

std::string CsvTable::problem(const Record& record) const {
  if (record.fields.size() == header.size()) {
    return {};
  }
  return "line " + std::to_string(record.line) + ": the record has " +
         std::to_string(record.fields.size()) + " fields, the header has " +
         std::to_string(header.size());
}

std::optional<CsvTable> parseCsv(std::string_view text, std::string& error) {
  if (text.size() > kMaxCsvBytes) {
    error = "the CSV file is larger than 32 MiB";
    return std::nullopt;
  }
  CsvReader reader(text);
  CsvTable table;
  CsvTable::Record header;
  if (!reader.next(header, error)) {
    if (error.empty()) {
      error = "the CSV file has no header row";
    }
    return std::nullopt;
  }
  for (const auto& name : header.fields) {
    if (name.empty()) {
      error = "line " + std::to_string(header.line) + ": the header has an empty column name";
      return std::nullopt;
    }
    if (std::count(header.fields.begin(), header.fields.end(), name) > 1) {
      error =
          "line " + std::to_string(header.line) + ": the header names column '" + name + "' twice";
      return std::nullopt;
    }
  }
  table.header = std::move(header.fields);
  CsvTable::Record record;
  while (reader.next(record, error)) {
    table.records.push_back(std::move(record));
  }
  if (!error.empty()) {
    return std::nullopt;
  }
  return table;
}

std::string CsvRecordSource::get(std::string_view column) const {
  const auto found = std::find(table_.header.begin(), table_.header.end(), column);
  const auto index = static_cast<std::size_t>(found - table_.header.begin());
  return found == table_.header.end() || index >= record_.fields.size() ? ""
                                                                        : record_.fields[index];
}

bool CsvRecordSource::has(std::string_view column) const {
  return std::find(table_.header.begin(), table_.header.end(), column) != table_.header.end();
}

std::string checkCsvColumn(std::string_view column) {
  if (column.empty()) {
    return "a CSV column name cannot be empty";
  }
  if (column.front() == ' ' || column.back() == ' ') {
    return "'" + std::string(column) + "' has spaces around it; columns are matched exactly";
  }
  if (column.find_first_of("\r\n\"") != std::string_view::npos) {
    return "a CSV column name in a rule has no quote or line break";
  }
  return {};
}

}  // namespace rtw::mapping
