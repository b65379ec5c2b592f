#include "common/divisions.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "common/calendar.h"
#include "common/csv.h"
#include "common/embedded.h"
#include "common/text.h"

namespace doudi {

namespace {

int LevelOfLength(size_t n) {
  switch (n) {
    case 2: return 1;
    case 4: return 2;
    case 6: return 3;
    case 9: return 4;
    default: return 0;
  }
}

size_t LengthOfLevel(int level) { return level == 1 ? 2 : level == 2 ? 4 : level == 3 ? 6 : 9; }

// County-level and township codes whose digits 5–6 are 7x are NBS statistical units (开发区, 管理区 ...).
bool IsStatisticalCode(std::string_view code) { return code.size() >= 6 && code[4] == '7'; }

// Names of levels that only hold the table together and read badly in an address.
bool IsPlaceholderName(std::string_view name) {
  return name == "市辖区" || name == "县" || name == "省直辖县级行政区划" || name == "自治区直辖县级行政区划";
}

bool IsIsoDate(std::string_view s) { return s.empty() || ParseDate(s).ok(); }

struct Source {
  std::string_view file;  // for messages
  std::string_view text;
  int level;              // 0 = historical (level from the code's length)
  std::string_view parent_column;
};

Status BadRow(std::string_view file, int line, std::string_view why) {
  return Status::Invalid("division.bad_data", fmt::format("区划数据 {} 第 {} 行：{}", file, line, why));
}

Status Load(const Source& src, std::vector<Division>* out) {
  if (Trim(src.text).empty()) return Status::Ok();
  DOUDI_ASSIGN_OR_RETURN(CsvTable table, ParseCsv(src.text));
  std::vector<std::string_view> names = {"code", "name"};
  if (!src.parent_column.empty()) names.push_back(src.parent_column);
  if (src.level == 0) {
    names.insert(names.end(), {"valid_from", "valid_until", "successor"});
  }
  DOUDI_ASSIGN_OR_RETURN(std::vector<int> col, CsvColumns(table, names));
  out->reserve(out->size() + table.rows.size());
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const auto& row = table.rows[i];
    const int line = table.lines[i];
    Division d;
    d.code = std::string(Trim(row[col[0]]));
    d.name = std::string(Trim(row[col[1]]));
    d.level = src.level ? src.level : LevelOfLength(d.code.size());
    if (!IsAsciiDigits(d.code) || d.level == 0 || d.code.size() != LengthOfLevel(d.level)) {
      return BadRow(src.file, line, fmt::format("代码“{}”的位数不对", d.code));
    }
    if (d.name.empty()) return BadRow(src.file, line, "名称为空");
    if (col.size() > 2) d.parent = std::string(Trim(row[col[2]]));
    if (d.level == 1 ? !d.parent.empty()
                     : (d.parent.size() != LengthOfLevel(d.level - 1) || !d.code.starts_with(d.parent))) {
      return BadRow(src.file, line, fmt::format("上级代码“{}”与代码“{}”不符", d.parent, d.code));
    }
    if (src.level == 0) {
      d.valid_from = std::string(Trim(row[col[3]]));
      d.valid_until = std::string(Trim(row[col[4]]));
      d.successor = std::string(Trim(row[col[5]]));
      if (d.valid_until.empty()) return BadRow(src.file, line, "历史代码缺少 valid_until");
      if (!IsIsoDate(d.valid_from) || !IsIsoDate(d.valid_until)) {
        return BadRow(src.file, line, "日期应为 YYYY-MM-DD");
      }
      if (!d.valid_from.empty() && d.valid_from > d.valid_until) {
        return BadRow(src.file, line, "valid_from 晚于 valid_until");
      }
    }
    d.statistical = d.level >= 3 && IsStatisticalCode(d.code);
    out->push_back(std::move(d));
  }
  return Status::Ok();
}

}  // namespace

const Divisions& Divisions::Default() {
  static const Divisions* divisions = [] {
    auto d = FromCsv(EmbeddedFile("data/divisions/provinces.csv"), EmbeddedFile("data/divisions/cities.csv"),
                     EmbeddedFile("data/divisions/areas.csv"), EmbeddedFile("data/divisions/streets.csv"),
                     EmbeddedFile("data/divisions/historical.csv"));
    if (!d.ok()) {
      // The tables are compiled in and covered by tests; failing here is a build defect, not an input error.
      std::fprintf(stderr, "doudi: embedded division table is invalid: %s\n", d.status().ToString().c_str());
      std::abort();
    }
    return new Divisions(std::move(d).value());
  }();
  return *divisions;
}

