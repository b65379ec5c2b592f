#include "tracing/dna/search.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tracing/dna/simulate.h"

namespace doudi::dna {
namespace {

const AlleleFrequencies& Table() {
  static const AlleleFrequencies f = *AlleleFrequencies::Default();
  return f;
}

// The first `count` loci of the embedded table; 58 means all but SE33, whose 74 alleles are more than the
// vector scan takes (FGA's 33 and Penta E's 35 take its two-permute path).
std::vector<int> Loci(int count) {
  std::vector<int> loci;
  for (int i = 0; i < Table().num_loci() && static_cast<int>(loci.size()) < count; ++i) {
    if (count != 58 || Table().locus(i).name != "SE33") loci.push_back(i);
  }
  return loci;
}

KinshipModel Model(MutationModel kind, double rate = 0.002, double range = 0.1) {
  return *KinshipModel::Build(Table(), {kind, rate, range});
}

// A database of `families` simulated families cycling through every hypothesis, with some loci untyped;
// family i's missing person is missing[i] (in the database's family numbering).
struct World {
  ReferenceDatabase db;
  std::vector<std::vector<Genotype>> missing;  // by family number, as queries
};

World MakeWorld(const KinshipModel& model, int num_loci, int families, uint64_t seed, double drop = 0.1) {
  Simulator sim(model, Loci(num_loci), seed);
  DatabaseBuilder b(sim.loci());
  EXPECT_EQ(static_cast<int>(sim.loci().size()), num_loci);
  std::vector<std::vector<std::vector<Genotype>>> by_hypothesis(kNumHypotheses);
  for (int i = 0; i < families; ++i) {
    const auto h = static_cast<Hypothesis>(i % kNumHypotheses);
    Simulator::Family f = sim.MakeFamily(h);
    sim.DropLoci(&f.first, drop);
    if (!f.second.empty()) sim.DropLoci(&f.second, drop);
    b.AddFamily("F" + std::to_string(i), h, f.first, f.second);
    by_hypothesis[static_cast<int>(h)].push_back(sim.ToQuery(f.missing, Table().num_loci()));
  }
  World w{std::move(b).Build(), {}};
  for (auto& v : by_hypothesis) {  // the database numbers families segment by segment
    for (auto& q : v) w.missing.push_back(std::move(q));
  }
  return w;
}

// The expected answer, by Compare on every family.
std::vector<Hit> BruteForce(const World& w, const KinshipModel& model, std::span<const Genotype> query, int k) {
  const auto& loci = w.db.loci();
  std::vector<Genotype> q(loci.size());
  for (size_t i = 0; i < loci.size(); ++i) q[i] = query[loci[i]];
  std::vector<Hit> all;
  for (uint32_t f = 0; f < w.db.num_families(); ++f) {
    const Hypothesis h = w.db.hypothesis(f);
    auto second = h == Hypothesis::kParents ? w.db.Genotypes(f, 1) : std::vector<Genotype>{};
    all.push_back({Compare(model, h, loci, w.db.Genotypes(f, 0), second, q).log10_lr, f});
  }
  std::sort(all.begin(), all.end(), [](const Hit& x, const Hit& y) {
    return x.log10_lr != y.log10_lr ? x.log10_lr > y.log10_lr : x.family < y.family;
  });
  all.resize(std::min<size_t>(all.size(), k));
  return all;
}

void ExpectSame(const std::vector<Candidate>& got, const std::vector<Hit>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].family, want[i].family) << "rank " << i;
    if (std::isfinite(want[i].log10_lr)) {
      EXPECT_NEAR(got[i].log10_lr, want[i].log10_lr, 1e-9) << "rank " << i;
    } else {
      EXPECT_EQ(got[i].log10_lr, want[i].log10_lr);
    }
  }
}

struct Case {
  MutationModel kind;
  int loci;
  int threads;
  bool vector = true;  // the AVX-512 scan where the CPU has it; false: the portable scalar scan
};

class SearchVsBruteForce : public ::testing::TestWithParam<Case> {};

TEST_P(SearchVsBruteForce, TopTenEqualsComparingEveryFamily) {
  const Case c = GetParam();
  const KinshipModel model = Model(c.kind);
  // 3000 families: several scan blocks per segment, uneven splits between threads.
  World w = MakeWorld(model, c.loci, 3000, 42);
  Searcher searcher(w.db, model, {.top_k = 10, .threads = c.threads, .vector = c.vector});
  Simulator strangers(model, Loci(c.loci), 7);
  std::vector<std::vector<Genotype>> queries = {w.missing[0], w.missing[1234], w.missing[2999],
                                                strangers.ToQuery(strangers.Founder(), Table().num_loci())};
  for (const auto& q : queries) ExpectSame(searcher.Search(q), BruteForce(w, model, q, 10));
}

