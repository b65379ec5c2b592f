#include "tracing/linkage/block_scan.h"

#include <cstring>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "tracing/linkage/linker.h"

namespace doudi::linkage {
namespace {

uint32_t Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

// Random values drawn from small sets so that equal ids, counties and keywords are frequent, with the edge cases
// the kernels branch on: missing fields (0 / −1), ages 0, 18 and 120, heights of newborns and giants, equal ages
// (the swap of the height projection), uncertainties from 0 to 15 years.
struct Gen {
  std::mt19937 rng;
  explicit Gen(uint32_t seed) : rng(seed) {}
  int I(int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); }
  float U(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng); }
  float Age() {
    switch (I(8)) {
      case 0: return -1;
      case 1: return 0;
      case 2: return 18;
      case 3: return 120;
      case 4: return 7.5f;
      default: return U(0, 100);
    }
  }
  float Height() { return I(3) == 0 ? 0 : I(10) == 0 ? (I(2) ? 45.0f : 230.0f) : U(60, 190); }
  int32_t Code() {
    static const int32_t codes[] = {421002, 421003, 421081, 420102, 110101, 421000, 420000, 0, 500101};
    return codes[I(9)];
  }
  int32_t Marks() { return I(3) == 0 ? 0 : static_cast<int32_t>((1u << I(6)) | (I(2) ? (1u << I(6)) : 0u)); }
  ScanProbe Probe() {
    ScanProbe p;
    p.birth = U(1950, 2020);
    p.unc = I(4) == 0 ? 0.0f : U(0.1f, 15);
    p.age = Age();
    p.height = Height();
    p.sex = I(3);
    p.median = MedianHeight(static_cast<Sex>(p.sex), p.age);
    p.median_unknown = MedianHeight(Sex::kUnknown, p.age);
    p.day = 10000 + I(40);
    p.dialect = I(3), p.raw = I(4), p.simple = I(3), p.pinyin = I(3), p.fuzzy = I(3);
    p.home_code = Code(), p.place_code = Code();
    p.home_city = p.home_code / 100, p.home_province = p.home_code / 10000;
    p.place_city = p.place_code / 100, p.place_province = p.place_code / 10000;
    p.home_precision = p.home_code == 0 ? 0 : 1 + I(3);
    p.place_precision = p.place_code == 0 ? 0 : 1 + I(3);
    p.marks_lo = Marks(), p.marks_hi = Marks();
    p.has_birth = I(5) != 0;
    p.block = I(3);
    return p;
  }
};

ScanColumns RandomColumns(Gen& g, size_t n, const ScanProbe& near) {
  ScanColumns c;
  c.Resize(n);
  for (size_t i = 0; i < n; ++i) {
    ScanProbe x = g.Probe();
    if (g.I(2)) x.birth = near.birth + g.U(-20, 20);  // many within the tolerance
    if (g.I(8) == 0) x.age = near.age;               // equal ages: no swap in the projection
    x.median = MedianHeight(static_cast<Sex>(x.sex), x.age);
    x.median_unknown = MedianHeight(Sex::kUnknown, x.age);
    c.birth[i] = x.birth, c.unc[i] = x.unc, c.age[i] = x.age, c.height[i] = x.height, c.median[i] = x.median;
    c.median_unknown[i] = x.median_unknown, c.day[i] = x.day, c.dialect[i] = x.dialect, c.raw[i] = x.raw;
    c.simple[i] = x.simple, c.pinyin[i] = x.pinyin, c.fuzzy[i] = x.fuzzy;
    c.home_code[i] = x.home_code, c.home_city[i] = x.home_city, c.home_province[i] = x.home_province;
    c.place_code[i] = x.place_code, c.place_city[i] = x.place_city, c.place_province[i] = x.place_province;
    c.marks_lo[i] = x.marks_lo, c.marks_hi[i] = x.marks_hi;
    c.flags[i] = x.sex | x.has_birth << 8 | x.home_precision << 16 | x.place_precision << 24;
    c.block[i] = x.block;
    c.index[i] = static_cast<int32_t>(i);
  }
  return c;
}