Result<Divisions> Divisions::FromCsv(std::string_view provinces, std::string_view cities, std::string_view areas,
                                     std::string_view streets, std::string_view historical) {
  Divisions out;
  const Source sources[] = {
      {"provinces.csv", provinces, 1, ""},
      {"cities.csv", cities, 2, "provinceCode"},
      {"areas.csv", areas, 3, "cityCode"},
      {"streets.csv", streets, 4, "areaCode"},
      {"historical.csv", historical, 0, "parent"},
  };
  for (const auto& src : sources) DOUDI_RETURN_IF_ERROR(Load(src, &out.all_));
  std::sort(out.all_.begin(), out.all_.end(),
            [](const Division& a, const Division& b) { return a.code < b.code; });
  for (size_t i = 1; i < out.all_.size(); ++i) {
    if (out.all_[i].code == out.all_[i - 1].code) {
      return Status::Invalid("division.bad_data", fmt::format("区划代码 {} 重复", out.all_[i].code));
    }
  }
  for (const auto& d : out.all_) {
    if (!d.parent.empty() && !out.Find(d.parent)) {
      return Status::Invalid("division.bad_data", fmt::format("区划代码 {} 的上级 {} 不存在", d.code, d.parent));
    }
    if (!d.successor.empty() && !out.Find(d.successor)) {
      return Status::Invalid("division.bad_data",
                             fmt::format("历史区划代码 {} 的继承代码 {} 不存在", d.code, d.successor));
    }
  }
  return out;
}

const Division* Divisions::Find(std::string_view code) const {
  auto it = std::lower_bound(all_.begin(), all_.end(), code,
                             [](const Division& d, std::string_view c) { return d.code < c; });
  if (it == all_.end() || it->code != code) return nullptr;
  return &*it;
}

bool Divisions::ValidOn(std::string_view code, std::string_view date) const {
  if (code.size() == 12 && IsAsciiDigits(code)) code = code.substr(0, 9);  // a village: its township decides
  if (!date.empty() && !ParseDate(date).ok()) return false;
  const Division* d = Find(code);
  if (!d) return false;
  for (; d; d = d->parent.empty() ? nullptr : Find(d->parent)) {
    if (date.empty()) {
      if (!d->valid_until.empty()) return false;
    } else {
      if (!d->valid_from.empty() && date < d->valid_from) return false;
      if (!d->valid_until.empty() && date > d->valid_until) return false;
    }
  }
  return true;
}

bool Divisions::InUseOnOrAfter(std::string_view code, std::string_view date) const {
  if (code.size() == 12 && IsAsciiDigits(code)) code = code.substr(0, 9);
  if (!ParseDate(date).ok()) return false;
  const Division* d = Find(code);
  if (!d) return false;
  for (; d; d = d->parent.empty() ? nullptr : Find(d->parent)) {
    if (!d->valid_until.empty() && date > d->valid_until) return false;
  }
  return true;
}

std::string Divisions::FullName(std::string_view code) const {
  if (code.size() == 12 && IsAsciiDigits(code)) code = code.substr(0, 9);
  std::vector<const Division*> chain;
  for (const Division* d = Find(code); d; d = d->parent.empty() ? nullptr : Find(d->parent)) chain.push_back(d);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    // The division itself is always named, even when its own name is a placeholder.
    if (IsPlaceholderName((*it)->name) && *it != chain.front()) continue;
    if (!out.empty()) out += ' ';
    out += (*it)->name;
  }
  return out;
}

std::vector<const Division*> Divisions::Children(std::string_view code) const {
  std::vector<const Division*> out;
  const size_t child_length = code.empty() ? 2 : LengthOfLevel(LevelOfLength(code.size()) + 1);
  if (!code.empty() && LevelOfLength(code.size()) == 0) return out;
  // All descendants share the prefix `code`, so they form one range of the sorted table.
  auto it = std::lower_bound(all_.begin(), all_.end(), code,
                             [](const Division& d, std::string_view c) { return d.code < c; });
  for (; it != all_.end() && std::string_view(it->code).starts_with(code); ++it) {
    if (it->code.size() == child_length && it->parent == code && it->valid_until.empty()) out.push_back(&*it);
  }
  return out;
}

Status Divisions::CheckCurrent(std::string_view code, const std::string& field) const {
  std::string_view c = Trim(code);
  if (!IsAsciiDigits(c) || (LevelOfLength(c.size()) == 0 && c.size() != 12)) {
    return Status::InvalidField(field, "division.format",
                                fmt::format("行政区划代码“{}”格式不对（应为 2、4、6、9 或 12 位数字）", code));
  }
  std::string_view lookup = c.size() == 12 ? c.substr(0, 9) : c;
  const Division* d = Find(lookup);
  if (!d) {
    return Status::InvalidField(field, "division.unknown", fmt::format("行政区划代码 {} 不存在", c));
  }
  if (!ValidOn(lookup, "")) {
    const Division* retired = d;
    while (retired->valid_until.empty() && !retired->parent.empty()) retired = Find(retired->parent);
    std::string msg = fmt::format("行政区划代码 {}（{}）已于 {} 撤销", retired->code, retired->name, retired->valid_until);
    if (!retired->successor.empty()) {
      msg += fmt::format("，现为 {}（{}）", retired->successor, FullName(retired->successor));
    }
    return Status::InvalidField(field, "division.historical", msg);
  }
  return Status::Ok();
}

}  // namespace doudi
