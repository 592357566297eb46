// The CSV reader on a college's export. Checks: a table that parses has a
// header of distinct non-empty names, every record reads through the
// mapping Source, and the table written back as RFC 4180 (every field
// quoted) parses to the same header and records.

#include <set>
#include <string>

#include "fuzz_support.h"
#include "rtw/mapping/csv_source.h"

namespace {

using rtw::enrolment::CsvTable;

std::string quoted(const std::string& field) {
  std::string out = "\"";
  for (char c : field) {
    out += c == '"' ? "\"\"" : std::string(1, c);
  }
  return out + "\"";
}

std::string written(const CsvTable& table) {
  std::string text;
  auto line = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      text += (i > 0 ? "," : "") + quoted(fields[i]);
    }
    text += "\r\n";
  };
  line(table.header);
  for (const auto& record : table.records) {
    line(record.fields);
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error;
  const auto table = rtw::enrolment::parseCsv(rtw::fuzz::asText(data, size), error);
  if (!table) {
    RTW_FUZZ_CHECK(!error.empty());
    return 0;
  }
  const std::set<std::string> names(table->header.begin(), table->header.end());
  RTW_FUZZ_CHECK(!table->header.empty() && names.size() == table->header.size());
  RTW_FUZZ_CHECK(!names.count(""));
  int previous_line = 1;
  for (const auto& record : table->records) {
    RTW_FUZZ_CHECK(record.line > previous_line);
    previous_line = record.line;
    const rtw::mapping::CsvRecordSource source(*table, record);
    const bool complete = table->problem(record).empty();
    RTW_FUZZ_CHECK(complete == (record.fields.size() == table->header.size()));
    // A short record reads "" past its last field (and is rejected for it).
    for (std::size_t i = 0; i < table->header.size(); ++i) {
      RTW_FUZZ_CHECK(source.has(table->header[i]));
      RTW_FUZZ_CHECK(source.get(table->header[i]) ==
                     (i < record.fields.size() ? record.fields[i] : ""));
    }
  }
  const auto again = rtw::enrolment::parseCsv(written(*table), error);
  RTW_FUZZ_CHECK(again.has_value());
  RTW_FUZZ_CHECK(again->header == table->header);
  RTW_FUZZ_CHECK(again->records.size() == table->records.size());
  for (std::size_t i = 0; i < table->records.size(); ++i) {
    RTW_FUZZ_CHECK(again->records[i].fields == table->records[i].fields);
  }
  return 0;
}