struct Out {
  std::vector<uint32_t> a;
  std::vector<float> sum;
  std::vector<int32_t> name;
  size_t n = 0;
  uint64_t pairs = 0;
};

Out RunKernel(ScanKernel k, const ScanColumns& c, const ScanProbe& p, const ScanWeights& w, const ScanFilter& f,
        uint32_t begin, uint32_t end, float floor) {
  Out o;
  o.a.resize(end - begin + 16), o.sum.resize(end - begin + 16), o.name.resize(end - begin + 16);
  o.n = k(c, p, w, f, begin, end, floor, Survivors{o.a.data(), o.sum.data(), o.name.data()}, &o.pairs);
  return o;
}

TEST(BlockScan, VectorKernelsGiveTheScalarKernelsWeightsBitForBit) {
  Gen g(7);
  const Parameters params = Parameters::Default();
  int compared = 0;
  for (int round = 0; round < 400; ++round) {
    const ScanProbe p = g.Probe();
    const size_t n = 1 + static_cast<size_t>(g.I(300));
    const ScanColumns c = RandomColumns(g, n, p);
    std::vector<float> tf[4];
    for (auto& t : tf) {
      t.resize(n);
      for (float& v : t) v = g.I(3) == 0 ? 0.0f : g.U(-8, 8);
    }
    ScanWeights w;
    for (int f = 0; f < kNumFields; ++f) {
      for (int l = 0; l < Spec(static_cast<Field>(f)).levels; ++l) {
        // Expert weights, or random ones (then the sum of eight differs in the last bits by order of addition).
        w.w[f][l + 1] = round % 2 ? static_cast<float>(params.Weight(static_cast<Field>(f), l)) : g.U(-9, 9);
      }
    }
    w.jw_best = std::max({w.w[kName][5], w.w[kName][6], w.w[kName][7]});
    w.chronology = g.I(2);
    w.home_tf = tf[0].data(), w.place_tf = tf[1].data(), w.name_tf0 = tf[2].data(), w.name_tf1 = tf[3].data();
    ScanFilter f;
    f.county = round % 3 == 0;
    if (f.county && g.I(2)) f.skip_county = g.Code();
    if (f.county && g.I(3) == 0) f.below = g.I(static_cast<int>(n) + 1);
    const uint32_t begin = static_cast<uint32_t>(g.I(static_cast<int>(std::min<size_t>(n, 20))));
    const uint32_t end = static_cast<uint32_t>(n - static_cast<size_t>(g.I(static_cast<int>(std::min<size_t>(n - begin, 20)))));
    // floor −∞: every candidate leaves the kernel with its weight; then a floor that cuts.
    for (float floor : {-std::numeric_limits<float>::infinity(), g.U(-10, 15)}) {
      const Out ref = RunKernel(ScanScalar, c, p, w, f, begin, end, floor);
      for (ScanIsa isa : {ScanIsa::kAvx2, ScanIsa::kAvx512}) {
        if (!ScanIsaSupported(isa)) continue;
        const Out got = RunKernel(ScanKernelFor(isa), c, p, w, f, begin, end, floor);
        ASSERT_EQ(got.pairs, ref.pairs) << ScanIsaName(isa) << " round " << round;
        ASSERT_EQ(got.n, ref.n) << ScanIsaName(isa) << " round " << round;
        for (size_t k = 0; k < ref.n; ++k) {
          ASSERT_EQ(got.a[k], ref.a[k]) << ScanIsaName(isa) << " round " << round;
          ASSERT_EQ(Bits(got.sum[k]), Bits(ref.sum[k])) << ScanIsaName(isa) << " round " << round << " a " << ref.a[k];
          ASSERT_EQ(got.name[k], ref.name[k]) << ScanIsaName(isa) << " round " << round;
          ++compared;
        }
      }
    }
  }
  if (ScanIsaSupported(ScanIsa::kAvx2)) {
    EXPECT_GT(compared, 10000);
  }
}

