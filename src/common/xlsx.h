// XlsxWorkbook: Excel (.xlsx) downloads — batch results, suspicious lists, any table a caseworker takes to a
// spreadsheet — written with libxlsxwriter.
//
// A workbook holds sheets; a sheet has typed columns, an optional title row, a bold shaded header row that stays
// in view (frozen) with an autofilter, then data rows written top to bottom. Cells are typed so that Excel can
// sum and sort them: text, integers, money (integer fen in, yuan with two decimals out: 123456 → 1,234.56), and
// dates (YYYY-MM-DD in, an Excel date shown as yyyy-mm-dd out; anything else is kept as text).
// Rows stream to temporary files as they are written (libxlsxwriter's constant_memory mode), so a sheet of a
// million rows does not sit in memory; Finish() returns the file's bytes.
//
// Text is cleaned for the XML inside the file: invalid UTF-8 is replaced and control characters other than tab
// and newline are dropped; a cell is cut at Excel's 32,767 characters. A sheet holds at most 1,048,575 data rows.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace doudi::xlsx {

enum class Type { kText, kInteger, kMoney, kDate };

struct Column {
  std::string title;
  double width = 12;  // in Excel's character units (a Chinese character is about 2)
  Type type = Type::kText;
};

// One cell value. Empty cells are written as nothing; a value written to a column of another type is written as
// its own type (the column type only sets the default format and the column's width hint).
struct Cell {
  enum class Kind { kEmpty, kText, kInteger, kMoney, kDate } kind = Kind::kEmpty;
  std::string text;  // kText, kDate (ISO)
  int64_t number = 0;  // kInteger, kMoney (fen)

  static Cell Empty() { return {}; }
  static Cell Text(std::string s) { return {Kind::kText, std::move(s), 0}; }
  static Cell Integer(int64_t n) { return {Kind::kInteger, {}, n}; }
  static Cell Money(int64_t fen) { return {Kind::kMoney, {}, fen}; }
  static Cell Date(std::string iso) { return {Kind::kDate, std::move(iso), 0}; }
};

class Workbook;

class Sheet {
 public:
  // Appends a data row (cells beyond the columns are ignored; missing ones are empty).
  Status AddRow(const std::vector<Cell>& cells);
  // Appends a bold row whose text spans all columns: a group heading inside a list ("车辆 · 中山街道 3 户").
  Status AddSection(std::string_view text);
  int64_t data_rows() const { return data_rows_; }

 private:
  friend class Workbook;
  Sheet() = default;
  Workbook* book_ = nullptr;
  void* ws_ = nullptr;  // lxw_worksheet*
  std::vector<Column> columns_;
  uint32_t next_row_ = 0;
  uint32_t header_row_ = 0;
  int64_t data_rows_ = 0;
};

class Workbook {
 public:
  // Opens a workbook on a temporary file (in $TMPDIR or /tmp). Fails with "xlsx.create".
  static Result<std::unique_ptr<Workbook>> Create();
  ~Workbook();
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;

  // A new sheet. `name` is cut to Excel's 31 characters, with []:*?/\ replaced; a repeated name gets " (2)".
  // With a `title`, row 1 is that title (bold, larger, across the columns) and the header is row 2.
  Result<Sheet*> AddSheet(std::string_view name, std::vector<Column> columns, std::string_view title = "");
  // Closes the workbook and returns the .xlsx bytes. The workbook cannot be used afterwards.
  Result<std::string> Finish();

 private:
  friend class Sheet;
  Workbook() = default;
  void* wb_ = nullptr;  // lxw_workbook*
  std::string path_;
  std::vector<std::unique_ptr<Sheet>> sheets_;
  std::vector<std::string> names_;
  void* header_ = nullptr;  // lxw_format*
  void* title_ = nullptr;
  void* section_ = nullptr;
  void* money_ = nullptr;
  void* date_ = nullptr;
  void* integer_ = nullptr;
  void* text_ = nullptr;
};

// The text of `s` made fit for a cell (see above); exposed for the CSV writers that share the rule.
std::string CleanCellText(std::string_view s);

}  // namespace doudi::xlsx
