#include "common/xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/text.h"

namespace doudi::xlsx {
namespace {

constexpr uint32_t kMaxRows = 1048576;
constexpr size_t kMaxCellChars = 32767;

lxw_worksheet* Ws(void* p) { return static_cast<lxw_worksheet*>(p); }
lxw_format* Fmt(void* p) { return static_cast<lxw_format*>(p); }

Status LxwStatus(lxw_error e, std::string_view what) {
  if (e == LXW_NO_ERROR) return Status::Ok();
  return Status::Internal(fmt::format("Excel 文件写入失败（{}）：{}", what, lxw_strerror(e)));
}

// "2026-11-29" → {2026, 11, 29}; false unless a real date.
bool ParseIsoDate(std::string_view s, lxw_datetime* out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!IsAsciiDigits(s.substr(0, 4)) || !IsAsciiDigits(s.substr(5, 2)) || !IsAsciiDigits(s.substr(8, 2))) {
    return false;
  }
  int y = std::stoi(std::string(s.substr(0, 4))), m = std::stoi(std::string(s.substr(5, 2))),
      d = std::stoi(std::string(s.substr(8, 2)));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return false;
  *out = lxw_datetime{y, m, d, 0, 0, 0};
  return true;
}

// Code points of a valid UTF-8 string, cut to n.
std::string CutChars(std::string_view s, size_t n) {
  size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == n) break;
      ++chars;
    }
  }
  return std::string(s.substr(0, i));
}

}  // namespace

std::string CleanCellText(std::string_view s) {
  std::string valid;
  if (IsValidUtf8(s)) {
    valid = s;
  } else {
    // Each byte that does not start a well-formed sequence becomes U+FFFD.
    size_t i = 0;
    while (i < s.size()) {
      size_t len = 1;
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0xF0) len = 4;
      else if (c >= 0xE0) len = 3;
      else if (c >= 0xC0) len = 2;
      if (c >= 0x80 && (c < 0xC2 || i + len > s.size() || !IsValidUtf8(s.substr(i, len)))) {
        valid += "\xEF\xBF\xBD";
        ++i;
      } else {
        valid.append(s.substr(i, len));
        i += len;
      }
    }
  }
  std::string out;
  out.reserve(valid.size());
  for (char ch : valid) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 && c != '\t' && c != '\n') continue;
    if (c == 0x7F) continue;
    out += ch;
  }
  if (out.size() > kMaxCellChars && Utf8Length(out) > kMaxCellChars) out = CutChars(out, kMaxCellChars);
  return out;
}

Result<std::unique_ptr<Workbook>> Workbook::Create() {
  std::unique_ptr<Workbook> b(new Workbook());
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = fmt::format("{}/doudi-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = mkstemp(name.data());
  if (fd < 0) return Status::Internal("Excel 临时文件创建失败");
  close(fd);
  b->path_ = name.data();
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  b->wb_ = workbook_new_opt(b->path_.c_str(), &options);
  if (b->wb_ == nullptr) {
    std::filesystem::remove(b->path_);
    return Status::Internal("Excel 工作簿创建失败");
  }
  lxw_workbook* wb = static_cast<lxw_workbook*>(b->wb_);
  auto* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xE7E6E6);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_align(header, LXW_ALIGN_CENTER);
  format_set_align(header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_text_wrap(header);
  b->header_ = header;
  auto* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  b->title_ = title;
  auto* section = workbook_add_format(wb);
  format_set_bold(section);
  format_set_bg_color(section, 0xF2F2F2);
  b->section_ = section;
  auto* money = workbook_add_format(wb);
  format_set_num_format(money, "#,##0.00");
  b->money_ = money;
  auto* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");
  b->date_ = date;
  auto* integer = workbook_add_format(wb);
  format_set_num_format(integer, "0");
  b->integer_ = integer;
  auto* text = workbook_add_format(wb);
  format_set_num_format(text, "@");
  b->text_ = text;
  return b;
}

Workbook::~Workbook() {
  if (wb_ != nullptr) workbook_close(static_cast<lxw_workbook*>(wb_));
  if (!path_.empty()) std::filesystem::remove(path_);
}

Result<Sheet*> Workbook::AddSheet(std::string_view name, std::vector<Column> columns, std::string_view title) {
  if (wb_ == nullptr) return Status::Internal("Excel 工作簿已关闭");
  if (columns.empty()) return Status::Internal("Excel 工作表没有列");
  std::string clean;
  for (char c : CleanCellText(name)) {
    clean += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '_';
  }
  if (Trim(clean).empty()) clean = fmt::format("Sheet{}", sheets_.size() + 1);
  std::string base = CutChars(clean, 31), unique = base;
  for (int n = 2; std::find(names_.begin(), names_.end(), unique) != names_.end(); ++n) {
    std::string suffix = fmt::format(" ({})", n);
    unique = CutChars(base, 31 - suffix.size()) + suffix;
  }
  lxw_worksheet* ws = workbook_add_worksheet(static_cast<lxw_workbook*>(wb_), unique.c_str());
  if (ws == nullptr) return Status::Internal("Excel 工作表创建失败");
  names_.push_back(unique);
  std::unique_ptr<Sheet> s(new Sheet());
  s->book_ = this;
  s->ws_ = ws;
  s->columns_ = std::move(columns);
  const lxw_col_t last = static_cast<lxw_col_t>(s->columns_.size() - 1);
  for (size_t c = 0; c < s->columns_.size(); ++c) {
    const Column& col = s->columns_[c];
    lxw_format* f = col.type == Type::kMoney   ? Fmt(money_)
                    : col.type == Type::kDate  ? Fmt(date_)
                    : col.type == Type::kText  ? Fmt(text_)
                                               : Fmt(integer_);
    DOUDI_RETURN_IF_ERROR(LxwStatus(
        worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), col.width, f), "列宽"));
  }
  uint32_t row = 0;
  if (!title.empty()) {
    std::string t = CleanCellText(title);
    if (last == 0) {
      DOUDI_RETURN_IF_ERROR(LxwStatus(worksheet_write_string(ws, 0, 0, t.c_str(), Fmt(title_)), "标题"));
    } else {
      DOUDI_RETURN_IF_ERROR(LxwStatus(worksheet_merge_range(ws, 0, 0, 0, last, t.c_str(), Fmt(title_)), "标题"));
    }
    worksheet_set_row(ws, 0, 22, nullptr);
    row = 1;
  }
  for (size_t c = 0; c < s->columns_.size(); ++c) {
    std::string t = CleanCellText(s->columns_[c].title);
    DOUDI_RETURN_IF_ERROR(LxwStatus(
        worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), t.c_str(), Fmt(header_)), "表头"));
  }
  s->header_row_ = row;
  worksheet_freeze_panes(ws, row + 1, 0);
  s->next_row_ = row + 1;
  sheets_.push_back(std::move(s));
  return sheets_.back().get();
}

