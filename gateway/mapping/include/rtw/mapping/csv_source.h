#pragma once
// CSV files (RFC 4180 with a header row) and one record of them as a
// mapping Source for "csv" rules: a rule names a column of the header.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtw/mapping/evaluate.h"

namespace rtw::mapping {

/// A parsed CSV file: the header's column names and the records below it.
struct CsvTable {
  struct Record {
    int line = 0;  // the line the record starts on (the header is line 1)
    std::vector<std::string> fields;
  };
  std::vector<std::string> header;
  std::vector<Record> records;

  /// Why `record` cannot be mapped ("has 3 fields, the header has 5"), or "".
  std::string problem(const Record& record) const;
};

/// Parses RFC 4180 text: quoted fields with commas, "" and line breaks,
/// CRLF or LF, an optional UTF-8 BOM, blank lines skipped. At most 32 MiB.
/// Nothing, with `error` naming the line, when the file itself is broken
/// (no header, an unclosed quote, a duplicate or empty column name).
std::optional<CsvTable> parseCsv(std::string_view text, std::string& error);

/// One record of a CsvTable (which must outlive it).
class CsvRecordSource final : public Source {
 public:
  CsvRecordSource(const CsvTable& table, const CsvTable::Record& record)
      : table_(table), record_(record) {}
  bool serves(SourceKind kind) const override { return kind == SourceKind::kCsv; }
  /// The value of the column named `column`; "" when the header has none.
  std::string get(std::string_view column) const override;
  std::size_t count(std::string_view) const override { return 0; }
  bool has(std::string_view column) const override;
  int line() const { return record_.line; }

 private:
  const CsvTable& table_;
  const CsvTable::Record& record_;
};

/// Empty when `column` can name a CSV column in a rule, else what is wrong.
std::string checkCsvColumn(std::string_view column);

}  // namespace rtw::mapping
