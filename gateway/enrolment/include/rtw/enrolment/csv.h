#pragma once
// CSV files from college systems: RFC 4180 with a header row (quoted fields
// with commas, "" and line breaks, CRLF or LF, an optional UTF-8 BOM, blank
// lines skipped). Columns are found by header name, never by position.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtw::enrolment {

inline constexpr std::size_t kMaxCsvBytes = std::size_t{32} * 1024 * 1024;

/// A parsed CSV file: the header's column names and the records below it.
struct CsvTable {
  struct Record {
    int line = 0;  // the line the record starts on (the header is line 1)
    std::vector<std::string> fields;
  };
  std::vector<std::string> header;
  std::vector<Record> records;

  /// Why `record` cannot be read by column ("has 3 fields, the header has 5"), or "".
  std::string problem(const Record& record) const;
  /// The position of the column named `name` in the header, or nothing.
  std::optional<std::size_t> column(std::string_view name) const;
  /// The record's value in the column named `name`; "" when the header has none.
  std::string value(const Record& record, std::string_view name) const;
};

/// Parses RFC 4180 text of at most kMaxCsvBytes. Nothing, with `error`
/// naming the line, when the file itself is broken (no header, an unclosed
/// quote, a duplicate or empty column name).
std::optional<CsvTable> parseCsv(std::string_view text, std::string& error);

/// One row written as RFC 4180 says, ending in CRLF: a field with a comma,
/// a quote or a line break is quoted, its quotes doubled. parseCsv reads it
/// back field for field.
std::string formatCsvRow(const std::vector<std::string>& fields);

}  // namespace rtw::enrolment
