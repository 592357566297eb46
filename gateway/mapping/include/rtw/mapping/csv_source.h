#pragma once
// One record of a CSV file (rtw/enrolment/csv.h) as a mapping Source for
// "csv" rules: a rule names a column of the header.

#include <string>
#include <string_view>

#include "rtw/enrolment/csv.h"
#include "rtw/mapping/evaluate.h"

namespace rtw::mapping {

/// One record of a CsvTable (which must outlive it).
class CsvRecordSource final : public Source {
 public:
  CsvRecordSource(const enrolment::CsvTable& table, const enrolment::CsvTable::Record& record)
      : table_(table), record_(record) {}
  bool serves(SourceKind kind) const override { return kind == SourceKind::kCsv; }
  /// The value of the column named `column`; "" when the header has none.
  std::string get(std::string_view column) const override;
  std::size_t count(std::string_view) const override { return 0; }
  bool has(std::string_view column) const override;
  int line() const { return record_.line; }

 private:
  const enrolment::CsvTable& table_;
  const enrolment::CsvTable::Record& record_;
};

/// Empty when `column` can name a CSV column in a rule, else what is wrong.
std::string checkCsvColumn(std::string_view column);

}  // namespace rtw::mapping
