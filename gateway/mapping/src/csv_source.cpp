#include "rtw/mapping/csv_source.h"

namespace rtw::mapping {

std::string CsvRecordSource::get(std::string_view column) const {
  return table_.value(record_, column);
}

bool CsvRecordSource::has(std::string_view column) const {
  return table_.column(column).has_value();
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
