#include "tracing/linkage/record.h"

#include <charconv>
#include <cmath>
#include <unordered_set>

#include <fmt/format.h>

#include "common/calendar.h"
#include "common/csv.h"
#include "common/divisions.h"
#include "common/text.h"

namespace doudi::linkage {

namespace {

bool ParseNumber(std::string_view s, double* out) {
  s = Trim(s);
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  auto r = std::from_chars(s.data(), end, *out);
  return r.ec == std::errc() && r.ptr == end && std::isfinite(*out);
}

Result<Sex> ParseSex(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s == "未知" || s == "0" || s == "U" || s == "u") return Sex::kUnknown;
  if (s == "男" || s == "M" || s == "m" || s == "male" || s == "1") return Sex::kMale;
  if (s == "女" || s == "F" || s == "f" || s == "female" || s == "2") return Sex::kFemale;
  return Status::Invalid("linkage.sex", fmt::format("性别“{}”无法识别（应为 男 或 女，未知可留空）", s));
}

Status CheckDivision(std::string_view code) {
  if (code.empty()) return Status::Ok();
  const size_t n = code.size();
  if (!IsAsciiDigits(code) || (n != 2 && n != 4 && n != 6 && n != 9 && n != 12)) {
    return Status::Invalid("linkage.division.format",
                           fmt::format("区划代码“{}”格式不对（应为 2、4、6、9 或 12 位数字）", code));
  }
  std::string_view known = n == 12 ? code.substr(0, 9) : code;
  if (!Divisions::Default().Find(known)) {
    return Status::Invalid("linkage.division.unknown", fmt::format("区划代码“{}”不存在", code));
  }
  return Status::Ok();
}

int32_t DayNumber(Date d) { return static_cast<int32_t>(d.time_since_epoch().count()); }
float YearOf(int32_t day) { return 1970.0f + static_cast<float>(day) / 365.2425f; }

}  // namespace

