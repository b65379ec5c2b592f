// The face evidence of matching on numbers worked out by hand: cosines of small vectors, the best pair per
// report, and the threshold derived from the engine's descriptor lengths on the package's demo faces.
#include "rescue/face_evidence.h"

#include <cmath>

#include <gtest/gtest.h>

#include "tracing/face/golden_test_util.h"

namespace doudi::rescue {
namespace {

FaceEmbedding Unit(int axis, double c = 1, int other = -1, double s = 0) {
  FaceEmbedding e{};
  e[axis] = static_cast<float>(c);
  if (other >= 0) e[other] = static_cast<float>(s);
  return e;
}

TEST(FaceEvidence, CosineIgnoresLength) {
  // (3, 4) against (4, 3): 24 / 25.
  FaceEmbedding a{}, b{};
  a[0] = 3, a[1] = 4;
  b[0] = 4, b[1] = 3;
  EXPECT_NEAR(FaceCosine(a, b), 0.96, 1e-12);
  FaceEmbedding a2 = a;
  for (auto& x : a2) x *= 7;
  EXPECT_NEAR(FaceCosine(a2, b), 0.96, 1e-6);
  EXPECT_EQ(FaceCosine(FaceEmbedding{}, b), 0) << "an empty descriptor compares as nothing";
}

TEST(FaceEvidence, TheBestPairPerReportAndNothingWithoutAFaceOfThePerson) {
  // The person: axis 0 and a photo at 60° from it. Report 7: axis 1 (90° from the first, 30° from the second:
  // cos 30° = 0.866); report 9: axis 0 at 0.6/0.8 (cos 0.6 with the first).
  const double c60 = 0.5, s60 = std::sqrt(3.0) / 2;
  std::vector<FaceEmbedding> person = {Unit(0), Unit(0, c60, 1, s60)};
  std::map<int64_t, std::vector<FaceEmbedding>> reports = {
      {7, {Unit(1)}}, {9, {Unit(0, 0.6, 2, 0.8), Unit(3)}}, {11, {}}};
  auto m = CompareFaces(person, reports);
  ASSERT_EQ(m.size(), 2u) << "a report without a face gives no evidence";
  EXPECT_EQ(m[0].report_id, 7);
  EXPECT_NEAR(m[0].cosine, s60, 1e-6);
  EXPECT_EQ(m[0].pairs_compared, 2);
  EXPECT_EQ(m[1].report_id, 9);
  EXPECT_NEAR(m[1].cosine, 0.6, 1e-6);
  EXPECT_EQ(m[1].person_photos, 2);
  EXPECT_EQ(m[1].report_photos, 2);
  EXPECT_EQ(m[1].pairs_compared, 4);
  EXPECT_TRUE(CompareFaces({}, reports).empty());
}

// dlib's same-person distance 0.6 at the descriptors' typical length: the 20 demo faces of golden.json have
// lengths 1.36–1.51 (mean about 1.46), so the cosine limit is 1 − (0.6 / L)² / 2 = 0.915 ± 0.01.
TEST(FaceEvidence, TheThresholdFollowsTheDescriptorsLength) {
  const auto golden = face::testing::Golden();
  double sum = 0;
  int n = 0;
  for (const auto& g : golden["images"]) {
    for (const auto& f : g["faces"]) {
      double sq = 0;
      for (const auto& x : f["descriptor"]) sq += x.get<double>() * x.get<double>();
      sum += std::sqrt(sq);
      ++n;
    }
  }
  ASSERT_EQ(n, 20);
  const double length = sum / n;
  EXPECT_NEAR(length, 1.45, 0.03);
  EXPECT_NEAR(kFaceCosineThreshold, 1 - (0.6 / length) * (0.6 / length) / 2, 0.005);
  EXPECT_EQ(RescueFusionOptions().face_threshold, kFaceCosineThreshold);
  EXPECT_EQ(RescueFusionOptions().face_cap, 4) << "the fusion's cap stays";
}

}  // namespace
}  // namespace doudi::rescue