Status Sheet::AddRow(const std::vector<Cell>& cells) {
  if (book_->wb_ == nullptr) return Status::Internal("Excel 工作簿已关闭");
  if (next_row_ >= kMaxRows) {
    return Status(Code::kTooLarge, "xlsx.too_many_rows", "数据超过 Excel 单个工作表的 1,048,576 行上限，请缩小范围后导出");
  }
  lxw_worksheet* ws = Ws(ws_);
  const lxw_row_t row = next_row_;
  for (size_t c = 0; c < columns_.size() && c < cells.size(); ++c) {
    const Cell& v = cells[c];
    const lxw_col_t col = static_cast<lxw_col_t>(c);
    lxw_error e = LXW_NO_ERROR;
    switch (v.kind) {
      case Cell::Kind::kEmpty:
        break;
      case Cell::Kind::kText: {
        std::string t = CleanCellText(v.text);
        e = worksheet_write_string(ws, row, col, t.c_str(), Fmt(book_->text_));
        break;
      }
      case Cell::Kind::kInteger:
        e = worksheet_write_number(ws, row, col, static_cast<double>(v.number), Fmt(book_->integer_));
        break;
      case Cell::Kind::kMoney:
        e = worksheet_write_number(ws, row, col, static_cast<double>(v.number) / 100.0, Fmt(book_->money_));
        break;
      case Cell::Kind::kDate: {
        lxw_datetime dt;
        if (ParseIsoDate(v.text, &dt)) {
          e = worksheet_write_datetime(ws, row, col, &dt, Fmt(book_->date_));
        } else if (!v.text.empty()) {
          std::string t = CleanCellText(v.text);
          e = worksheet_write_string(ws, row, col, t.c_str(), Fmt(book_->text_));
        }
        break;
      }
    }
    DOUDI_RETURN_IF_ERROR(LxwStatus(e, "单元格"));
  }
  ++next_row_;
  ++data_rows_;
  return Status::Ok();
}

Status Sheet::AddSection(std::string_view text) {
  if (book_->wb_ == nullptr) return Status::Internal("Excel 工作簿已关闭");
  if (next_row_ >= kMaxRows) {
    return Status(Code::kTooLarge, "xlsx.too_many_rows", "数据超过 Excel 单个工作表的 1,048,576 行上限，请缩小范围后导出");
  }
  std::string t = CleanCellText(text);
  lxw_worksheet* ws = Ws(ws_);
  const lxw_col_t last = static_cast<lxw_col_t>(columns_.size() - 1);
  lxw_error e = last == 0 ? worksheet_write_string(ws, next_row_, 0, t.c_str(), Fmt(book_->section_))
                          : worksheet_merge_range(ws, next_row_, 0, next_row_, last, t.c_str(), Fmt(book_->section_));
  DOUDI_RETURN_IF_ERROR(LxwStatus(e, "分组标题"));
  ++next_row_;
  return Status::Ok();
}

Result<std::string> Workbook::Finish() {
  if (wb_ == nullptr) return Status::Internal("Excel 工作簿已关闭");
  // The autofilter covers the header and the data rows written (set last: its range must be known).
  for (auto& s : sheets_) {
    const lxw_col_t last = static_cast<lxw_col_t>(s->columns_.size() - 1);
    worksheet_autofilter(Ws(s->ws_), s->header_row_, 0, std::max(s->header_row_, s->next_row_ - 1), last);
  }
  lxw_error e = workbook_close(static_cast<lxw_workbook*>(wb_));
  wb_ = nullptr;
  DOUDI_RETURN_IF_ERROR(LxwStatus(e, "保存"));
  std::ifstream in(path_, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Status::Internal("Excel 文件读取失败");
  return bytes.str();
}

}  // namespace doudi::xlsx