Result<RecordSet> ParseRecords(std::string_view csv, Side side) {
  CsvOptions options;
  options.require_equal_width = false;  // a short or long row is that row's error, not the file's
  auto table = ParseCsv(csv, options);
  if (!table.ok()) return table.status();
  const bool missing = side == Side::kMissing;
  const std::string_view date_column = missing ? "lost_date" : "found_date";
  const int id_col = table->Column("id"), date_col = table->Column(date_column);
  if (id_col < 0 || date_col < 0) {
    return Status::InvalidField(id_col < 0 ? "id" : std::string(date_column), "csv.missing_column",
                                fmt::format("表头缺少必需的列 {}", id_col < 0 ? "id" : date_column));
  }
  auto col = [&](std::string_view name) { return table->Column(name); };
  const int name_col = col("name"), sex_col = col("sex"), birth_col = col("birth_date"),
            age_col = missing ? col("age_at_lost") : col("estimated_age"), height_col = col("height_cm"),
            home_col = missing ? col("hukou_division") : col("origin_division"),
            place_col = missing ? col("lost_division") : col("found_division"), dialect_col = col("dialect"),
            marks_col = col("marks");

  RecordSet out;
  out.records.reserve(table->rows.size());
  std::unordered_set<std::string> ids;
  const size_t width = table->header.size();
  for (size_t r = 0; r < table->rows.size(); ++r) {
    const auto& row = table->rows[r];
    const int line = table->lines[r];
    auto reject = [&](std::string field, std::string code, std::string_view message) {
      std::string text = fmt::format("第 {} 行 {}：{}", line, field, message);
      out.rejected.push_back({line, std::move(field), std::move(code), std::move(text)});
    };
    if (row.size() != width) {
      out.rejected.push_back({line, "", "csv.ragged_row",
                              fmt::format("第 {} 行有 {} 个字段，表头有 {} 个", line, row.size(), width)});
      continue;
    }
    auto cell = [&](int c) -> std::string_view { return c < 0 ? std::string_view() : Trim(row[c]); };
    Record rec;
    rec.side = side;
    rec.line = line;
    rec.id = std::string(cell(id_col));
    if (rec.id.empty()) {
      reject("id", "linkage.id.empty", "编号为空");
      continue;
    }
    if (!ids.insert(rec.id).second) {
      reject("id", "linkage.id.duplicate", fmt::format("编号 {} 重复", rec.id));
      continue;
    }
    bool bad = false;
    for (int c : {name_col, dialect_col, marks_col}) {
      if (c >= 0 && !IsValidUtf8(row[c])) {
        reject(table->header[c], "linkage.utf8", "不是有效的 UTF-8 文本");
        bad = true;
        break;
      }
    }
    if (bad) continue;
    rec.name = std::string(cell(name_col));
    if (rec.name == "不详" || rec.name == "未知" || rec.name == "无名氏") rec.name.clear();
    auto sex = ParseSex(cell(sex_col));
    if (!sex.ok()) {
      reject("sex", sex.status().error_code(), sex.status().message());
      continue;
    }
    rec.sex = *sex;
    auto date = ParseDate(cell(date_col));
    if (!date.ok()) {
      reject(std::string(date_column), "linkage.date",
             fmt::format("日期“{}”无效（应为 YYYY-MM-DD 的真实日期，且不能为空）", cell(date_col)));
      continue;
    }
    rec.ref_day = DayNumber(*date);
    const float ref_year = YearOf(rec.ref_day);

    if (missing && !cell(birth_col).empty()) {
      auto birth = ParseDate(cell(birth_col));
      if (!birth.ok()) {
        reject("birth_date", "linkage.date", fmt::format("出生日期“{}”无效（应为 YYYY-MM-DD）", cell(birth_col)));
        continue;
      }
      if (*birth > *date) {
        reject("birth_date", "linkage.date.order", "出生日期晚于走失日期");
        continue;
      }
      rec.birth_year = YearOf(DayNumber(*birth));
      rec.birth_uncertainty = 0.1f;
      rec.has_birth = true;
      rec.age = ref_year - rec.birth_year;
    }
    if (std::string_view a = cell(age_col); !a.empty() && !rec.has_birth) {
      double lo = 0, hi = 0;
      const size_t dash = a.find('-');
      const bool ok = dash == std::string_view::npos
                          ? ParseNumber(a, &lo) && ((hi = lo), true)
                          : ParseNumber(a.substr(0, dash), &lo) && ParseNumber(a.substr(dash + 1), &hi);
      if (!ok || lo < 0 || hi > 120 || hi < lo) {
        reject(table->header[age_col], "linkage.age", fmt::format("年龄“{}”无效（0–120 的数字，或 30-40 这样的范围）", a));
        continue;
      }
      const float age = static_cast<float>((lo + hi) / 2);
      rec.age = age;
      rec.birth_year = ref_year - age;
      rec.birth_uncertainty = missing ? 1.0f : EstimatedAgeUncertainty(age) + static_cast<float>(hi - lo) / 2;
      rec.has_birth = true;
    }
    if (std::string_view h = cell(height_col); !h.empty()) {
      double v = 0;
      if (!ParseNumber(h, &v) || v < 30 || v > 250) {
        reject("height_cm", "linkage.height", fmt::format("身高“{}”无效（30–250 厘米）", h));
        continue;
      }
      rec.height_cm = static_cast<float>(v);
    }
    for (auto [c, target] : {std::pair{home_col, &rec.home}, std::pair{place_col, &rec.place}}) {
      if (bad) break;
      std::string_view code = cell(c);
      if (Status s = CheckDivision(code); !s.ok()) {
        reject(table->header[c], s.error_code(), s.message());
        bad = true;
        break;
      }
      *target = std::string(code);
    }
    if (bad) continue;
    rec.dialect = std::string(cell(dialect_col));
    rec.marks = std::string(cell(marks_col));
    out.records.push_back(std::move(rec));
  }
  return out;
}

}  // namespace doudi::linkage
