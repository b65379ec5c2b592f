#include "tracing/linkage/linker.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "tracing/linkage/pinyin.h"

namespace doudi::linkage {
namespace {

std::vector<Record> Parse(std::string_view csv, Side side) {
  auto r = ParseRecords(csv, side);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  for (auto& e : r->rejected) ADD_FAILURE() << e.message;
  return std::move(r->records);
}

TEST(Linkage, AgeToleranceGrowsWithAge) {
  EXPECT_FLOAT_EQ(EstimatedAgeUncertainty(5), 1.5f);
  EXPECT_FLOAT_EQ(EstimatedAgeUncertainty(40), 5.0f);
  EXPECT_FLOAT_EQ(EstimatedAgeUncertainty(70), 8.0f);
  // tol 6: ≤ 3 level 0, ≤ 6 level 1, ≤ 12 level 2, else 3.
  EXPECT_EQ(AgeLevel(1990, 1993, 6), 0);
  EXPECT_EQ(AgeLevel(1990, 1995.5f, 6), 1);
  EXPECT_EQ(AgeLevel(1990, 1978.5f, 6), 2);
  EXPECT_EQ(AgeLevel(1990, 2003, 6), 3);

  // A boy lost in 2000 aged 10 (the family's age: ±1), found in 2020 looking 30 (±1 + 3 = 4): tolerance 5.
  const auto missing = Parse("id,sex,age_at_lost,lost_date\nM1,男,10,2000-06-01\n", Side::kMissing);
  const auto found = Parse(
      "id,sex,estimated_age,found_date\nU30,男,30,2020-06-01\nU33,男,33,2020-06-01\nU38,男,38,2020-06-01\n"
      "U45,男,45,2020-06-01\nU07,男,7,2020-06-01\n",
      Side::kFound);
  ASSERT_EQ(found.size(), 5u);
  EXPECT_NEAR(found[0].birth_uncertainty, 4.0, 1e-5);
  Linker linker(missing, found);
  EXPECT_EQ(linker.Compare(0, 0)[kAge], 0);  // expected 30, looks 30
  EXPECT_EQ(linker.Compare(0, 1)[kAge], 1);  // 3 years off: within 5, not within 2.5 (tol of a 33-year-old: 5.3)
  EXPECT_EQ(linker.Compare(0, 2)[kAge], 2);  // 8 off, tolerance 1 + 4.8 = 5.8: within twice
  EXPECT_EQ(linker.Compare(0, 3)[kAge], 3);  // 15 off, tolerance 1 + 5.5 = 6.5: beyond twice (13)
  EXPECT_EQ(linker.Compare(0, 4)[kAge], 3);  // a child of 7 cannot be him
  EXPECT_EQ(linker.Compare(0, 0)[kChronology], 0);
}

TEST(Linkage, HeightIsProjectedAlongTheGrowthCurveForChildren) {
  EXPECT_FLOAT_EQ(MedianHeight(Sex::kMale, 5), 111);
  EXPECT_FLOAT_EQ(MedianHeight(Sex::kMale, 5.5f), 114.5f);
  EXPECT_FLOAT_EQ(MedianHeight(Sex::kFemale, 40), 160);
  // A boy of median height at 5 (111 cm) found at 10 measuring 141 cm (the median at 10): projected 141.
  EXPECT_EQ(HeightLevel(Sex::kMale, 111, 5, 141, 10), 0);
  // Same boy measuring 111 cm at 10 is 30 cm short of the projection (tolerance 5 + 5 = 10): beyond twice.
  EXPECT_EQ(HeightLevel(Sex::kMale, 111, 5, 111, 10), 2);
  // Adults: tolerance 5 cm.
  EXPECT_EQ(HeightLevel(Sex::kMale, 170, 30, 174, 40), 0);
  EXPECT_EQ(HeightLevel(Sex::kMale, 170, 30, 178, 40), 1);
  EXPECT_EQ(HeightLevel(Sex::kMale, 170, 30, 181, 40), 2);
  // Order does not matter: the younger measurement is projected.
  EXPECT_EQ(HeightLevel(Sex::kMale, 141, 10, 111, 5), 0);
}

TEST(Linkage, PlacesByDivisionCode) {
  EXPECT_EQ(PlaceLevel(ParsePlace("421002"), ParsePlace("421002")), 0);
  EXPECT_EQ(PlaceLevel(ParsePlace("421002001"), ParsePlace("421002")), 0);  // a township within the county
  EXPECT_EQ(PlaceLevel(ParsePlace("421002"), ParsePlace("421003")), 1);     // 沙市区 / 荆州区: same city
  EXPECT_EQ(PlaceLevel(ParsePlace("421002"), ParsePlace("4210")), 1);       // only the city is known
  EXPECT_EQ(PlaceLevel(ParsePlace("421002"), ParsePlace("420102")), 2);     // Wuhan: same province
  EXPECT_EQ(PlaceLevel(ParsePlace("421002"), ParsePlace("42")), 2);
  EXPECT_EQ(PlaceLevel(ParsePlace("421002"), ParsePlace("110101")), 3);
  EXPECT_EQ(ParsePlace("").precision, 0);
  EXPECT_EQ(ParsePlace("420100").precision, 2);
}

TEST(Linkage, MarksByKeywordOverlap) {
  EXPECT_EQ(MarksLevel(MarkKeywords("左眉有痣"), MarkKeywords("左眉上一颗痣")), 0);
  EXPECT_EQ(MarksLevel(MarkKeywords("左手有疤"), MarkKeywords("左脸有痣")), 1);  // only 左
  EXPECT_EQ(MarksLevel(MarkKeywords("右手缺指"), MarkKeywords("左眉痣")), 2);
  EXPECT_EQ(MarkKeywords("胎记"), MarkKeywords("胎记"));
  EXPECT_NE(MarkKeywords("胎记"), MarkKeywords("胎"));  // the longest word is taken
  EXPECT_EQ(MarkKeywords("无"), 0u);
}

TEST(Linkage, NameLevels) {
  const auto missing = Parse("id,name,lost_date\nM1,张小明,2000-01-01\nM2,劉德華,2000-01-01\n", Side::kMissing);
  const auto found = Parse(
      "id,name,found_date\nU1,张小明,2001-01-01\nU2,章晓鸣,2001-01-01\nU3,赵小明,2001-01-01\nU4,刘德华,2001-01-01\n"
      "U5,,2001-01-01\nU6,王芳,2001-01-01\nU7,张晓明,2001-01-01\n",
      Side::kFound);
  Linker linker(missing, found);
  EXPECT_EQ(linker.Compare(0, 0)[kName], 0);  // same characters
  EXPECT_EQ(linker.Compare(1, 3)[kName], 1);  // 劉德華 = 刘德华 after folding
  EXPECT_EQ(linker.Compare(0, 1)[kName], 2);  // zhang xiao ming, other characters
  EXPECT_EQ(linker.Compare(0, 6)[kName], 2);
  // zhao xiao ming vs zhang xiao ming: fuzzy folds differ (zao/zan). Jaro–Winkler of "zhaoxiaoming" (12) and
  // "zhangxiaoming" (13), window 5: 11 matches (the second 'o' finds none), matched orders
  // z h a o x i a m i n g vs z h a x i a o m i n g differ at 4 places → t = 2; Jaro = (11/12 + 11/13 + 9/11)/3 = 0.86033;
  // prefix "zhao"/"zhan" shares 3 → 0.86033 + 0.3·0.13967 = 0.90223 → level 5 (≥ 0.84, < 0.92).
  EXPECT_EQ(linker.Compare(0, 2)[kName], 5);
  EXPECT_EQ(linker.Compare(0, 4)[kName], -1);  // unknown name
  EXPECT_EQ(linker.Compare(0, 5)[kName], 6);
}

TEST(Linkage, FuzzyPinyinLevel) {
  const auto missing = Parse("id,name,lost_date\nM1,陈林,2000-01-01\n", Side::kMissing);
  const auto found = Parse("id,name,found_date\nU1,岑宁,2001-01-01\n", Side::kFound);  // cen ning
  Linker linker(missing, found);
  EXPECT_EQ(linker.Compare(0, 0)[kName], 3);  // chen lin / cen ning → cen lin both
}

TEST(Linkage, WeightsOfASmallExampleWorkedByHand) {
  const auto missing = Parse("id,sex,birth_date,lost_date\nM1,男,1990-01-01,2000-01-01\n", Side::kMissing);
  const auto found = Parse("id,sex,estimated_age,found_date\nU1,男,30,2020-01-01\n", Side::kFound);
  Linker linker(missing, found);
  const Explanation e = linker.Explain(Parameters::Default(), 0, 0);
  // sex same log2(0.97/0.5) = 0.956057, age level 0 log2(0.75/0.08) = 3.228819, found after lost
  // log2(0.999/0.6) = 0.735522; everything else missing: 4.920398. With λ = 1e-4 (prior −13.287568):
  // p = 1/(1 + 2^8.36717) = 0.003019.
  EXPECT_NEAR(e.match_weight, 4.920398, 1e-5);
  EXPECT_NEAR(e.match_probability, 0.003019, 1e-5);
  ASSERT_EQ(e.parts.size(), static_cast<size_t>(kNumFields));
  EXPECT_EQ(e.parts[kName].level, -1);
  EXPECT_EQ(e.parts[kName].weight, 0);
  EXPECT_NEAR(e.parts[kSex].weight, 0.956057, 1e-5);
}

TEST(Linkage, TermFrequencyMakesACommonNameWeighLess) {
  // 王伟 appears in 3 of 6 named records, 单田芳 in 2.
  const auto missing = Parse("id,name,lost_date\nM1,王伟,2000-01-01\nM2,单田芳,2000-01-01\nM3,王伟,2000-01-01\n",
                             Side::kMissing);
  const auto found = Parse("id,name,found_date\nU1,王伟,2001-01-01\nU2,单田芳,2001-01-01\nU3,李娜,2001-01-01\n",
                           Side::kFound);
  Linker linker(missing, found);
  const Parameters p = Parameters::Default();
  // tf adjustment = log2(u_exact / f): 王伟 log2(0.0008 / 0.5) = −9.29 → bounded to −8; 单田芳 log2(0.0008/(2/6))
  // = −8.70 → −8 as well; so use a model with a larger u to see them apart.
  Parameters q = p;
  q.u[kName][0] = 0.05;
  // 王伟: log2(0.05/0.5) = −3.321928; 单田芳: log2(0.05/(1/3)) = −2.736966.
  EXPECT_NEAR(linker.Explain(q, 0, 0).parts[kName].tf, -3.321928, 1e-5);
  EXPECT_NEAR(linker.Explain(q, 1, 1).parts[kName].tf, -2.736966, 1e-5);
  EXPECT_EQ(linker.Explain(q, 0, 2).parts[kName].tf, 0);  // not the same name: no adjustment
  EXPECT_NEAR(linker.Explain(p, 0, 0).parts[kName].tf, -8.0, 1e-9);
}

// Random records from small pools, so that all three rules fire and overlap.
std::vector<Record> RandomRecords(Side side, int n, uint64_t seed) {
  const char* names[] = {"张伟", "章伟", "张维", "王芳", "汪芳", "李娜", "刘洋", "柳洋", "陈静", "程静", "", "岑静"};
  const char* places[] = {"421002", "421003", "4201", "421023", "110101", "", "421081"};
  std::mt19937_64 rng(seed);
  auto pick = [&](int k) { return static_cast<int>(rng() % k); };
  std::vector<Record> out(n);
  for (int i = 0; i < n; ++i) {
    Record& r = out[i];
    r.id = (side == Side::kMissing ? "M" : "U") + std::to_string(i);
    r.side = side;
    r.name = names[pick(12)];
    r.sex = static_cast<Sex>(pick(3));
    r.has_birth = pick(5) != 0;
    r.birth_year = 1950 + pick(60) + pick(10) / 10.0f;
    r.birth_uncertainty = side == Side::kMissing ? 1.0f : 1.0f + pick(80) / 10.0f;
    r.age = 20;
    r.ref_day = 10000 + pick(5000);
    r.home = places[pick(7)];
    r.place = places[pick(7)];
  }
  return out;
}

std::string BlockKey(const std::string& name) {
  auto syl = NamePinyin(name);
  if (syl.empty()) return "";
  std::string k = FuzzyFold(syl[0]) + "|";
  for (size_t i = 1; i < syl.size(); ++i) k += FuzzyFold(syl[i]).substr(0, 1);
  return k;
}

std::set<std::string> Counties(const Record& r) {
  std::set<std::string> c;
  for (const std::string& p : {r.home, r.place}) {
    if (p.size() >= 6 && p.substr(4, 2) != "00") c.insert(p.substr(0, 6));
  }
  return c;
}

// The rule that should produce a pair, worked out from the records directly (0: none).
int ExpectedRule(const Record& a, const Record& b) {
  if (a.sex != Sex::kUnknown && a.sex == b.sex && a.has_birth && b.has_birth &&
      std::abs(a.birth_year - b.birth_year) <= a.birth_uncertainty + b.birth_uncertainty) {
    return 1;
  }
  const std::string ka = BlockKey(a.name), kb = BlockKey(b.name);
  if (!ka.empty() && ka == kb) return 2;
  for (const auto& c : Counties(a)) {
    if (Counties(b).count(c)) return 3;
  }
  return 0;
}

TEST(Linkage, BlockingIsTheUnionOfTheRulesWithoutDuplicates) {
  const auto a = RandomRecords(Side::kMissing, 150, 1);
  const auto b = RandomRecords(Side::kFound, 120, 2);
  Linker linker(a, b);
  int by_rule[4] = {0, 0, 0, 0};
  for (uint32_t j = 0; j < b.size(); ++j) {
    std::map<uint32_t, int> seen;  // a → times produced
    std::map<uint32_t, Rule> rule;
    linker.ForEachCandidate(j, [&](uint32_t i, Rule r) {
      ++seen[i];
      rule[i] = r;
    });
    for (uint32_t i = 0; i < a.size(); ++i) {
      const int expected = ExpectedRule(a[i], b[j]);
      if (expected == 0) {
        EXPECT_EQ(seen.count(i), 0u) << a[i].id << " " << b[j].id;
      } else {
        ASSERT_EQ(seen[i], 1) << a[i].id << " " << b[j].id << " produced more or less than once";
        EXPECT_EQ(static_cast<int>(rule[i]), expected) << a[i].id << " " << b[j].id;
        ++by_rule[expected];
      }
    }
  }
  // The pools make every rule contribute pairs of its own.
  EXPECT_GT(by_rule[1], 100);
  EXPECT_GT(by_rule[2], 100);
  EXPECT_GT(by_rule[3], 100);
}

TEST(Linkage, SelfMatchingProducesEachUnorderedPairOnce) {
  const auto a = RandomRecords(Side::kFound, 100, 3);
  Linker linker(a, a, /*self=*/true);
  std::set<std::pair<uint32_t, uint32_t>> pairs;
  for (uint32_t j = 0; j < a.size(); ++j) {
    linker.ForEachCandidate(j, [&](uint32_t i, Rule) {
      EXPECT_NE(i, j);
      EXPECT_TRUE(pairs.insert({std::min(i, j), std::max(i, j)}).second) << i << " " << j << " twice";
    });
  }
  size_t expected = 0;
  for (uint32_t j = 0; j < a.size(); ++j) {
    for (uint32_t i = 0; i < j; ++i) expected += ExpectedRule(a[i], a[j]) != 0;
  }
  EXPECT_EQ(pairs.size(), expected);
  EXPECT_EQ(linker.Compare(0, 1)[kChronology], -1);  // no lost/found order inside one side
}

TEST(Linkage, ScoreKeepsExactlyTheBestCandidatesAboveTheThreshold) {
  auto a = RandomRecords(Side::kMissing, 200, 4);
  auto b = RandomRecords(Side::kFound, 150, 5);
  for (size_t i = 0; i < a.size(); ++i) a[i].dialect = i % 3 ? "西南官话" : "湘语", a[i].marks = i % 2 ? "左眉痣" : "";
  for (size_t j = 0; j < b.size(); ++j) b[j].dialect = j % 4 ? "西南官话" : "", b[j].marks = j % 3 ? "左眉有痣" : "右手缺指";
  Linker linker(a, b);
  const Parameters p = Parameters::Default();
  for (double threshold : {-5.0, 2.0, 8.0}) {
    for (int threads : {1, 2}) {
      LinkOptions o;
      o.threshold = threshold;
      o.top = 5;
      o.threads = threads;
      LinkStats stats;
      const auto got = linker.Score(p, o, &stats);
      uint64_t pairs = 0;
      for (uint32_t j = 0; j < b.size(); ++j) {
        // Brute force over the candidate pairs with the explanation's weight.
        std::vector<std::pair<double, uint32_t>> all;
        linker.ForEachCandidate(j, [&](uint32_t i, Rule) {
          ++pairs;
          const double w = linker.Explain(p, i, j).match_weight;
          if (w >= threshold) all.push_back({-w, i});
        });
        std::sort(all.begin(), all.end());
        if (all.size() > 5) all.resize(5);
        ASSERT_EQ(got[j].size(), all.size()) << "record " << j << " threshold " << threshold;
        for (size_t k = 0; k < all.size(); ++k) {
          EXPECT_NEAR(got[j][k].weight, -all[k].first, 1e-4);
          EXPECT_EQ(got[j][k].b, j);
        }
      }
      EXPECT_EQ(stats.pairs_total, pairs);
    }
  }
}

}  // namespace
}  // namespace doudi::linkage