INSTANTIATE_TEST_SUITE_P(Models, SearchVsBruteForce,
                         ::testing::Values(Case{MutationModel::kNone, 20, 1}, Case{MutationModel::kNone, 20, 2},
                                           Case{MutationModel::kEqual, 20, 2},
                                           Case{MutationModel::kProportional, 15, 3},
                                           Case{MutationModel::kStepwise, 20, 2},
                                           Case{MutationModel::kNone, 20, 2, false},
                                           Case{MutationModel::kEqual, 20, 1, false},
                                           Case{MutationModel::kStepwise, 59, 2, false},
                                           Case{MutationModel::kStepwise, 59, 2, true},
                                           Case{MutationModel::kEqual, 58, 2, true}),
                         [](const auto& info) {
                           return std::string(MutationModelName(info.param.kind)) + "_" +
                                  std::to_string(info.param.loci) + "loci_" + std::to_string(info.param.threads) +
                                  "threads" + (info.param.vector ? "" : "_scalar");
                         });

TEST(Search, ProductsBeyondTheRangeOfADoubleAreSplitIntoGroups) {
  // 30 loci with a very rare allele "11" (p = 2e−6): a person homozygous 11/11 everywhere matches their own
  // profile with LR (1/p²)^30 ≈ 10^342, and a 10/10 child of an 11/11 parent (mutation rate 1e−11) has an LR
  // near 10^−330; neither fits in one double product.
  std::string csv = "locus,allele,frequency\n";
  for (int l = 0; l < 30; ++l) csv += fmt::format("L{0},10,0.999998\nL{0},11,0.000002\n", l);
  auto freq = AlleleFrequencies::Parse(csv, {.min_frequency = 1e-9});
  ASSERT_TRUE(freq.ok());
  auto model = KinshipModel::Build(*freq, {MutationModel::kEqual, 1e-11});
  ASSERT_TRUE(model.ok());
  const Genotype g10 = Genotype::Of(freq->Find(0, 100), freq->Find(0, 100));
  const Genotype g11 = Genotype::Of(freq->Find(0, 110), freq->Find(0, 110));
  const Genotype het = Genotype::Of(freq->Find(0, 100), freq->Find(0, 110));
  std::vector<Genotype> all10(30, g10), all11(30, g11), mixed(30, het);
  for (int l = 0; l < 30; l += 3) mixed[l] = g11;
  DatabaseBuilder b(Loci(30));
  for (Hypothesis h : {Hypothesis::kSelf, Hypothesis::kParent, Hypothesis::kSibling, Hypothesis::kChild}) {
    for (const auto* g : {&all10, &all11, &mixed}) b.AddFamily("", h, *g);
  }
  b.AddFamily("", Hypothesis::kParents, all11, all11);
  b.AddFamily("", Hypothesis::kParents, all10, all11);
  b.AddFamily("", Hypothesis::kParents, all10, all10);
  World w{std::move(b).Build(), {}};
  Searcher searcher(w.db, *model, {.top_k = 100, .threads = 2});
  // Top 2 for the all-11 query: the parents (family 0) and self at 10^342 must beat the sibling at 10^324,
  // which a product overflowing to infinity would not tell apart.
  Searcher top2(w.db, *model, {.top_k = 2, .threads = 2});
  for (const auto* q : {&all10, &all11, &mixed}) {
    ExpectSame(top2.Search(*q), BruteForce(w, *model, *q, 2));
    auto got = searcher.Search(*q);
    ExpectSame(got, BruteForce(w, *model, *q, 100));
    if (q == &all11) {
      EXPECT_GT(got.front().log10_lr, 330);
      EXPECT_EQ(got.front().hypothesis, Hypothesis::kSelf);
    }
    if (q == &all10) {
      EXPECT_LT(got.back().log10_lr, -320);
    }
  }
}

