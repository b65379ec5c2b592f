#include "tracing/linkage/model.h"

#include <algorithm>
#include <cmath>

namespace doudi::linkage {

namespace {

const FieldSpec kSpecs[kNumFields] = {
    {"name", "姓名", 7,
     {"same_characters", "same_after_simplified", "same_pinyin", "same_fuzzy_pinyin", "pinyin_jw_0.92",
      "pinyin_jw_0.84", "different"},
     {"汉字完全相同", "繁简转换后相同", "拼音相同（不计声调）", "模糊音相同（z/zh、l/n、an/ang 等）",
      "拼音非常接近（相似度≥0.92）", "拼音接近（相似度≥0.84）", "不同"}},
    {"sex", "性别", 2, {"same", "different"}, {"相同", "不同"}},
    {"age", "年龄", 4,
     {"within_half_tolerance", "within_tolerance", "within_twice_tolerance", "beyond"},
     {"推算年龄非常吻合", "推算年龄在容差内", "推算年龄在两倍容差内", "推算年龄相差过大"}},
    {"height", "身高", 3, {"within_tolerance", "within_twice_tolerance", "beyond"},
     {"身高吻合（已按年龄推算生长）", "身高接近", "身高相差过大"}},
    {"dialect", "口音", 2, {"same", "different"}, {"口音相同", "口音不同"}},
    {"home", "户籍地/自述籍贯", 4, {"same_county", "same_city", "same_province", "different"},
     {"同一县（区）", "同一地市", "同一省份", "不同省份"}},
    {"place", "走失地/发现地", 4, {"same_county", "same_city", "same_province", "different"},
     {"同一县（区）", "同一地市", "同一省份", "不同省份"}},
    {"chronology", "时间先后", 2, {"found_after_lost", "found_before_lost"},
     {"发现日期在走失日期之后", "发现日期早于走失日期（不可能是同一人，除非日期有误）"}},
    {"marks", "体貌特征", 3, {"several_keywords", "one_keyword", "none"},
     {"多个特征关键词相同", "有特征关键词相同", "特征关键词无重合"}},
};

}  // namespace

const FieldSpec& Spec(Field f) { return kSpecs[f]; }

Parameters Parameters::Default() {
  Parameters p;
  p.lambda = 1e-4;
  auto set = [&](Field f, std::initializer_list<double> m, std::initializer_list<double> u) {
    std::copy(m.begin(), m.end(), p.m[f].begin());
    std::copy(u.begin(), u.end(), p.u[f].begin());
  };
  // Expert values: m from the errors seen in reunion cases (names misheard, ages guessed), u from the spread of
  // values among unrelated persons in the same candidate pairs.
  set(kName, {0.72, 0.03, 0.10, 0.05, 0.04, 0.02, 0.04}, {0.0008, 0.0001, 0.0015, 0.003, 0.01, 0.04, 0.9446});
  set(kSex, {0.97, 0.03}, {0.5, 0.5});
  set(kAge, {0.75, 0.17, 0.06, 0.02}, {0.08, 0.08, 0.14, 0.70});
  set(kHeight, {0.80, 0.15, 0.05}, {0.25, 0.25, 0.50});
  set(kDialect, {0.85, 0.15}, {0.20, 0.80});
  set(kHome, {0.75, 0.10, 0.08, 0.07}, {0.002, 0.02, 0.08, 0.898});
  set(kPlace, {0.45, 0.20, 0.15, 0.20}, {0.002, 0.02, 0.08, 0.898});
  set(kChronology, {0.999, 0.001}, {0.6, 0.4});
  set(kMarks, {0.6, 0.3, 0.1}, {0.02, 0.18, 0.8});
  return p;
}

double Parameters::Weight(Field f, int level) const {
  if (level < 0) return 0;
  return std::log2(m[f][level] / u[f][level]);
}

double Parameters::PriorWeight() const { return std::log2(lambda / (1 - lambda)); }

uint64_t PatternKey(const Levels& l) {
  uint64_t k = 0;
  for (int f = 0; f < kNumFields; ++f) k |= static_cast<uint64_t>(l[f] + 1) << (4 * f);
  return k;
}

Levels PatternLevels(uint64_t key) {
  Levels l;
  for (int f = 0; f < kNumFields; ++f) l[f] = static_cast<int8_t>(static_cast<int>((key >> (4 * f)) & 15) - 1);
  return l;
}

EmResult EstimateEm(const std::vector<Pattern>& patterns, const Parameters& start, const EmOptions& o) {
  EmResult r;
  Parameters p = start;
  double total = 0;
  for (const Pattern& pt : patterns) total += pt.count;
  if (total <= 0) {
    r.parameters = p;
    r.converged = true;
    return r;
  }
  const double a = std::max(0.0, o.pseudo_count);
  for (r.iterations = 1; r.iterations <= o.max_iterations; ++r.iterations) {
    std::array<std::array<double, kMaxLevels>, kNumFields> sm{}, su{};
    std::array<double, kNumFields> nm{}, nu{};
    double matches = 0;
    for (const Pattern& pt : patterns) {
      // In log space: a pattern of many disagreeing fields has products far below double's range otherwise.
      double lm = std::log(p.lambda), lu = std::log1p(-p.lambda);
      for (int f = 0; f < kNumFields; ++f) {
        const int l = pt.levels[f];
        if (l < 0) continue;
        lm += std::log(p.m[f][l]);
        lu += std::log(p.u[f][l]);
      }
      const double g = 1.0 / (1.0 + std::exp(lu - lm));  // P(match | pattern)
      const double cm = pt.count * g, cu = pt.count * (1 - g);
      matches += cm;
      for (int f = 0; f < kNumFields; ++f) {
        const int l = pt.levels[f];
        if (l < 0) continue;
        sm[f][l] += cm;
        su[f][l] += cu;
        nm[f] += cm;
        nu[f] += cu;
      }
    }
    Parameters next = p;
    next.lambda = std::clamp(matches / total, o.min_probability, 1 - o.min_probability);
    double moved = std::abs(next.lambda - p.lambda);
    for (int f = 0; f < kNumFields; ++f) {
      if (o.fixed[f]) continue;
      const int n = Spec(static_cast<Field>(f)).levels;
      for (int l = 0; l < n; ++l) {
        double m = (sm[f][l] + a * start.m[f][l]) / (nm[f] + a);
        double u = (su[f][l] + a * start.u[f][l]) / (nu[f] + a);
        if (!(nm[f] + a > 0)) m = p.m[f][l];
        if (!(nu[f] + a > 0)) u = p.u[f][l];
        next.m[f][l] = std::max(m, o.min_probability);
        next.u[f][l] = o.fix_u ? p.u[f][l] : std::max(u, o.min_probability);
        moved = std::max({moved, std::abs(next.m[f][l] - p.m[f][l]), std::abs(next.u[f][l] - p.u[f][l])});
      }
    }
    p = next;
    if (moved < o.tolerance) {
      r.converged = true;
      break;
    }
  }
  r.iterations = std::min(r.iterations, o.max_iterations);
  r.parameters = p;
  return r;
}

}  // namespace doudi::linkage
