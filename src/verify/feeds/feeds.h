// Agency feed files (部门数据): reading one source agency's file from bytes, validating each row, and handing
// the good rows on — to the engine's columnar tables (the CLI and the benchmark) or to a per-row callback (the
// service, which stores the rows of a batch in the database).
//
// Formats: CSV in UTF-8 with or without BOM, GBK/GB18030 (detected: not valid UTF-8, converted with ICU),
// UTF-16 with a BOM (converted); XLSX (first worksheet; minizip + pugixml). docs/verify-feeds.md lists every
// feed's columns, the forms each value may take, and which bad input is understood and which is rejected.
//
// Errors of the whole file (unreadable encoding, missing required column, duplicate header, empty file) are a
// Status; errors of one row are Rejects {row, column, reason in Chinese} and the row is left out. Whether a file
// with rejects lands at all is the caller's choice (all-or-nothing, or the good rows plus a rejects file).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "verify/engine/model.h"

namespace doudi::verify::feeds {

enum class Format : uint8_t { kCsv, kXlsx };
enum class Encoding : uint8_t { kUtf8, kUtf8Bom, kGb18030, kUtf16 };
std::string_view EncodingName(Encoding e);  // "UTF-8", "UTF-8 BOM", "GB18030", "UTF-16"

// The value type of a column: how it is parsed and what ParsedRow field receives it.
enum class ColumnType : uint8_t {
  kIdNumber,  // → id_number (normalised 18 characters)
  kText,      // → text[slot]
  kCode,      // → code[slot]: one of the column's codes (or a Chinese synonym)
  kDate,      // → date[slot] (days)
  kMonth,     // → month
  kMoney,     // → money[slot] (fen)
  kArea,      // → area_centi_m2
};

struct ColumnSpec {
  std::string_view name;  // header name in the file (English, as the issue lists; Chinese aliases also accepted)
  ColumnType type;
  int slot = 0;
  bool required = true;   // a required column must be in the header; its value must not be empty (dates may be
                          // optional, see `optional_value`)
  bool optional_value = false;  // the column must exist but may be empty in a row (death_date of the living)
  std::vector<std::string_view> codes = {};  // kCode: the accepted codes, in enum order
};

struct FeedSpec {
  Feed feed;
  std::string_view file_name;  // "hukou.csv"
  std::vector<ColumnSpec> columns;
};
const FeedSpec& Spec(Feed feed);

// One validated row. Views point into buffers that live only during the callback.
struct ParsedRow {
  int64_t row = 0;             // 1-based line in the CSV (the header is line 1) or row number in the sheet
  std::string_view id_number;  // normalised: 18 characters, upper-case X, 15-digit numbers converted
  std::string_view text[2];
  uint8_t code[2] = {0, 0};
  int32_t date[2] = {kNoDate, kNoDate};
  int32_t month = 0;
  Fen money[2] = {0, 0};
  int32_t area_centi_m2 = 0;
};

struct Reject {
  int64_t row;         // as ParsedRow::row; 0 for the whole file
  std::string column;  // header name ("" when the row itself is malformed)
  std::string code;    // stable code, e.g. "feed.id_number.check_digit"
  std::string reason;  // Chinese, with the offending value
};

struct ParseResult {
  Feed feed;
  Format format = Format::kCsv;
  Encoding encoding = Encoding::kUtf8;
  int64_t rows_total = 0;     // data rows read (without the header and blank lines)
  int64_t rows_accepted = 0;
  std::vector<Reject> rejects;
  std::vector<std::string> ignored_columns;  // header columns that are not in the spec (kept out, not an error)
  std::string sha256;  // hex digest of the file's bytes (re-import detection)
};

struct ParseOptions {
  int threads = 1;           // LoadFeed only: CSV without quotes is split at line ends across threads
  size_t max_rejects = 100000;  // rejects beyond this are counted (rows_total - rows_accepted) but not listed
};

// Format from the name and the bytes (XLSX: a zip starting "PK\3\4").
Format DetectFormat(std::string_view file_name, std::string_view bytes);

// Reads a feed and calls on_row for each good row, in file order. For the service.
Result<ParseResult> ParseFeed(Feed feed, std::string_view file_name, std::string_view bytes,
                              const std::function<void(const ParsedRow&)>& on_row, const ParseOptions& options = {});

// Maps a normalised ID number to the person key (a keyed hash; thread-safe).
using PersonKeyFn = std::function<PersonKey(std::string_view id_number)>;

// Reads a feed into the engine's table for it (appending; sets tables->status[feed].present and data_date to the
// newest date in the rows, or `extracted_on` for feeds without dates). Each row's ref is its row number. For the
// CLI and the benchmark: parallel over options.threads.
Result<ParseResult> LoadFeed(Feed feed, std::string_view file_name, std::string_view bytes, const PersonKeyFn& key,
                             FeedTables* tables, int32_t extracted_on, const ParseOptions& options = {});

// --- the value parsers, also used for the households file and by the tests ------------------------------------
// Each returns false and sets *code / *reason (Chinese) when the value is rejected.
struct ValueError {
  std::string code;
  std::string reason;
};
// 18 characters (x accepted for X) or 15 digits (converted); check character and birth date checked.
bool ParseIdValue(std::string_view in, char out[18], ValueError* err);
// 2020-02-30 is rejected. Accepted: 2024-03-05, 2024/3/5, 20240305, 2024年3月5日, 2024-03-05 00:00:00.
bool ParseDateValue(std::string_view in, int32_t* days, ValueError* err);
// Accepted: 2024-03, 2024/3, 202403, 2024年3月, and a full date (its month).
bool ParseMonthValue(std::string_view in, int32_t* month, ValueError* err);
// Yuan with up to 2 decimals → fen. Understood: "1,000.00元", "¥1000", "￥1000.5", "RMB 20", "+5".
// Rejected: negative, more than 2 decimals, misplaced thousands separators ("1,00"), anything else.
bool ParseMoneyValue(std::string_view in, Fen* fen, ValueError* err);
// Square metres with up to 2 decimals ("89.5", "89.5㎡", "89.5平方米") → 0.01 m².
bool ParseAreaValue(std::string_view in, int32_t* centi_m2, ValueError* err);

// Calls fn for each record of a UTF-8 CSV text (the header too), with the line it starts on; `error` is set (and
// fields empty) for a record with text after a closing quote. fn returns false to stop. An unterminated quote is
// an error ("feed.csv"). Blank lines are skipped. For the households file of the CLI.
using CsvRecordFn =
    std::function<bool(const std::vector<std::string_view>& fields, int64_t line, const std::string* error)>;
Status ForEachCsvRecord(std::string_view text, const CsvRecordFn& fn);

// Text conversion: bytes in any supported encoding → UTF-8 (BOM dropped). Error "feed.encoding" if the bytes are
// neither UTF-8, UTF-16 with BOM, nor GB18030.
Result<std::string> ToUtf8(std::string_view bytes, Encoding* detected);

// The first worksheet of an XLSX file as rows of cell text (numbers as written by Excel; date cells as their
// serial number, which the date parser accepts in date columns). Rows keep their sheet row numbers.
struct SheetRow {
  int64_t row;
  std::vector<std::string> cells;
};
Result<std::vector<SheetRow>> ReadXlsx(std::string_view bytes);

}  // namespace doudi::verify::feeds
