#include "common/csv.h"

#include <fmt/format.h>

namespace doudi {

CsvReader::CsvReader(std::string_view text, CsvOptions options) : text_(text), options_(options) {
  if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);
}

Result<bool> CsvReader::Next(std::vector<std::string>* fields) {
  fields->clear();
  const size_t n = text_.size();
  // Skip lines that are not records.
  for (;;) {
    if (pos_ >= n) return false;
    char c = text_[pos_];
    if (options_.skip_empty_lines && (c == '\n' || c == '\r')) {
      if (c == '\r' && pos_ + 1 < n && text_[pos_ + 1] == '\n') ++pos_;
      ++pos_;
      ++current_line_;
      continue;
    }
    if (options_.skip_comments && c == '#') {
      size_t eol = text_.find('\n', pos_);
      pos_ = eol == std::string_view::npos ? n : eol + 1;
      ++current_line_;
      continue;
    }
    break;
  }

  record_line_ = current_line_;
  std::string field;
  for (;;) {
    // At the start of a field.
    if (pos_ < n && text_[pos_] == '"') {
      ++pos_;
      const int quote_line = current_line_;
      for (;;) {
        if (pos_ >= n) {
          return Status::Invalid("csv.unterminated_quote",
                                 fmt::format("第 {} 行：引号没有闭合（从该行开始的带引号字段一直到文件末尾）", quote_line));
        }
        char c = text_[pos_++];
        if (c == '"') {
          if (pos_ < n && text_[pos_] == '"') {
            field.push_back('"');
            ++pos_;
          } else {
            break;
          }
        } else {
          if (c == '\n') ++current_line_;
          field.push_back(c);
        }
      }
      // After a closing quote only a delimiter or the end of the record may follow.
      if (pos_ < n && text_[pos_] != options_.delimiter && text_[pos_] != '\n' && text_[pos_] != '\r') {
        return Status::Invalid("csv.stray_quote",
                               fmt::format("第 {} 行第 {} 列：引号闭合后还有多余字符", current_line_, fields->size() + 1));
      }
    } else {
      while (pos_ < n) {
        char c = text_[pos_];
        if (c == options_.delimiter || c == '\n' || c == '\r') break;
        if (c == '"') {
          return Status::Invalid("csv.stray_quote",
                                 fmt::format("第 {} 行第 {} 列：未加引号的字段中出现引号（字段内的引号需写成两个，并给整个字段加引号）",
                                             current_line_, fields->size() + 1));
        }
        field.push_back(c);
        ++pos_;
      }
    }
    fields->push_back(std::move(field));
    field.clear();
    if (pos_ >= n) break;
    char c = text_[pos_++];
    if (c == options_.delimiter) continue;
    // End of record: LF, CRLF or a lone CR.
    if (c == '\r' && pos_ < n && text_[pos_] == '\n') ++pos_;
    ++current_line_;
    break;
  }

  const int width = static_cast<int>(fields->size());
  if (width_ < 0) {
    width_ = width;
  } else if (options_.require_equal_width && width != width_) {
    return Status::Invalid("csv.ragged_row",
                           fmt::format("第 {} 行有 {} 列，与表头的 {} 列不一致", record_line_, width, width_));
  }
  return true;
}

int CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Result<CsvTable> ParseCsv(std::string_view text, CsvOptions options) {
  CsvReader reader(text, options);
  CsvTable table;
  DOUDI_ASSIGN_OR_RETURN(bool has_header, reader.Next(&table.header));
  if (!has_header) return Status::Invalid("csv.empty", "文件为空：缺少表头行");
  std::vector<std::string> fields;
  for (;;) {
    DOUDI_ASSIGN_OR_RETURN(bool more, reader.Next(&fields));
    if (!more) break;
    table.rows.push_back(std::move(fields));
    table.lines.push_back(reader.line());
  }
  return table;
}

Result<std::vector<int>> CsvColumns(const CsvTable& table, const std::vector<std::string_view>& names) {
  std::vector<int> out;
  out.reserve(names.size());
  for (std::string_view name : names) {
    int i = table.Column(name);
    if (i < 0) return Status::Invalid("csv.missing_column", fmt::format("表头缺少列“{}”", name));
    out.push_back(i);
  }
  return out;
}

}  // namespace doudi
