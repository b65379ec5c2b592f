#include "tracing/dna/lr.h"

#include <cmath>
#include <map>

#include <gtest/gtest.h>

namespace doudi::dna {
namespace {

// A five-allele test locus whose frequencies sum to exactly 1. Indices follow descending frequency:
// 1 = "10" (0.3), 2 = "11" (0.25), 3 = "9.3" (0.2), 4 = "12" (0.15), 5 = "9" (0.1).
constexpr char kFreq[] =
    "locus,allele,frequency\n"
    "T,9,0.1\nT,9.3,0.2\nT,10,0.3\nT,11,0.25\nT,12,0.15\n"
    "D3S1358,15,0.3493\nD3S1358,16,0.3\nD3S1358,17,0.2\nD3S1358,18,0.1507\n";

AlleleFrequencies Freq() {
  auto f = AlleleFrequencies::Parse(kFreq);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return std::move(f).value();
}

int Idx(const AlleleFrequencies& f, int locus, std::string_view allele) { return f.Find(locus, *ParseAllele(allele)); }
Genotype G(const AlleleFrequencies& f, int locus, std::string_view x, std::string_view y) {
  return Genotype::Of(Idx(f, locus, x), Idx(f, locus, y));
}

KinshipModel Model(const AlleleFrequencies& f, MutationModel kind, double rate = 0.002, double range = 0.1) {
  auto m = KinshipModel::Build(f, {kind, rate, range});
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return std::move(m).value();
}

// --- Values worked by hand from the textbook formulas (no mutation) -------------------------------------------

TEST(LrByHand, DuoChildHeterozygoteSharingOneAllele) {
  auto f = Freq();
  auto m = Model(f, MutationModel::kNone);
  const int l = f.FindLocus("D3S1358");
  // Child 15/17, alleged parent 15/16: the parent passes 15 with probability 1/2, the other parent 17 with p17;
  // LR = (1/2 · p17) / (2 · p15 · p17) = 1 / (4 · p15).
  EXPECT_NEAR(DuoLr(m.locus(l), G(f, l, "15", "16"), G(f, l, "15", "17")), 1 / (4 * 0.3493), 1e-12);
  // Parent 15/15 passes 15 always: 1 / (2 · p15).
  EXPECT_NEAR(DuoLr(m.locus(l), G(f, l, "15", "15"), G(f, l, "15", "17")), 1 / (2 * 0.3493), 1e-12);
  // Child 15/15, parent 15/16: (1/2 · p15) / p15² = 1 / (2 · p15).
  EXPECT_NEAR(DuoLr(m.locus(l), G(f, l, "15", "16"), G(f, l, "15", "15")), 1 / (2 * 0.3493), 1e-12);
  // Child 15/16, parent 15/16: (1/2 p16 + 1/2 p15) / (2 p15 p16) = (p15 + p16) / (4 p15 p16).
  EXPECT_NEAR(DuoLr(m.locus(l), G(f, l, "15", "16"), G(f, l, "15", "16")), (0.3493 + 0.3) / (4 * 0.3493 * 0.3), 1e-12);
  // No shared allele: excluded.
  EXPECT_EQ(DuoLr(m.locus(l), G(f, l, "16", "18"), G(f, l, "15", "17")), 0);
  // Child: symmetric without mutation.
  EXPECT_NEAR(ChildLr(m.locus(l), G(f, l, "15", "16"), G(f, l, "15", "17")), 1 / (4 * 0.3493), 1e-12);
}

TEST(LrByHand, EmbeddedTableIsNormalisedBeforeUse) {
  auto f = AlleleFrequencies::Default();
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto m = Model(*f, MutationModel::kNone);
  const int l = f->FindLocus("D3S1358");
  // The table lists p15 = 0.3493 and its D3S1358 frequencies sum to 0.9998.
  const double p15 = 0.3493 / 0.9998;
  EXPECT_NEAR(DuoLr(m.locus(l), G(*f, l, "15", "16"), G(*f, l, "15", "17")), 1 / (4 * p15), 1e-9);
}

TEST(LrByHand, ParentsTrioSiblingIdentity) {
  auto f = Freq();
  auto m = Model(f, MutationModel::kNone);
  const int l = f.FindLocus("D3S1358");
  const double p15 = 0.3493, p16 = 0.3, p17 = 0.2, p18 = 0.1507;
  const LocusModel& lm = m.locus(l);
  // Father 15/16 passes 15 (1/2), mother 17/17 passes 17 (1): (1/2) / (2 p15 p17).
  EXPECT_NEAR(ParentsLr(lm, G(f, l, "15", "16"), G(f, l, "17", "17"), G(f, l, "15", "17")), 1 / (4 * p15 * p17),
              1e-12);
  // Both parents 15/17, child 15/17: (1/4 + 1/4) / (2 p15 p17).
  EXPECT_NEAR(ParentsLr(lm, G(f, l, "15", "17"), G(f, l, "15", "17"), G(f, l, "15", "17")), 1 / (4 * p15 * p17),
              1e-12);
  EXPECT_EQ(ParentsLr(lm, G(f, l, "15", "16"), G(f, l, "16", "16"), G(f, l, "15", "17")), 0);
  // Trio: mother 15/15 (known) must have passed 15, so the alleged father 17/18 passed 17: PI = 1/(2 p17).
  EXPECT_NEAR(TrioLr(lm, G(f, l, "15", "15"), G(f, l, "17", "18"), G(f, l, "15", "17")), 1 / (2 * p17), 1e-12);
  // Child 15/17 with mother 15/17: paternal 15 or 17; alleged father 17/18 passes 17 with 1/2:
  // PI = (1/2·1/2) / (1/2·(p15 + p17)) = 1 / (2 (p15 + p17)).
  EXPECT_NEAR(TrioLr(lm, G(f, l, "15", "17"), G(f, l, "17", "18"), G(f, l, "15", "17")), 1 / (2 * (p15 + p17)), 1e-12);
  EXPECT_TRUE(std::isnan(TrioLr(lm, G(f, l, "16", "16"), G(f, l, "17", "18"), G(f, l, "15", "17"))));
  // Full siblings with the same heterozygous genotype: (1 + p1 + p2 + 2 p1 p2) / (8 p1 p2).
  EXPECT_NEAR(SiblingLr(lm, G(f, l, "15", "16"), G(f, l, "15", "16")),
              (1 + p15 + p16 + 2 * p15 * p16) / (8 * p15 * p16), 1e-12);
  // Sharing one allele (15/16 vs 15/18): (1 + 2 p15) / (8 p15).
  EXPECT_NEAR(SiblingLr(lm, G(f, l, "15", "16"), G(f, l, "15", "18")), (1 + 2 * p15) / (8 * p15), 1e-12);
  // Sharing none: 1/4.
  EXPECT_NEAR(SiblingLr(lm, G(f, l, "15", "16"), G(f, l, "17", "18")), 0.25, 1e-12);
  // Same homozygote: (1 + p)² / (4 p²).
  EXPECT_NEAR(SiblingLr(lm, G(f, l, "18", "18"), G(f, l, "18", "18")), (1 + p18) * (1 + p18) / (4 * p18 * p18),
              1e-12);
  EXPECT_NEAR(IdentityLr(lm, G(f, l, "15", "17"), G(f, l, "15", "17")), 1 / (2 * p15 * p17), 1e-12);
  EXPECT_EQ(IdentityLr(lm, G(f, l, "15", "16"), G(f, l, "15", "17")), 0);
  // Untyped on either side: LR 1.
  EXPECT_EQ(DuoLr(lm, Genotype{}, G(f, l, "15", "17")), 1);
  EXPECT_EQ(SiblingLr(lm, G(f, l, "15", "17"), Genotype{}), 1);
}

TEST(LrByHand, DuoWithEqualMutation) {
  auto f = Freq();
  const int l = f.FindLocus("T");  // n = 5
  auto m = Model(f, MutationModel::kEqual, 0.01);
  // Child 10/11, parent 12/12 (inconsistent). M[12][10] = M[12][11] = R/(n−1) = 0.0025. The untested other
  // parent passes y with π(y) = Σ p_x M[x][y] = p_y (1 − R) + (1 − p_y) R/4.
  const double r = 0.01, q = r / 4;
  auto pi = [&](double p) { return p * (1 - r) + (1 - p) * q; };
  const double num = q * pi(0.25) + q * pi(0.3);
  EXPECT_NEAR(DuoLr(m.locus(l), G(f, l, "12", "12"), G(f, l, "10", "11")), num / (2 * 0.3 * 0.25), 1e-15);
}

// --- Every closed form against a brute-force enumeration of transmitted alleles ------------------------------

using Dist = std::map<std::pair<int, int>, double>;  // unordered child genotype (x ≤ y) → probability

// A parent: a typed genotype, or an untested founder whose two alleles are drawn from p.
struct Source {
  bool founder = false;
  int a = 0, b = 0;
};

// Every way a parent can pass on an allele: (founder alleles ×) which allele × what it mutates into.
std::vector<std::pair<int, double>> Transmissions(const LocusModel& lm, const std::vector<double>& mat, Source s) {
  const int n = lm.n();
  std::vector<std::pair<int, double>> out;
  auto pass = [&](int a, int b, double w) {
    for (int x : {a, b}) {
      for (int y = 1; y <= n; ++y) {
        double pr = w * 0.5 * mat[x * (n + 1) + y];
        if (pr > 0) out.push_back({y, pr});
      }
    }
  };
  if (!s.founder) {
    pass(s.a, s.b, 1);
  } else {
    for (int a = 1; a <= n; ++a) {
      for (int b = 1; b <= n; ++b) pass(a, b, lm.p(a) * lm.p(b));
    }
  }
  return out;
}

Dist ChildOf(const LocusModel& lm, const std::vector<double>& mat, Source father, Source mother) {
  Dist d;
  for (auto [x, px] : Transmissions(lm, mat, father)) {
    for (auto [y, py] : Transmissions(lm, mat, mother)) d[{std::min(x, y), std::max(x, y)}] += px * py;
  }
  return d;
}

double Pop(const LocusModel& lm, int a, int b) { return a == b ? lm.p(a) * lm.p(a) : 2 * lm.p(a) * lm.p(b); }

struct Case {
  MutationModel kind;
  double rate;
};

class BruteForce : public ::testing::TestWithParam<Case> {};

TEST_P(BruteForce, EveryClosedFormMatches) {
  auto f = Freq();
  const int l = f.FindLocus("T");
  const MutationOptions mo{GetParam().kind, GetParam().rate, 0.5};
  auto model = KinshipModel::Build(f, mo);
  ASSERT_TRUE(model.ok());
  const LocusModel& lm = model->locus(l);
  const std::vector<double> mat = *TransmissionMatrix(f.locus(l), mo);
  const int n = lm.n();
  std::vector<Genotype> all;
  for (int a = 1; a <= n; ++a) {
    for (int b = a; b <= n; ++b) all.push_back(Genotype::Of(a, b));
  }
  auto at = [](const Dist& d, Genotype g) {
    auto it = d.find({g.a, g.b});
    return it == d.end() ? 0.0 : it->second;
  };
  auto near = [](double got, double want) { return std::abs(got - want) <= 1e-12 * std::max(1.0, std::abs(want)); };
  const Source founder{true};

  // Siblings: the two children of the same pair of founders, summed over every founder genotype.
  std::map<std::pair<int, int>, double> sib;  // (genotype index, genotype index) → joint probability
  for (int f1 = 1; f1 <= n; ++f1) {
    for (int f2 = 1; f2 <= n; ++f2) {
      for (int m1 = 1; m1 <= n; ++m1) {
        for (int m2 = 1; m2 <= n; ++m2) {
          const double w = lm.p(f1) * lm.p(f2) * lm.p(m1) * lm.p(m2);
          Dist d = ChildOf(lm, mat, {false, f1, f2}, {false, m1, m2});
          for (size_t i = 0; i < all.size(); ++i) {
            for (size_t j = 0; j < all.size(); ++j) sib[{i, j}] += w * at(d, all[i]) * at(d, all[j]);
          }
        }
      }
    }
  }

  // Child distributions, each enumerated once.
  const size_t ng = all.size();
  std::vector<Dist> with_founder(ng), founder_with(ng), of_pair(ng * ng);
  for (size_t i = 0; i < ng; ++i) {
    const Source s{false, all[i].a, all[i].b};
    with_founder[i] = ChildOf(lm, mat, s, founder);
    founder_with[i] = ChildOf(lm, mat, founder, s);
    for (size_t j = 0; j < ng; ++j) of_pair[i * ng + j] = ChildOf(lm, mat, s, {false, all[j].a, all[j].b});
  }

  int checked = 0;
  for (size_t iq = 0; iq < ng; ++iq) {
    const Genotype q = all[iq];
    const double pq = Pop(lm, q.a, q.b);
    QueryLocus duo_q(lm, Hypothesis::kFather, q), child_q(lm, Hypothesis::kChild, q),
        sib_q(lm, Hypothesis::kSibling, q), self_q(lm, Hypothesis::kSelf, q), parents_q(lm, Hypothesis::kParents, q);
    std::vector<double> pu, pv;
    parents_q.PairForm(&pu, &pv);
    for (size_t ir = 0; ir < ng; ++ir) {
      const Genotype r = all[ir];
      // Duo: the reference is a parent, the other parent an untested founder.
      const double duo = at(with_founder[ir], q) / pq;
      EXPECT_TRUE(near(DuoLr(lm, r, q), duo)) << "duo " << int(r.a) << int(r.b) << " " << int(q.a) << int(q.b);
      EXPECT_TRUE(near(duo_q.Lr(r), duo));
      // Child: the reference descends from the query and an untested founder.
      const double child = at(with_founder[iq], r) / Pop(lm, r.a, r.b);
      EXPECT_TRUE(near(ChildLr(lm, r, q), child));
      EXPECT_TRUE(near(child_q.Lr(r), child));
      // Siblings.
      const double s = sib[{iq, ir}] / (pq * Pop(lm, r.a, r.b));
      EXPECT_TRUE(near(SiblingLr(lm, r, q), s)) << "sibling " << SiblingLr(lm, r, q) << " vs " << s;
      EXPECT_TRUE(near(sib_q.Lr(r), s));
      EXPECT_TRUE(near(self_q.Lr(r), r == q ? 1 / pq : 0));
      // The vector scan's pair form gives the same LR for every single-reference hypothesis.
      for (const QueryLocus* ql : {&duo_q, &child_q, &sib_q, &self_q}) {
        std::vector<double> u, v;
        ql->PairForm(&u, &v);
        EXPECT_TRUE(near(u[r.a] * v[r.b] + u[r.b] * v[r.a], ql->Lr(r)));
        EXPECT_EQ(2 * u[0] * v[0], 1);
      }
      const double a1 = parents_q.e1(r.a) + parents_q.e1(r.b), a2 = parents_q.e2(r.a) + parents_q.e2(r.b);
      for (size_t im = 0; im < ng; ++im) {
        const Genotype m = all[im];
        // Both parents typed.
        const double both = at(of_pair[ir * ng + im], q) / pq;
        EXPECT_TRUE(near(ParentsLr(lm, r, m, q), both));
        const double b1 = parents_q.e1(m.a) + parents_q.e1(m.b), b2 = parents_q.e2(m.a) + parents_q.e2(m.b);
        EXPECT_TRUE(near(parents_q.parents_scale() * (a1 * b2 + a2 * b1), both));
        const double fu = pu[r.a] + pu[r.b], fv = pv[r.a] + pv[r.b], mu = pu[m.a] + pu[m.b], mv = pv[m.a] + pv[m.b];
        EXPECT_TRUE(near(fu * mv + fv * mu, both));
        // Trio: known mother m, alleged father r, against the mother and an untested man.
        const double den = at(founder_with[im], q);
        const double trio = TrioLr(lm, m, r, q);
        if (den == 0) {
          EXPECT_TRUE(std::isnan(trio));
        } else {
          EXPECT_TRUE(near(trio, both * pq / den));
        }
        ++checked;
      }
      // One parent untested: the parents form reduces to the founder's transmission (e[0]).
      EXPECT_TRUE(near(ParentsLr(lm, r, Genotype{}, q), duo));
      const double b1 = 2 * parents_q.e1(0), b2 = 2 * parents_q.e2(0);
      EXPECT_TRUE(near(parents_q.parents_scale() * (a1 * b2 + a2 * b1), duo));
      EXPECT_TRUE(near((pu[r.a] + pu[r.b]) * 2 * pv[0] + (pv[r.a] + pv[r.b]) * 2 * pu[0], duo));
    }
  }
  EXPECT_EQ(checked, 15 * 15 * 15);
}

INSTANTIATE_TEST_SUITE_P(Models, BruteForce,
                         ::testing::Values(Case{MutationModel::kNone, 0}, Case{MutationModel::kEqual, 0.01},
                                           Case{MutationModel::kProportional, 0.01},
                                           Case{MutationModel::kStepwise, 0.01}),
                         [](const auto& info) { return std::string(MutationModelName(info.param.kind)); });

// --- Combining loci, conclusions, posterior ---------------------------------------------------------------------

TEST(Combine, CompareCountsComparedAndInconsistentLoci) {
  auto f = Freq();
  auto m = Model(f, MutationModel::kEqual, 0.002);
  const int t = f.FindLocus("T"), d = f.FindLocus("D3S1358");
  std::vector<int> loci = {t, d};
  // Locus T inconsistent (no shared allele), D3S1358 consistent.
  std::vector<Genotype> parent = {G(f, t, "12", "12"), G(f, d, "15", "16")};
  std::vector<Genotype> child = {G(f, t, "10", "11"), G(f, d, "15", "17")};
  KinshipResult r = Compare(m, Hypothesis::kFather, loci, parent, {}, child);
  EXPECT_EQ(r.loci_compared, 2);
  EXPECT_EQ(r.inconsistent_loci, 1);
  ASSERT_EQ(r.per_locus.size(), 2u);
  EXPECT_TRUE(r.per_locus[0].inconsistent);
  EXPECT_GT(r.per_locus[0].lr, 0);  // mutation keeps it positive
  EXPECT_NEAR(r.log10_lr, std::log10(r.per_locus[0].lr) + std::log10(r.per_locus[1].lr), 1e-12);
  // An untyped locus on the reference side is not compared.
  parent[0] = Genotype{};
  r = Compare(m, Hypothesis::kFather, loci, parent, {}, child);
  EXPECT_EQ(r.loci_compared, 1);
  EXPECT_EQ(r.inconsistent_loci, 0);
  // Without mutation the inconsistent locus makes the LR 0.
  auto none = Model(f, MutationModel::kNone);
  parent[0] = G(f, t, "12", "12");
  r = Compare(none, Hypothesis::kFather, loci, parent, {}, child);
  EXPECT_EQ(r.log10_lr, -std::numeric_limits<double>::infinity());
}

TEST(Combine, ConclusionsFollowTheThresholds) {
  Thresholds t;
  KinshipResult r;
  r.log10_lr = 4;  // LR = 10,000
  EXPECT_EQ(Conclude(r, t), Conclusion::kSupported);
  r.log10_lr = 3.99;
  EXPECT_EQ(Conclude(r, t), Conclusion::kInconclusive);
  r.log10_lr = 9;
  r.inconsistent_loci = 3;
  EXPECT_EQ(Conclude(r, t), Conclusion::kExcluded);
  r.inconsistent_loci = 2;
  EXPECT_EQ(Conclude(r, t), Conclusion::kSupported);
  EXPECT_EQ(Conclude(r, {.support_lr = 1e10, .exclude_inconsistent = 2}), Conclusion::kExcluded);
}

TEST(Combine, Posterior) {
  // LR 10,000 with prior 1/10,000: 1 / (1 + 9999/10000 ... ) = 10000·1e-4 / (10000·1e-4 + 0.9999).
  EXPECT_NEAR(Posterior(4, 1e-4), 1 / (1 + 0.9999), 1e-12);
  EXPECT_NEAR(Posterior(0, 0.5), 0.5, 1e-15);
  EXPECT_EQ(Posterior(-std::numeric_limits<double>::infinity(), 0.5), 0);
  EXPECT_NEAR(Posterior(400, 1e-7), 1, 1e-15);
  EXPECT_EQ(Posterior(-400, 1e-7), 0);
}

}  // namespace
}  // namespace doudi::dna