// The scalar kernel against values worked out by hand: one pair, every field present.
TEST(BlockScan, ScalarKernelWeighsAPairLikeTheModel) {
  ScanProbe p;
  p.birth = 1990, p.unc = 4, p.age = 30, p.height = 170, p.sex = 1, p.has_birth = 1;
  p.median = MedianHeight(Sex::kMale, 30), p.median_unknown = MedianHeight(Sex::kUnknown, 30);
  p.day = 100, p.dialect = 5, p.raw = 9, p.simple = 9, p.pinyin = 9, p.fuzzy = 9;
  p.home_code = 421002, p.home_city = 4210, p.home_province = 42, p.home_precision = 3;
  p.place_code = 421003, p.place_city = 4210, p.place_province = 42, p.place_precision = 3;
  p.marks_lo = 0b11, p.marks_hi = 0;
  ScanColumns c;
  c.Resize(1);
  // A report 3 years off (tolerance 1 + 4 = 5: level 1), 178 cm at 20 (adult: tolerance 5, 8 cm off: level 1),
  // same dialect, same home county, other county of the same city lost, one common mark, same name characters.
  c.birth[0] = 1993, c.unc[0] = 1, c.age[0] = 20, c.height[0] = 178;
  c.median[0] = MedianHeight(Sex::kMale, 20), c.median_unknown[0] = MedianHeight(Sex::kUnknown, 20);
  c.day[0] = 50, c.dialect[0] = 5, c.raw[0] = 9, c.simple[0] = 9, c.pinyin[0] = 9, c.fuzzy[0] = 9;
  c.home_code[0] = 421002, c.home_city[0] = 4210, c.home_province[0] = 42;
  c.place_code[0] = 421002, c.place_city[0] = 4210, c.place_province[0] = 42;
  c.marks_lo[0] = 0b1, c.flags[0] = 1 | 1 << 8 | 3 << 16 | 3 << 24;
  ScanWeights w;
  // Weight of level l of field f: 10·f + l (so the sum says which levels were taken).
  for (int f = 0; f < kNumFields; ++f) {
    for (int l = 0; l < kMaxLevels; ++l) w.w[f][l + 1] = static_cast<float>(10 * f + l);
  }
  w.chronology = true;
  const float home_tf = 0.5f, place_tf = 0.25f, tf0 = 2, tf1 = 0;
  w.home_tf = &home_tf, w.place_tf = &place_tf, w.name_tf0 = &tf0, w.name_tf1 = &tf1;
  const Out o = RunKernel(ScanScalar, c, p, w, ScanFilter{}, 0, 1, -1000);
  ASSERT_EQ(o.n, 1u);
  EXPECT_EQ(o.pairs, 1u);
  // sex 10 + age 21 + height 31 + dialect 40 + home 50 + place 61 (same city) + chronology 70 (found after lost)
  // + marks 81 (one keyword) + home tf 0.5 (place differs: no tf) = 364.5
  EXPECT_EQ(o.sum[0], 364.5f);
  EXPECT_EQ(o.name[0], 0);
  for (ScanIsa isa : {ScanIsa::kAvx2, ScanIsa::kAvx512}) {
    if (!ScanIsaSupported(isa)) continue;
    const Out v = RunKernel(ScanKernelFor(isa), c, p, w, ScanFilter{}, 0, 1, -1000);
    ASSERT_EQ(v.n, 1u);
    EXPECT_EQ(v.sum[0], 364.5f);
  }
}

