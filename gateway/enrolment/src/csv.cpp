#include "rtw/enrolment/csv.h"

#include <algorithm>

namespace rtw::enrolment {
namespace {

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

std::optional<std::size_t> CsvTable::column(std::string_view name) const {
  const auto found = std::find(header.begin(), header.end(), name);
  return found == header.end() ? std::nullopt : std::optional<std::size_t>(found - header.begin());
}

std::string CsvTable::value(const Record& record, std::string_view name) const {
  const std::optional<std::size_t> index = column(name);
  return index && *index < record.fields.size() ? record.fields[*index] : std::string();
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

std::string formatCsvRow(const std::vector<std::string>& fields) {
  std::string row;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string& field = fields[i];
    row += i == 0 ? "" : ",";
    // A lone empty field is quoted: an empty line is read as no record.
    const bool lone_empty = fields.size() == 1 && field.empty();
    if (!lone_empty && field.find_first_of(",\"\r\n") == std::string::npos) {
      row += field;
      continue;
    }
    row += '"';
    for (const char c : field) {
      row += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    row += '"';
  }
  return row + "\r\n";
}

}  // namespace rtw::enrolment