TEST(Search, TrueRelativesComeFirstWithTheirExplanation) {
  const KinshipModel model = Model(MutationModel::kStepwise);
  World w = MakeWorld(model, 20, 2100, 3, 0.0);
  Searcher searcher(w.db, model, {.top_k = 5});
  int tried[kNumHypotheses] = {}, first[kNumHypotheses] = {}, supported = 0;
  for (uint32_t f = 0; f < 2100; f += 7) {
    auto c = searcher.Search(w.missing[f]);
    ASSERT_EQ(c.size(), 5u);
    const int h = static_cast<int>(w.db.hypothesis(f));
    tried[h]++;
    first[h] += c[0].family == f;
    // The per-locus explanation adds up to the combined LR.
    double sum = 0;
    for (const LocusLr& l : c[0].per_locus) sum += std::log10(l.lr);
    EXPECT_NEAR(sum, c[0].log10_lr, 1e-9);
    EXPECT_EQ(c[0].loci_compared, 20);
    EXPECT_EQ(static_cast<int>(c[0].per_locus.size()), 20);
    if (c[0].family == f) supported += c[0].conclusion == Conclusion::kSupported;
    for (size_t i = 1; i < c.size(); ++i) EXPECT_GE(c[i - 1].log10_lr, c[i].log10_lr);
  }
  // With 20 loci among 2,100 families: parents and self are always found first, one parent or a child almost
  // always (a mutation or a chance sibling can outrank them), a full sibling usually.
  auto share = [&](Hypothesis h) { return double(first[int(h)]) / tried[int(h)]; };
  EXPECT_EQ(share(Hypothesis::kParents), 1.0);
  EXPECT_EQ(share(Hypothesis::kSelf), 1.0);
  for (Hypothesis h : {Hypothesis::kFather, Hypothesis::kMother, Hypothesis::kParent, Hypothesis::kChild}) {
    EXPECT_GE(share(h), 0.9) << HypothesisName(h);
  }
  EXPECT_GE(share(Hypothesis::kSibling), 0.7);
  EXPECT_GE(supported, 200);  // of 300
  // The posterior uses the default prior 1 / families.
  auto c = searcher.Search(w.missing[0]);
  EXPECT_NEAR(c[0].posterior, Posterior(c[0].log10_lr, 1.0 / 2100), 1e-15);
}

TEST(Search, AStrangerIsExcludedFromParentsAndNotSupported) {
  const KinshipModel model = Model(MutationModel::kNone);
  World w = MakeWorld(model, 20, 700, 11, 0.0);
  Simulator strangers(model, Loci(20), 99);
  Searcher searcher(w.db, model, {.top_k = 700});
  auto c = searcher.Search(strangers.ToQuery(strangers.Founder(), Table().num_loci()));
  ASSERT_EQ(c.size(), 700u);
  EXPECT_NE(c[0].conclusion, Conclusion::kSupported);
  for (const Candidate& x : c) {
    if (x.hypothesis == Hypothesis::kParents) {
      EXPECT_EQ(x.conclusion, Conclusion::kExcluded);  // 20 loci against two parents: many inconsistencies
      EXPECT_EQ(x.log10_lr, -std::numeric_limits<double>::infinity());
    }
  }
}

TEST(Search, SearchAllEqualsOneByOneAndReportsProgress) {
  const KinshipModel model = Model(MutationModel::kEqual);
  World w = MakeWorld(model, 20, 1400, 5);
  std::vector<std::vector<Genotype>> queries(w.missing.begin(), w.missing.begin() + 40);
  Searcher searcher(w.db, model, {.top_k = 3, .threads = 2});
  size_t calls = 0, last = 0;
  auto all = searcher.SearchAll(queries, [&](size_t done, size_t total) {
    ++calls;
    EXPECT_EQ(total, 40u);
    EXPECT_GT(done, last);
    last = done;
  });
  EXPECT_EQ(calls, 40u);
  ASSERT_EQ(all.size(), 40u);
  for (size_t i = 0; i < queries.size(); ++i) {
    auto one = searcher.Search(queries[i]);
    ASSERT_EQ(all[i].size(), one.size());
    for (size_t j = 0; j < one.size(); ++j) {
      EXPECT_EQ(all[i][j].family, one[j].family);
      EXPECT_EQ(all[i][j].log10_lr, one[j].log10_lr);
    }
  }
}

TEST(Search, QueryLociMissingFromTheDatabaseAreNotCompared) {
  const KinshipModel model = Model(MutationModel::kNone);
  World w = MakeWorld(model, 10, 70, 13, 0.0);  // database: loci 0..9
  Simulator sim(model, Loci(30), 17);
  auto q = sim.ToQuery(sim.Founder(), Table().num_loci());  // query: loci 0..29
  for (int l = 0; l < 5; ++l) q[l] = Genotype{};             // and untyped at 0..4
  Searcher searcher(w.db, model, {.top_k = 70});
  for (const Candidate& c : searcher.Search(q)) {
    EXPECT_LE(c.loci_compared, 5);
    for (const LocusLr& l : c.per_locus) {
      EXPECT_GE(l.locus, 5);
      EXPECT_LT(l.locus, 10);
    }
  }
}

}  // namespace
}  // namespace doudi::dna
