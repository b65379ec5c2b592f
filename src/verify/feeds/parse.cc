// Reading a feed file: encoding, CSV records (or XLSX rows), the header, and each row's values.
//
// The CSV reader is written for imports of tens of millions of rows: a line without quotes is split in place
// (string views into the text, no allocation per row); lines with quotes take the RFC 4180 path (doubled quotes,
// quoted commas and line breaks). LoadFeed splits a file without any quote into line-aligned parts, one per thread.
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "common/text.h"
#include "verify/feeds/feeds.h"

namespace doudi::verify::feeds {
namespace {

// ---- CSV records -----------------------------------------------------------------------------------------------
class Splitter {
 public:
  Splitter(std::string_view text, int64_t first_line) : text_(text), line_(first_line) {}

  // 1: a record in fields(); 0: end of text; -1: a malformed record (error() says why; skipped);
  // -2: an unterminated quote (the rest of the text cannot be read).
  int Next() {
    fields_.clear();
    const size_t n = text_.size();
    // Blank lines are not records.
    while (pos_ < n && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
      if (text_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ >= n) return 0;
    record_line_ = line_;
    const char* base = text_.data();
    const char* eol = static_cast<const char*>(std::memchr(base + pos_, '\n', n - pos_));
    size_t end = eol ? size_t(eol - base) : n;
    size_t line_end = end;
    if (line_end > pos_ && text_[line_end - 1] == '\r') --line_end;
    if (!std::memchr(base + pos_, '"', line_end - pos_)) {
      size_t s = pos_;
      while (true) {
        const char* c = static_cast<const char*>(std::memchr(base + s, ',', line_end - s));
        size_t e = c ? size_t(c - base) : line_end;
        fields_.emplace_back(base + s, e - s);
        if (!c) break;
        s = e + 1;
      }
      pos_ = end < n ? end + 1 : n;
      ++line_;
      return 1;
    }
    return Quoted();
  }
  const std::vector<std::string_view>& fields() const { return fields_; }
  int64_t record_line() const { return record_line_; }
  const std::string& error() const { return error_; }
  size_t pos() const { return pos_; }     // where the next record starts
  int64_t line() const { return line_; }  // and its line

 private:
  int Quoted() {
    const size_t n = text_.size();
    scratch_.clear();
    pieces_.clear();
    while (true) {
      if (pos_ < n && text_[pos_] == '"') {
        ++pos_;
        size_t off = scratch_.size();
        while (true) {
          if (pos_ >= n) {
            error_ = "第 " + std::to_string(record_line_) + " 行：引号没有闭合（该字段一直延续到文件末尾）";
            return -2;
          }
          char c = text_[pos_++];
          if (c == '"') {
            if (pos_ < n && text_[pos_] == '"') {
              scratch_.push_back('"');
              ++pos_;
            } else {
              break;
            }
          } else {
            if (c == '\n') ++line_;
            scratch_.push_back(c);
          }
        }
        pieces_.push_back({true, off, scratch_.size() - off});
        if (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
          error_ = "引号外还有多余字符（带引号的字段在闭合引号后只能是逗号或换行）";
          SkipLine();
          return -1;
        }
      } else {
        // An unquoted field; a quote inside it is taken literally (a"b).
        size_t s = pos_;
        while (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
        pieces_.push_back({false, s, pos_ - s});
      }
      if (pos_ < n && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      break;
    }
    SkipLine();
    for (const Piece& p : pieces_) {
      fields_.emplace_back(p.scratch ? scratch_.data() + p.off : text_.data() + p.off, p.len);
    }
    return 1;
  }
  void SkipLine() {
    const size_t n = text_.size();
    while (pos_ < n && text_[pos_] != '\n') ++pos_;
    if (pos_ < n) ++pos_;
    ++line_;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_;
  int64_t record_line_ = 0;
  std::vector<std::string_view> fields_;
  std::string scratch_;
  struct Piece {
    bool scratch;
    size_t off, len;
  };
  std::vector<Piece> pieces_;
  std::string error_;
};


// UTF-8 validity, 8 bytes at a time while the text is ASCII (most of a feed: digits, codes, dates).
bool ValidUtf8(std::string_view s) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else return false;
    if (i + size_t(len) > n) return false;
    for (int k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += size_t(len);
  }
  return true;
}

// ---- header ----------------------------------------------------------------------------------------------------
// Chinese header names understood for the canonical English ones.
std::string_view Canonical(std::string_view h) {
  static const std::pair<std::string_view, std::string_view> kAliases[] = {
      {"身份证号", "id_number"},       {"身份证号码", "id_number"},   {"公民身份号码", "id_number"},
      {"证件号码", "id_number"},       {"姓名", "name"},             {"状态", "status"},
      {"死亡日期", "death_date"},      {"号牌号码", "plate"},         {"车牌号", "plate"},
      {"车辆类型", "vehicle_type"},    {"登记日期", "registered_on"}, {"险种", "kind"},
      {"月份", "month"},               {"金额", "amount_yuan"},       {"缴存额", "deposit_yuan"},
      {"余额", "balance_yuan"},        {"房屋用途", "property_type"}, {"建筑面积", "area_m2"},
      {"企业名称", "company"},         {"角色", "role"},             {"注册资本", "registered_capital_yuan"},
      {"所得项目", "income_type"},     {"银行", "bank"},             {"截至日期", "as_of"},
      {"市值", "market_value_yuan"},   {"产品", "product"},          {"现金价值", "cash_value_yuan"},
      {"记录类型", "record"},          {"日期", "date"},             {"详情", "detail"}};
  for (const auto& [cn, en] : kAliases) {
    if (h == cn) return en;
  }
  return h;
}

struct ColumnMap {
  std::vector<int> field;  // per spec column: its index in the record, or -1
  size_t width = 0;        // header fields
};

Status MapHeader(const FeedSpec& spec, const std::vector<std::string_view>& header, ColumnMap* map,
                 std::vector<std::string>* ignored) {
  map->field.assign(spec.columns.size(), -1);
  map->width = header.size();
  std::vector<std::string> lower(header.size());
  for (size_t i = 0; i < header.size(); ++i) {
    std::string h(Trim(header[i]));
    for (char& c : h) {
      if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    }
    lower[i] = std::string(Canonical(h));
  }
  for (size_t i = 0; i < header.size(); ++i) {
    int found = -1;
    for (size_t c = 0; c < spec.columns.size(); ++c) {
      if (spec.columns[c].name == lower[i]) found = int(c);
    }
    if (found < 0) {
      if (!lower[i].empty()) ignored->push_back(std::string(Trim(header[i])));
      continue;
    }
    if (map->field[found] >= 0) {
      return Status::InvalidField(std::string(spec.columns[found].name), "feed.duplicate_column",
                                  std::string(spec.file_name) + " 的表头中 " + std::string(spec.columns[found].name) +
                                      " 出现了两次（第 " + std::to_string(map->field[found] + 1) + " 列和第 " +
                                      std::to_string(i + 1) + " 列），无法确定使用哪一列");
    }
    map->field[found] = int(i);
  }
  for (size_t c = 0; c < spec.columns.size(); ++c) {
    if (map->field[c] < 0 && spec.columns[c].required) {
      return Status::InvalidField(std::string(spec.columns[c].name), "feed.missing_column",
                                  std::string(spec.file_name) + " 缺少必需的列 " + std::string(spec.columns[c].name));
    }
  }
  return Status::Ok();
}

// ---- rows ------------------------------------------------------------------------------------------------------
struct RejectList {
  std::vector<Reject>* out;
  size_t max;
  void Add(int64_t row, std::string_view column, std::string code, std::string reason) {
    if (out->size() < max) out->push_back({row, std::string(column), std::move(code), std::move(reason)});
  }
};

bool MatchCode(std::string_view value, const std::vector<std::string_view>& codes, uint8_t* out) {
  // Case-insensitive for ASCII; no allocation (one call per row and code column).
  std::string_view v = Trim(value);
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
  for (size_t i = 0; i < codes.size(); ++i) {
    std::string_view alts = codes[i];
    while (true) {
      size_t bar = alts.find('|');
      std::string_view alt = alts.substr(0, bar);
      if (alt.size() == v.size()) {
        size_t k = 0;
        while (k < v.size() && lower(v[k]) == alt[k]) ++k;
        if (k == v.size()) {
          *out = uint8_t(i);
          return true;
        }
      }
      if (bar == std::string_view::npos) break;
      alts.remove_prefix(bar + 1);
    }
  }
  return false;
}

std::string CodeList(const std::vector<std::string_view>& codes) {
  std::string s;
  for (std::string_view c : codes) {
    if (!s.empty()) s += "、";
    s += c.substr(0, c.find('|'));
  }
  return s;
}

// An Excel date serial (days since 1899-12-30) in a date column of an XLSX sheet.
bool ExcelSerial(std::string_view v, int32_t* days) {
  std::string_view s = Trim(v);
  size_t dot = s.find('.');
  std::string_view ip = s.substr(0, dot);
  if (ip.empty() || ip.size() > 5 || !IsAsciiDigits(ip)) return false;
  if (dot != std::string_view::npos && !IsAsciiDigits(s.substr(dot + 1))) return false;
  int serial = 0;
  for (char c : ip) serial = serial * 10 + (c - '0');
  if (serial < 61) return false;  // before 1900-03-01 Excel's calendar is off by its fictitious 1900-02-29
  *days = serial - 25569;
  return true;
}

// Validates one record; false if any column is rejected (each rejected column is listed).
bool ParseRecord(const FeedSpec& spec, const ColumnMap& map, const std::vector<std::string_view>& f, int64_t row,
                 bool xlsx, ParsedRow* out, char idbuf[18], RejectList* rejects) {
  *out = ParsedRow{};
  out->row = row;
  if (f.size() != map.width) {
    bool extra_empty = f.size() > map.width &&
                       std::all_of(f.begin() + long(map.width), f.end(), [](std::string_view x) { return Trim(x).empty(); });
    if (!extra_empty) {
      rejects->Add(row, "", "feed.ragged_row",
                   "本行有 " + std::to_string(f.size()) + " 列，表头有 " + std::to_string(map.width) + " 列");
      return false;
    }
  }
  bool ok = true;
  ValueError err;
  for (size_t c = 0; c < spec.columns.size(); ++c) {
    const ColumnSpec& col = spec.columns[c];
    int fi = map.field[c];
    std::string_view v = fi >= 0 ? Trim(f[size_t(fi)]) : std::string_view();
    if (v.empty()) {
      if (fi < 0 || col.optional_value || col.type == ColumnType::kText) continue;
      rejects->Add(row, col.name, "feed.value.missing", std::string(col.name) + " 为空");
      ok = false;
      continue;
    }
    switch (col.type) {
      case ColumnType::kIdNumber:
        if (ParseIdValue(v, idbuf, &err)) {
          out->id_number = std::string_view(idbuf, 18);
        } else {
          rejects->Add(row, col.name, err.code, err.reason);
          ok = false;
        }
        break;
      case ColumnType::kText:
        out->text[col.slot] = v;
        break;
      case ColumnType::kCode:
        if (!MatchCode(v, col.codes, &out->code[col.slot])) {
          rejects->Add(row, col.name, "feed.code.unknown",
                       std::string(col.name) + " 的值“" + std::string(v) + "”无法识别（应为 " + CodeList(col.codes) + "）");
          ok = false;
        }
        break;
      case ColumnType::kDate:
        if (!(xlsx && ExcelSerial(v, &out->date[col.slot])) && !ParseDateValue(v, &out->date[col.slot], &err)) {
          rejects->Add(row, col.name, err.code, err.reason);
          ok = false;
        }
        break;
      case ColumnType::kMonth: {
        int32_t d;
        if (xlsx && ExcelSerial(v, &d)) {
          out->month = MonthOfDays(d);
        } else if (!ParseMonthValue(v, &out->month, &err)) {
          rejects->Add(row, col.name, err.code, err.reason);
          ok = false;
        }
        break;
      }
      case ColumnType::kMoney:
        if (!ParseMoneyValue(v, &out->money[col.slot], &err)) {
          rejects->Add(row, col.name, err.code, err.reason);
          ok = false;
        }
        break;
      case ColumnType::kArea:
        if (!ParseAreaValue(v, &out->area_centi_m2, &err)) {
          rejects->Add(row, col.name, err.code, err.reason);
          ok = false;
        }
        break;
    }
  }
  // Consistency within a row.
  if (ok && spec.feed == Feed::kHukou && out->code[0] == 0 && out->date[0] != kNoDate) {
    rejects->Add(row, "death_date", "feed.hukou.alive_with_death_date", "状态为在世（alive），却填有死亡日期");
    ok = false;
  }
  return ok;
}

bool AllEmpty(const std::vector<std::string_view>& f) {
  return std::all_of(f.begin(), f.end(), [](std::string_view x) { return Trim(x).empty(); });
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned i = 0; i < len; ++i) {
    s += hex[md[i] >> 4];
    s += hex[md[i] & 15];
  }
  return s;
}

// Reads the records of a CSV text part (after the header) and calls on_row for the good ones.
Status ParseCsvPart(const FeedSpec& spec, const ColumnMap& map, std::string_view text, int64_t first_line,
                    const std::function<void(const ParsedRow&)>& on_row, int64_t* total, int64_t* accepted,
                    RejectList* rejects) {
  Splitter sp(text, first_line);
  ParsedRow row;
  char idbuf[18];
  while (true) {
    int r = sp.Next();
    if (r == 0) break;
    if (r == -2) return Status::Invalid("feed.csv", sp.error());
    if (r == -1) {
      ++*total;
      rejects->Add(sp.record_line(), "", "feed.csv.quote", sp.error());
      continue;
    }
    if (AllEmpty(sp.fields())) continue;  // ",,,," lines that spreadsheets leave at the end
    ++*total;
    if (ParseRecord(spec, map, sp.fields(), sp.record_line(), false, &row, idbuf, rejects)) {
      ++*accepted;
      on_row(row);
    }
  }
  return Status::Ok();
}

struct Prepared {
  std::string owned;         // the converted text when the file was not plain UTF-8
  std::string_view text;     // UTF-8 (CSV): the file's bytes themselves, or `owned`
  std::vector<SheetRow> sheet;  // XLSX
  size_t body_offset = 0;    // CSV: where the records after the header start
  int64_t body_line = 2;     // CSV: the line on which they start
  size_t sheet_body = 0;     // XLSX: first data row index
  ColumnMap map;
};

// Decodes the bytes, reads the header and maps its columns.
Status Prepare(const FeedSpec& spec, std::string_view file_name, std::string_view bytes, ParseResult* res,
               Prepared* p) {
  res->feed = spec.feed;
  res->sha256 = Sha256Hex(bytes);
  res->format = DetectFormat(file_name, bytes);
  std::vector<std::string_view> header;
  std::vector<std::string> header_store;
  if (res->format == Format::kXlsx) {
    res->encoding = Encoding::kUtf8;
    DOUDI_ASSIGN_OR_RETURN(p->sheet, ReadXlsx(bytes));
    size_t i = 0;
    while (i < p->sheet.size() && std::all_of(p->sheet[i].cells.begin(), p->sheet[i].cells.end(),
                                              [](const std::string& c) { return Trim(c).empty(); })) {
      ++i;
    }
    if (i == p->sheet.size()) return Status::Invalid("feed.empty", std::string(spec.file_name) + " 是空表，没有表头");
    for (const std::string& c : p->sheet[i].cells) header.emplace_back(c);
    while (!header.empty() && Trim(header.back()).empty()) header.pop_back();
    p->sheet_body = i + 1;
  } else {
    if (bytes.substr(0, 2) != "\xFF\xFE" && bytes.substr(0, 2) != "\xFE\xFF" && bytes.substr(0, 3) != "\xEF\xBB\xBF" &&
        bytes.find('\0') == std::string_view::npos && ValidUtf8(bytes)) {
      res->encoding = Encoding::kUtf8;  // the common case: no copy
      p->text = bytes;
    } else {
      DOUDI_ASSIGN_OR_RETURN(p->owned, ToUtf8(bytes, &res->encoding));
      p->text = p->owned;
    }
    Splitter sp(p->text, 1);
    int r = sp.Next();
    if (r == 0) return Status::Invalid("feed.empty", std::string(spec.file_name) + " 是空文件，没有表头");
    if (r < 0) return Status::Invalid("feed.csv", "表头行无法读取：" + sp.error());
    header = sp.fields();  // views into p->text (or the splitter's scratch, copied below)
    p->body_offset = sp.pos();
    p->body_line = sp.line();
    header_store.assign(header.begin(), header.end());
    header.assign(header_store.begin(), header_store.end());
  }
  return MapHeader(spec, header, &p->map, &res->ignored_columns);
}

Status ParseSheet(const FeedSpec& spec, const Prepared& p, const std::function<void(const ParsedRow&)>& on_row,
                  ParseResult* res, RejectList* rejects) {
  std::vector<std::string_view> f;
  ParsedRow row;
  char idbuf[18];
  for (size_t i = p.sheet_body; i < p.sheet.size(); ++i) {
    f.clear();
    for (const std::string& c : p.sheet[i].cells) f.emplace_back(c);
    if (AllEmpty(f)) continue;
    while (f.size() > p.map.width && Trim(f.back()).empty()) f.pop_back();
    while (f.size() < p.map.width) f.emplace_back();  // a sheet omits empty trailing cells
    ++res->rows_total;
    if (ParseRecord(spec, p.map, f, p.sheet[i].row, true, &row, idbuf, rejects)) {
      ++res->rows_accepted;
      on_row(row);
    }
  }
  return Status::Ok();
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

void AppendRow(Feed feed, const ParsedRow& r, PersonKey k, FeedTables* t) {
  const uint64_t ref = uint64_t(r.row);
  switch (feed) {
    case Feed::kHukou:
      t->hukou.person.push_back(k);
      t->hukou.dead.push_back(r.code[0] == 1);
      t->hukou.death_date.push_back(r.date[0]);
      t->hukou.ref.push_back(ref);
      break;
    case Feed::kVehicle:
      t->vehicle.person.push_back(k);
      t->vehicle.type.push_back(VehicleType(r.code[0]));
      t->vehicle.registered_on.push_back(r.date[0]);
      t->vehicle.ref.push_back(ref);
      break;
    case Feed::kSocialInsurance:
    case Feed::kTax: {
      IncomeTable& it = feed == Feed::kTax ? t->tax : t->social_insurance;
      it.person.push_back(k);
      it.kind.push_back(r.code[0]);
      it.month.push_back(r.month);
      it.amount.push_back(r.money[0]);
      it.ref.push_back(ref);
      break;
    }
    case Feed::kProvidentFund:
      t->provident_fund.person.push_back(k);
      t->provident_fund.month.push_back(r.month);
      t->provident_fund.deposit.push_back(r.money[0]);
      t->provident_fund.balance.push_back(r.money[1]);
      t->provident_fund.ref.push_back(ref);
      break;
    case Feed::kRealEstate:
      t->real_estate.person.push_back(k);
      t->real_estate.type.push_back(PropertyType(r.code[0]));
      t->real_estate.area_centi_m2.push_back(r.area_centi_m2);
      t->real_estate.registered_on.push_back(r.date[0]);
      t->real_estate.ref.push_back(ref);
      break;
    case Feed::kBusiness:
      t->business.person.push_back(k);
      t->business.role.push_back(BusinessRole(r.code[0]));
      t->business.capital.push_back(r.money[0]);
      t->business.active.push_back(r.code[1] == 0);
      t->business.ref.push_back(ref);
      break;
    case Feed::kBank:
    case Feed::kSecurities:
    case Feed::kInsurance: {
      BalanceTable& b = feed == Feed::kBank ? t->bank : feed == Feed::kSecurities ? t->securities : t->insurance;
      b.person.push_back(k);
      b.account.push_back(feed == Feed::kSecurities ? 0 : Fnv1a(r.text[0]));
      b.amount.push_back(r.money[0]);
      b.as_of.push_back(r.date[0]);
      b.ref.push_back(ref);
      break;
    }
    case Feed::kCivil:
      t->civil.person.push_back(k);
      t->civil.record.push_back(CivilRecord(r.code[0]));
      t->civil.date.push_back(r.date[0]);
      t->civil.ref.push_back(ref);
      break;
  }
}

void Reserve(Feed feed, size_t n, FeedTables* t) {
  auto income = [n](IncomeTable& x) {
    x.person.reserve(n), x.kind.reserve(n), x.month.reserve(n), x.amount.reserve(n), x.ref.reserve(n);
  };
  auto balance = [n](BalanceTable& x) {
    x.person.reserve(n), x.account.reserve(n), x.amount.reserve(n), x.as_of.reserve(n), x.ref.reserve(n);
  };
  switch (feed) {
    case Feed::kSocialInsurance: income(t->social_insurance); break;
    case Feed::kTax: income(t->tax); break;
    case Feed::kBank: balance(t->bank); break;
    case Feed::kSecurities: balance(t->securities); break;
    case Feed::kInsurance: balance(t->insurance); break;
    case Feed::kHukou:
      t->hukou.person.reserve(n), t->hukou.dead.reserve(n), t->hukou.death_date.reserve(n), t->hukou.ref.reserve(n);
      break;
    case Feed::kProvidentFund:
      t->provident_fund.person.reserve(n), t->provident_fund.month.reserve(n), t->provident_fund.deposit.reserve(n),
          t->provident_fund.balance.reserve(n), t->provident_fund.ref.reserve(n);
      break;
    default: break;  // the small registers grow as they go
  }
}

}  // namespace

Status ForEachCsvRecord(std::string_view text, const CsvRecordFn& fn) {
  Splitter sp(text, 1);
  while (true) {
    int r = sp.Next();
    if (r == 0) return Status::Ok();
    if (r == -2) return Status::Invalid("feed.csv", sp.error());
    if (!fn(sp.fields(), sp.record_line(), r == -1 ? &sp.error() : nullptr)) return Status::Ok();
  }
}

Format DetectFormat(std::string_view file_name, std::string_view bytes) {
  if (bytes.substr(0, 4) == std::string_view("PK\3\4", 4)) return Format::kXlsx;
  if (file_name.size() >= 5 && file_name.substr(file_name.size() - 5) == ".xlsx") return Format::kXlsx;
  return Format::kCsv;
}

Result<ParseResult> ParseFeed(Feed feed, std::string_view file_name, std::string_view bytes,
                              const std::function<void(const ParsedRow&)>& on_row, const ParseOptions& options) {
  const FeedSpec& spec = Spec(feed);
  ParseResult res;
  Prepared p;
  DOUDI_RETURN_IF_ERROR(Prepare(spec, file_name, bytes, &res, &p));
  RejectList rejects{&res.rejects, options.max_rejects};
  if (res.format == Format::kXlsx) {
    DOUDI_RETURN_IF_ERROR(ParseSheet(spec, p, on_row, &res, &rejects));
  } else {
    DOUDI_RETURN_IF_ERROR(ParseCsvPart(spec, p.map, p.text.substr(p.body_offset), p.body_line,
                                       on_row, &res.rows_total, &res.rows_accepted, &rejects));
  }
  return res;
}

Result<ParseResult> LoadFeed(Feed feed, std::string_view file_name, std::string_view bytes, const PersonKeyFn& key,
                             FeedTables* tables, int32_t extracted_on, const ParseOptions& options) {
  const FeedSpec& spec = Spec(feed);
  ParseResult res;
  Prepared p;
  DOUDI_RETURN_IF_ERROR(Prepare(spec, file_name, bytes, &res, &p));
  RejectList rejects{&res.rejects, options.max_rejects};
  if (res.format == Format::kXlsx) {
    DOUDI_RETURN_IF_ERROR(ParseSheet(spec, p, [&](const ParsedRow& r) { AppendRow(feed, r, key(r.id_number), tables); },
                                     &res, &rejects));
  } else {
    std::string_view body = p.text.substr(p.body_offset);
    int threads = std::max(1, options.threads);
    if (body.size() < (1u << 20) || body.find('"') != std::string_view::npos) threads = 1;
    if (threads == 1) {
      DOUDI_RETURN_IF_ERROR(ParseCsvPart(
          spec, p.map, body, p.body_line, [&](const ParsedRow& r) { AppendRow(feed, r, key(r.id_number), tables); },
          &res.rows_total, &res.rows_accepted, &rejects));
    } else {
      // Line-aligned parts; without quotes every '\n' ends a record, so each part's first line number is known.
      std::vector<size_t> cut{0};
      for (int t = 1; t < threads; ++t) {
        size_t at = body.size() * size_t(t) / size_t(threads);
        size_t nl = body.find('\n', std::max(at, cut.back()));
        cut.push_back(nl == std::string_view::npos ? body.size() : nl + 1);
      }
      cut.push_back(body.size());
      std::vector<int64_t> first_line(static_cast<size_t>(threads));
      first_line[0] = p.body_line;
      for (int t = 1; t < threads; ++t) {
        std::string_view prev = body.substr(cut[t - 1], cut[t] - cut[t - 1]);
        first_line[t] = first_line[t - 1] + std::count(prev.begin(), prev.end(), '\n');
      }
      std::vector<FeedTables> parts(static_cast<size_t>(threads));
      for (int t = 0; t < threads; ++t) {  // one allocation per column instead of repeated growth
        std::string_view part = body.substr(cut[t], cut[t + 1] - cut[t]);
        Reserve(feed, size_t(std::count(part.begin(), part.end(), '\n')) + 1, &parts[t]);
      }
      std::vector<std::vector<Reject>> part_rejects(static_cast<size_t>(threads));
      std::vector<int64_t> totals(static_cast<size_t>(threads)), accepted(static_cast<size_t>(threads));
      std::vector<Status> status(static_cast<size_t>(threads));
      std::vector<std::thread> pool;
      for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
          RejectList rl{&part_rejects[t], options.max_rejects};
          FeedTables* out = &parts[t];
          status[t] = ParseCsvPart(
              spec, p.map, body.substr(cut[t], cut[t + 1] - cut[t]), first_line[t],
              [&](const ParsedRow& r) { AppendRow(feed, r, key(r.id_number), out); }, &totals[t], &accepted[t], &rl);
        });
      }
      for (auto& th : pool) th.join();
      size_t accepted_total = tables->rows(feed);
      for (int t = 0; t < threads; ++t) accepted_total += size_t(accepted[t]);
      Reserve(feed, accepted_total, tables);
      for (int t = 0; t < threads; ++t) {
        DOUDI_RETURN_IF_ERROR(status[t]);
        tables->Append(std::move(parts[t]));
        res.rows_total += totals[t];
        res.rows_accepted += accepted[t];
        for (Reject& r : part_rejects[t]) rejects.Add(r.row, r.column, std::move(r.code), std::move(r.reason));
      }
    }
  }
  FeedStatus& st = tables->status[int(feed)];
  st.present = true;
  int32_t newest = tables->NewestDate(feed);
  st.data_date = newest != kNoDate ? newest : extracted_on;
  return res;
}

}  // namespace doudi::verify::feeds
