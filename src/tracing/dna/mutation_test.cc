#include "tracing/dna/mutation.h"

#include <cmath>

#include <gtest/gtest.h>

namespace doudi::dna {
namespace {

// Alleles by descending frequency: 1 = "10" (0.4), 2 = "11" (0.3), 3 = "12" (0.2), 4 = "9.3" (0.1).
AlleleFrequencies Freq() {
  return *AlleleFrequencies::Parse("locus,allele,frequency\nA,9.3,0.1\nA,10,0.4\nA,11,0.3\nA,12,0.2\n");
}

double At(const std::vector<double>& m, int x, int y) { return m[x * 5 + y]; }

TEST(Mutation, ParseNames) {
  EXPECT_EQ(*ParseMutationModel("stepwise"), MutationModel::kStepwise);
  EXPECT_EQ(ParseMutationModel("Stepwise").status().error_code(), "dna.mutation.model");
  EXPECT_EQ(ValidateMutation({MutationModel::kEqual, 1.0}).error_code(), "dna.mutation.rate");
  EXPECT_EQ(ValidateMutation({MutationModel::kEqual, -0.1}).error_code(), "dna.mutation.rate");
  EXPECT_TRUE(ValidateMutation({MutationModel::kEqual, 0.002}).ok());
}

TEST(Mutation, RowsAreDistributions) {
  auto f = Freq();
  for (auto kind : {MutationModel::kNone, MutationModel::kEqual, MutationModel::kProportional,
                    MutationModel::kStepwise}) {
    auto m = *TransmissionMatrix(f.locus(0), {kind, 0.01, 0.5});
    for (int x = 1; x <= 4; ++x) {
      double sum = 0;
      for (int y = 1; y <= 4; ++y) {
        EXPECT_GE(At(m, x, y), 0);
        sum += At(m, x, y);
      }
      EXPECT_NEAR(sum, 1, 1e-15) << MutationModelName(kind) << " row " << x;
    }
  }
}

TEST(Mutation, ValuesByHand) {
  auto f = Freq();
  const double r = 0.01;
  auto none = *TransmissionMatrix(f.locus(0), {MutationModel::kNone, r});
  EXPECT_EQ(At(none, 2, 2), 1);
  EXPECT_EQ(At(none, 2, 3), 0);
  auto equal = *TransmissionMatrix(f.locus(0), {MutationModel::kEqual, r});
  EXPECT_DOUBLE_EQ(At(equal, 1, 1), 1 - r);
  EXPECT_DOUBLE_EQ(At(equal, 1, 4), r / 3);
  // Proportional: k = 1 / Σ p(1−p) = 1 / (0.24 + 0.21 + 0.16 + 0.09) = 1 / 0.7.
  auto prop = *TransmissionMatrix(f.locus(0), {MutationModel::kProportional, r});
  EXPECT_NEAR(At(prop, 1, 2), r * 0.3 / 0.7, 1e-15);
  EXPECT_NEAR(At(prop, 2, 2), 1 - r * 0.7 / 0.7, 1e-15);
  // ... and the frequencies are stationary: Σ_x p_x M[x][y] = p_y.
  const double p[] = {0, 0.4, 0.3, 0.2, 0.1};
  for (int y = 1; y <= 4; ++y) {
    double s = 0;
    for (int x = 1; x <= 4; ++x) s += p[x] * At(prop, x, y);
    EXPECT_NEAR(s, p[y], 1e-15);
  }
  // Stepwise with range 0.5: from 10, one step to 11 (weight 1), two steps to 12 (0.5); 9.3 unreachable.
  auto step = *TransmissionMatrix(f.locus(0), {MutationModel::kStepwise, r, 0.5});
  EXPECT_NEAR(At(step, 1, 2), r * 1 / 1.5, 1e-15);
  EXPECT_NEAR(At(step, 1, 3), r * 0.5 / 1.5, 1e-15);
  EXPECT_EQ(At(step, 1, 4), 0);
  // 11 has 10 and 12 one step away: r/2 each.
  EXPECT_NEAR(At(step, 2, 1), r / 2, 1e-15);
  EXPECT_NEAR(At(step, 2, 3), r / 2, 1e-15);
  // 9.3 has no allele a whole number of repeats away here: it never mutates.
  EXPECT_EQ(At(step, 4, 4), 1);
}

TEST(Mutation, ProportionalRateTooHighIsAnError) {
  auto f = *AlleleFrequencies::Parse("locus,allele,frequency\nA,10,0.99\nA,11,0.01\n");
  // k = 1 / (2·0.99·0.01) ≈ 50.5; staying at "11" would have probability 1 − 50.5·0.5·0.99 < 0.
  auto m = TransmissionMatrix(f.locus(0), {MutationModel::kProportional, 0.5});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().error_code(), "dna.mutation.rate");
}

}  // namespace
}  // namespace doudi::dna