// Random records through the whole linker: the per-pair path (the code every rule used before the block scan)
// and the block scan with each kernel give the same candidates, rules and weight bits, every pair kept.
std::vector<Record> RandomRecords(std::mt19937& rng, size_t n, Side side) {
  static const char* kNames[] = {"王伟", "王维", "李娜", "张伟", "刘洋", "陳靜", "陈静", "", "", "赵丽", "王小明", "黄勇"};
  static const char* kCodes[] = {"421002", "421003", "421081", "4210", "420102", "42", "110101", "", "421002001"};
  static const char* kMarks[] = {"左眉有痣", "右手缺指", "额头有疤", "", "", "左脸胎记 右手缺指"};
  std::vector<Record> out(n);
  for (size_t i = 0; i < n; ++i) {
    Record& r = out[i];
    r.id = std::to_string(i);
    r.side = side;
    r.name = kNames[rng() % std::size(kNames)];
    r.sex = static_cast<Sex>(rng() % 3);
    r.ref_day = 10000 + static_cast<int32_t>(rng() % 3000);
    const int kind = static_cast<int>(rng() % 6);
    r.has_birth = kind != 0;
    r.age = kind == 0 ? -1.0f : kind == 1 ? 0.0f : kind == 2 ? 95.0f : static_cast<float>(rng() % 60) + 0.5f;
    r.birth_year = r.has_birth ? 1970.0f + static_cast<float>(r.ref_day) / 365.2425f - std::max(r.age, 0.0f) : 0;
    r.birth_uncertainty = side == Side::kFound ? EstimatedAgeUncertainty(std::max(r.age, 0.0f)) : (rng() % 2 ? 0.1f : 1.0f);
    r.height_cm = rng() % 3 == 0 ? 0 : 50.0f + static_cast<float>(rng() % 140);
    r.home = kCodes[rng() % std::size(kCodes)];
    r.place = kCodes[rng() % std::size(kCodes)];
    r.dialect = rng() % 3 == 0 ? "" : rng() % 2 ? "西南官话" : "江淮官话";
    r.marks = kMarks[rng() % std::size(kMarks)];
  }
  return out;
}

void ExpectSameResults(const std::vector<std::vector<Candidate>>& x, const std::vector<std::vector<Candidate>>& y,
                       const char* what) {
  ASSERT_EQ(x.size(), y.size()) << what;
  for (size_t b = 0; b < x.size(); ++b) {
    ASSERT_EQ(x[b].size(), y[b].size()) << what << " probe " << b;
    for (size_t k = 0; k < x[b].size(); ++k) {
      ASSERT_EQ(x[b][k].a, y[b][k].a) << what << " probe " << b;
      ASSERT_EQ(Bits(x[b][k].weight), Bits(y[b][k].weight)) << what << " probe " << b;
      ASSERT_EQ(x[b][k].rule, y[b][k].rule) << what << " probe " << b;
    }
  }
}

TEST(BlockScan, LinkerGivesTheSameResultsPairByPairAndByEveryKernel) {
  std::mt19937 rng(11);
  const auto missing = RandomRecords(rng, 1000, Side::kMissing);
  const auto found = RandomRecords(rng, 200, Side::kFound);
  for (bool self : {false, true}) {
    Linker linker(missing, self ? missing : found, self);
    for (double threshold : {-1000.0, 5.0}) {
      LinkOptions o;
      o.threshold = threshold;
      o.top = threshold < 0 ? 100000 : 5;  // every candidate pair kept, then a top-5 cut
      o.threads = 2;
      o.block_scan = false;
      LinkStats ref_stats;
      const auto ref = linker.Score(Parameters::Default(), o, &ref_stats);
      EXPECT_EQ(ref_stats.scan, "per_pair");
      size_t kept = 0;
      for (const auto& c : ref) kept += c.size();
      if (threshold < 0) {
        EXPECT_EQ(kept, ref_stats.pairs_total);  // every candidate pair is in the comparison
        EXPECT_GT(ref_stats.pairs[1], 1000u);
        EXPECT_GT(ref_stats.pairs[3], 1000u);
      }
      for (ScanIsa isa : {ScanIsa::kScalar, ScanIsa::kAvx2, ScanIsa::kAvx512}) {
        if (!ScanIsaSupported(isa)) continue;
        o.block_scan = true;
        o.scan_isa = isa;
        LinkStats stats;
        const auto got = linker.Score(Parameters::Default(), o, &stats);
        EXPECT_EQ(stats.scan, ScanIsaName(isa));
        for (int r = 1; r <= 3; ++r) EXPECT_EQ(stats.pairs[r], ref_stats.pairs[r]) << ScanIsaName(isa) << " rule " << r;
        ExpectSameResults(ref, got, std::string(ScanIsaName(isa)).c_str());
      }
    }
  }
}

}  // namespace
}  // namespace doudi::linkage
