#include "tracing/dna/frequencies.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "common/csv.h"
#include "common/embedded.h"
#include "common/text.h"

namespace doudi::dna {

Result<int> ParseAllele(std::string_view text) {
  std::string_view s = Trim(text);
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view part = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  bool ok = !whole.empty() && whole.size() <= 3 && IsAsciiDigits(whole) &&
            (dot == std::string_view::npos || (part.size() == 1 && IsAsciiDigits(part)));
  int value = 0;
  if (ok) {
    std::from_chars(whole.data(), whole.data() + whole.size(), value);
    value = value * 10 + (part.empty() ? 0 : part[0] - '0');
    ok = value > 0;
  }
  if (!ok) {
    return Status::Invalid("dna.allele.malformed",
                           fmt::format("等位基因“{}”格式不对：应为重复数，可带一位小数的微变异（如 15、9.3）", s));
  }
  return value;
}

std::string FormatAllele(int tenths) {
  return tenths % 10 == 0 ? std::to_string(tenths / 10) : fmt::format("{}.{}", tenths / 10, tenths % 10);
}

std::string LocusKey(std::string_view name) {
  std::string key;
  for (char c : Trim(name)) {
    if (c == ' ' || c == '_' || c == '-') continue;
    key.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return key;
}

namespace {

struct Listed {
  int tenths;
  double frequency;
};

Status WithDetails(std::vector<FieldError> errors) {
  Status s = Status::Invalid(errors[0].code, errors.size() == 1 ? errors[0].message
                                                                  : fmt::format("等位基因频率表有 {} 处错误，第一处：{}",
                                                                                errors.size(), errors[0].message));
  for (auto& e : errors) s.add_detail(std::move(e));
  return s;
}

}  // namespace

Result<AlleleFrequencies> AlleleFrequencies::Parse(std::string_view csv, const FrequencyOptions& options) {
  if (!(options.MinFrequency() > 0 && options.MinFrequency() < 1)) {
    return Status::InvalidField("min_frequency", "dna.freq.min_frequency",
                                "最低等位基因频率必须在 0 和 1 之间（检查样本量 N）");
  }
  CsvReader reader(csv, {.skip_comments = true, .require_equal_width = false});
  std::vector<std::string> fields;
  DOUDI_ASSIGN_OR_RETURN(bool has_header, reader.Next(&fields));
  if (!has_header) return Status::Invalid("dna.freq.empty", "等位基因频率表为空：缺少表头行 locus,allele,frequency");
  if (fields.size() != 3 || Trim(fields[0]) != "locus" || Trim(fields[1]) != "allele" ||
      Trim(fields[2]) != "frequency") {
    return Status::Invalid("dna.freq.header",
                           fmt::format("等位基因频率表第 {} 行：表头应为 locus,allele,frequency", reader.line()));
  }

  std::vector<FieldError> errors;
  auto error = [&](int line, std::string_view field, std::string code, std::string why) {
    errors.push_back({fmt::format("第{}行 {}", line, field), std::move(code),
                      fmt::format("等位基因频率表第 {} 行 {} 列：{}", line, field, why)});
  };
  // Loci in file order; alleles per locus with the line that listed them.
  std::vector<std::string> names;
  std::map<std::string, int> by_key;
  std::vector<std::vector<Listed>> listed;
  std::vector<std::map<int, int>> line_of;  // per locus: tenths → line
  std::vector<std::string> bad_loci;        // keys of loci with a rejected row: their sum means nothing
  for (;;) {
    DOUDI_ASSIGN_OR_RETURN(bool more, reader.Next(&fields));
    if (!more) break;
    const int line = reader.line();
    if (fields.size() != 3) {
      error(line, "-", "dna.freq.ragged_row", fmt::format("有 {} 列，应为 3 列", fields.size()));
      continue;
    }
    std::string_view name = Trim(fields[0]);
    std::string key = LocusKey(name);
    if (key.empty()) {
      error(line, "locus", "dna.freq.locus", "基因座名称为空");
      continue;
    }
    auto allele = ParseAllele(fields[1]);
    if (!allele.ok()) {
      error(line, "allele", allele.status().error_code(), allele.status().message());
      bad_loci.push_back(key);
      continue;
    }
    std::string_view ftext = Trim(fields[2]);
    double f = -1;
    auto [end, ec] = std::from_chars(ftext.data(), ftext.data() + ftext.size(), f);
    if (ec != std::errc() || end != ftext.data() + ftext.size() || !(f > 0 && f <= 1)) {
      error(line, "frequency", "dna.freq.value", fmt::format("频率“{}”不是 (0, 1] 之间的数", ftext));
      bad_loci.push_back(key);
      continue;
    }
    auto [it, inserted] = by_key.try_emplace(key, static_cast<int>(names.size()));
    if (inserted) {
      names.emplace_back(name);
      listed.emplace_back();
      line_of.emplace_back();
    }
    const int locus = it->second;
    auto [prev, fresh] = line_of[locus].try_emplace(*allele, line);
    if (!fresh) {
      error(line, "allele", "dna.freq.duplicate",
            fmt::format("基因座 {} 的等位基因 {} 已在第 {} 行出现", names[locus], FormatAllele(*allele), prev->second));
      continue;
    }
    listed[locus].push_back({*allele, f});
  }
  if (names.empty() && errors.empty()) return Status::Invalid("dna.freq.empty", "等位基因频率表没有数据行");

  AlleleFrequencies out;
  out.min_frequency_ = options.MinFrequency();
  for (size_t l = 0; l < names.size(); ++l) {
    double sum = 0;
    for (const Listed& a : listed[l]) sum += a.frequency;
    const bool had_errors = std::find(bad_loci.begin(), bad_loci.end(), LocusKey(names[l])) != bad_loci.end();
    if (had_errors) continue;
    if (std::abs(sum - 1) > options.sum_tolerance) {
      const int first = line_of[l].begin()->second;
      int last = first;
      for (const auto& [t, line] : line_of[l]) last = std::max(last, line);
      errors.push_back({names[l], "dna.freq.sum",
                        fmt::format("等位基因频率表第 {}–{} 行：基因座 {} 的频率之和为 {:.4f}，与 1 相差超过 {}", first,
                                    last, names[l], sum, options.sum_tolerance)});
      continue;
    }
    if (listed[l].size() > static_cast<size_t>(kMaxAllelesPerLocus)) {
      errors.push_back({names[l], "dna.allele.too_many",
                        fmt::format("基因座 {} 列出 {} 个等位基因，超过上限 {}", names[l], listed[l].size(),
                                    kMaxAllelesPerLocus)});
      continue;
    }
    // Most frequent first (ties by designation) so that hot table entries share cache lines.
    std::sort(listed[l].begin(), listed[l].end(), [](const Listed& x, const Listed& y) {
      return x.frequency != y.frequency ? x.frequency > y.frequency : x.tenths < y.tenths;
    });
    LocusAlleles locus;
    locus.name = names[l];
    locus.tenths.push_back(0);
    locus.frequency.push_back(0);
    for (const Listed& a : listed[l]) {
      locus.tenths.push_back(a.tenths);
      locus.frequency.push_back(std::max(a.frequency / sum, out.min_frequency_));
    }
    locus.listed = locus.size();
    out.loci_.push_back(std::move(locus));
  }
  if (!errors.empty()) return WithDetails(std::move(errors));
  return out;
}

Result<AlleleFrequencies> AlleleFrequencies::Default(const FrequencyOptions& options) {
  std::string_view text = EmbeddedFile("data/str/str_allele_freq_chinese.csv");
  if (text.data() == nullptr) return Status::Internal("embedded data/str/str_allele_freq_chinese.csv is missing");
  return Parse(text, options);
}

int AlleleFrequencies::FindLocus(std::string_view name) const {
  std::string key = LocusKey(name);
  for (size_t i = 0; i < loci_.size(); ++i) {
    if (LocusKey(loci_[i].name) == key) return static_cast<int>(i);
  }
  return -1;
}

int AlleleFrequencies::Find(int locus, int tenths) const {
  const std::vector<int>& t = loci_[locus].tenths;
  for (size_t i = 1; i < t.size(); ++i) {
    if (t[i] == tenths) return static_cast<int>(i);
  }
  return 0;
}

Result<int> AlleleFrequencies::Intern(int locus, int tenths) {
  if (int i = Find(locus, tenths)) return i;
  LocusAlleles& l = loci_[locus];
  if (l.size() >= kMaxAllelesPerLocus) {
    return Status::Invalid("dna.allele.too_many", fmt::format("基因座 {} 的等位基因超过 {} 个，无法再加入 {}", l.name,
                                                              kMaxAllelesPerLocus, FormatAllele(tenths)));
  }
  l.tenths.push_back(tenths);
  l.frequency.push_back(min_frequency_);
  return l.size();
}

}  // namespace doudi::dna
