#include "tracing/linkage/model.h"

#include <cmath>
#include <map>
#include <random>

#include <gtest/gtest.h>

namespace doudi::linkage {
namespace {

TEST(Model, WeightIsLog2OfMOverU) {
  Parameters p = Parameters::Default();
  p.m[kName][0] = 0.8;
  p.u[kName][0] = 0.01;
  p.m[kSex][0] = 0.96;
  p.u[kSex][0] = 0.5;
  // log2(0.8/0.01) = log2(80) = 6.321928; log2(0.96/0.5) = log2(1.92) = 0.941106.
  EXPECT_NEAR(p.Weight(kName, 0), 6.321928, 1e-6);
  EXPECT_NEAR(p.Weight(kSex, 0), 0.941106, 1e-6);
  EXPECT_EQ(p.Weight(kSex, -1), 0.0);  // a missing field adds nothing
  // Default sex disagreement: log2(0.03/0.5) = −4.058894.
  EXPECT_NEAR(Parameters::Default().Weight(kSex, 1), -4.058894, 1e-6);
  p.lambda = 0.2;  // log2(0.2/0.8) = −2
  EXPECT_NEAR(p.PriorWeight(), -2.0, 1e-12);
}

TEST(Model, DefaultsAreDistributions) {
  const Parameters p = Parameters::Default();
  for (int f = 0; f < kNumFields; ++f) {
    double sm = 0, su = 0;
    for (int l = 0; l < Spec(static_cast<Field>(f)).levels; ++l) sm += p.m[f][l], su += p.u[f][l];
    EXPECT_NEAR(sm, 1.0, 1e-9) << Spec(static_cast<Field>(f)).key;
    EXPECT_NEAR(su, 1.0, 1e-9) << Spec(static_cast<Field>(f)).key;
  }
}

TEST(Model, PatternKeyRoundTrip) {
  Levels l{};
  l.fill(-1);
  l[kName] = 6;
  l[kMarks] = 2;
  l[kSex] = 0;
  EXPECT_EQ(PatternLevels(PatternKey(l)), l);
}

// Pairs drawn from a known model (conditionally independent fields): EM must find λ, m and u again.
TEST(Model, EmRecoversKnownParametersOnSimulatedPairs) {
  Parameters truth;
  truth.lambda = 0.05;
  auto set = [&](Field f, std::vector<double> m, std::vector<double> u) {
    for (size_t l = 0; l < m.size(); ++l) truth.m[f][l] = m[l], truth.u[f][l] = u[l];
  };
  set(kSex, {0.95, 0.05}, {0.5, 0.5});
  set(kAge, {0.6, 0.3, 0.08, 0.02}, {0.1, 0.1, 0.2, 0.6});
  set(kHeight, {0.7, 0.2, 0.1}, {0.3, 0.3, 0.4});
  set(kDialect, {0.9, 0.1}, {0.25, 0.75});
  set(kHome, {0.7, 0.1, 0.1, 0.1}, {0.01, 0.04, 0.15, 0.8});
  set(kMarks, {0.5, 0.3, 0.2}, {0.05, 0.25, 0.7});
  const std::vector<Field> used = {kSex, kAge, kHeight, kDialect, kHome, kMarks};
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> U(0, 1);
  std::map<uint64_t, double> counts;
  const int n = 300000;
  for (int i = 0; i < n; ++i) {
    const bool match = U(rng) < truth.lambda;
    Levels l;
    l.fill(-1);
    for (Field f : used) {
      const auto& p = match ? truth.m[f] : truth.u[f];
      double x = U(rng), c = 0;
      int level = Spec(f).levels - 1;
      for (int k = 0; k < Spec(f).levels; ++k) {
        c += p[k];
        if (x < c) {
          level = k;
          break;
        }
      }
      l[f] = static_cast<int8_t>(level);
    }
    counts[PatternKey(l)] += 1;
  }
  std::vector<Pattern> patterns;
  for (auto& [k, c] : counts) patterns.push_back({PatternLevels(k), c});
  EmOptions o;
  o.pseudo_count = 0;  // the data alone
  const EmResult r = EstimateEm(patterns, Parameters::Default(), o);
  EXPECT_TRUE(r.converged);
  EXPECT_NEAR(r.parameters.lambda, truth.lambda, 0.005);
  for (Field f : used) {
    for (int l = 0; l < Spec(f).levels; ++l) {
      EXPECT_NEAR(r.parameters.m[f][l], truth.m[f][l], 0.03) << Spec(f).key << " m level " << l;
      EXPECT_NEAR(r.parameters.u[f][l], truth.u[f][l], 0.01) << Spec(f).key << " u level " << l;
    }
  }
  // Fields the data never shows keep their starting values.
  EXPECT_DOUBLE_EQ(r.parameters.m[kName][0], Parameters::Default().m[kName][0]);
}

TEST(Model, EmWithKnownURecoversM) {
  // u known (as estimated from random pairs): EM moves only λ and m; a field held fixed keeps its m.
  Parameters truth = Parameters::Default();
  truth.lambda = 0.02;
  auto set = [&](Field f, std::vector<double> m) {
    for (size_t l = 0; l < m.size(); ++l) truth.m[f][l] = m[l];
  };
  set(kName, {0.5, 0.05, 0.2, 0.1, 0.05, 0.05, 0.05});
  set(kDialect, {0.7, 0.3});
  set(kHome, {0.5, 0.2, 0.2, 0.1});
  set(kMarks, {0.4, 0.4, 0.2});
  const std::vector<Field> used = {kName, kDialect, kHome, kMarks, kSex};
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> U(0, 1);
  std::map<uint64_t, double> counts;
  for (int i = 0; i < 400000; ++i) {
    const bool match = U(rng) < truth.lambda;
    Levels l;
    l.fill(-1);
    for (Field f : used) {
      const auto& p = match ? truth.m[f] : truth.u[f];
      double x = U(rng), c = 0;
      int level = Spec(f).levels - 1;
      for (int k = 0; k < Spec(f).levels; ++k) {
        if (x < (c += p[k])) {
          level = k;
          break;
        }
      }
      l[f] = static_cast<int8_t>(level);
    }
    counts[PatternKey(l)] += 1;
  }
  std::vector<Pattern> patterns;
  for (auto& [k, c] : counts) patterns.push_back({PatternLevels(k), c});
  EmOptions o;
  o.pseudo_count = 0;
  o.fix_u = true;
  o.fixed[kSex] = true;
  const EmResult r = EstimateEm(patterns, Parameters::Default(), o);
  EXPECT_NEAR(r.parameters.lambda, 0.02, 0.002);
  for (Field f : {kName, kDialect, kHome, kMarks}) {
    for (int l = 0; l < Spec(f).levels; ++l) {
      EXPECT_NEAR(r.parameters.m[f][l], truth.m[f][l], 0.03) << Spec(f).key << " level " << l;
      EXPECT_DOUBLE_EQ(r.parameters.u[f][l], truth.u[f][l]);
    }
  }
  EXPECT_DOUBLE_EQ(r.parameters.m[kSex][1], Parameters::Default().m[kSex][1]);
}

TEST(Model, PseudoCountsPullTowardsTheDefaults) {
  // 100 pairs, all agreeing on sex and nothing else: EM calls them all matches (λ → 1). Without the prior,
  // m[sex][different] would collapse to the floor 1e-6 and one clerical sex error would veto a true match; with
  // 100 pseudo-pairs it is (0 + 100·0.03)/(100 + 100) = 0.015, and u, which no pair informs, stays 0.5.
  Levels l;
  l.fill(-1);
  l[kSex] = 0;
  EmOptions o;
  o.pseudo_count = 100;
  const EmResult r = EstimateEm({{l, 100}}, Parameters::Default(), o);
  EXPECT_NEAR(r.parameters.lambda, 1.0, 1e-3);
  EXPECT_NEAR(r.parameters.m[kSex][1], 0.015, 1e-4);
  EXPECT_NEAR(r.parameters.u[kSex][1], 0.5, 1e-3);
  o.pseudo_count = 0;
  EXPECT_LT(EstimateEm({{l, 100}}, Parameters::Default(), o).parameters.m[kSex][1], 1e-5);
}

}  // namespace
}  // namespace doudi::linkage
