// An RFC 4180 CSV reader for reference data and imports.
//
// Fields may be quoted ("a, b"), quotes inside quoted fields are doubled (""), quoted fields may span lines,
// records end with LF or CRLF, and a UTF-8 byte order mark at the start is dropped. A stray quote in an unquoted
// field, text after a closing quote, an unterminated quote, and (by default) a record with a different number of
// fields than the header are errors that name the line, so a caseworker can fix the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace doudi {

struct CsvOptions {
  char delimiter = ',';
  bool skip_empty_lines = true;  // a line with nothing on it is not a record
  bool skip_comments = false;    // lines starting with '#' are not records (the reference data files use them)
  bool require_equal_width = true;  // every record has as many fields as the first (the header)
};

// Reads records one by one; for large imports.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text, CsvOptions options = {});

  // Reads the next record into *fields. Returns false at the end of the text, or an error
  // ("csv.unterminated_quote", "csv.stray_quote", "csv.ragged_row") whose message names the line.
  Result<bool> Next(std::vector<std::string>* fields);
  // The 1-based line on which the record last returned starts (what an editor or spreadsheet shows).
  int line() const { return record_line_; }

 private:
  std::string_view text_;
  CsvOptions options_;
  size_t pos_ = 0;
  int current_line_ = 1;
  int record_line_ = 0;
  int width_ = -1;  // fields in the first record
};

// A whole file: the first record is the header.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;  // lines[i] is the line on which rows[i] starts

  // The index of the named header column, or -1.
  int Column(std::string_view name) const;
};

// Parses text with a header row. An empty text is an error ("csv.empty").
Result<CsvTable> ParseCsv(std::string_view text, CsvOptions options = {});
// The column indices of `names` in table.header, or "csv.missing_column" naming the first one absent.
Result<std::vector<int>> CsvColumns(const CsvTable& table, const std::vector<std::string_view>& names);

}  // namespace doudi
