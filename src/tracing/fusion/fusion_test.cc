#include "tracing/fusion/fusion.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "tracing/face/golden_test_util.h"

namespace doudi::fusion {
namespace {

DnaEvidence Dna(const std::string& id, double log10_lr, int compared, int inconsistent) {
  DnaEvidence e;
  e.candidate_id = id;
  e.result.hypothesis = dna::Hypothesis::kParents;
  e.result.log10_lr = log10_lr;
  e.result.loci_compared = compared;
  e.result.inconsistent_loci = inconsistent;
  return e;
}
AttributeEvidence Attr(const std::string& id, double weight) {
  AttributeEvidence e;
  e.candidate_id = id;
  e.explanation.match_weight = weight;
  e.explanation.parts.push_back({linkage::kName, 2, weight, 0});
  return e;
}
std::vector<std::string> Ids(const std::vector<FusedCandidate>& v) {
  std::vector<std::string> out;
  for (auto& c : v) out.push_back(c.candidate_id);
  return out;
}
using V = std::vector<std::string>;

TEST(Fusion, SupportedDnaRanksFirstWhateverTheRestSays) {
  // S: LR 10^4.5 (≥ 10,000), weak attributes; F: a perfect face and strong attributes but no DNA.
  auto r = Fuse({Dna("S", 4.5, 20, 0)}, {{"F", 0.99}}, {Attr("S", -3), Attr("F", 40)});
  EXPECT_EQ(Ids(r), (V{"S", "F"}));
  EXPECT_EQ(r[0].tier, Tier::kDnaSupported);
  // Exactly at the threshold counts as supported (LR ≥ 10,000).
  EXPECT_EQ(Fuse({Dna("T", 4.0, 20, 0)}, {}, {})[0].tier, Tier::kDnaSupported);
  EXPECT_EQ(Fuse({Dna("T", 3.99, 20, 0)}, {}, {})[0].tier, Tier::kRanked);
}

TEST(Fusion, ExcludedDnaRanksLastWhateverTheRestSays) {
  // X: 3 inconsistent loci exclude, even with a high LR elsewhere, the best face and attributes.
  auto r = Fuse({Dna("X", 6, 20, 3)}, {{"X", 0.99}}, {Attr("X", 40), Attr("A", -10)});
  EXPECT_EQ(Ids(r), (V{"A", "X"}));
  EXPECT_EQ(r[1].tier, Tier::kDnaExcluded);
  // Two inconsistent loci do not exclude (the mutation model may explain them): inconclusive if the LR is low.
  EXPECT_EQ(Fuse({Dna("Y", 1, 20, 2)}, {}, {})[0].tier, Tier::kRanked);
}

TEST(Fusion, SupportedCasesOrderedByLr) {
  auto r = Fuse({Dna("A", 5, 20, 0), Dna("B", 9, 20, 0), Dna("C", 7, 20, 1)}, {}, {});
  EXPECT_EQ(Ids(r), (V{"B", "C", "A"}));
}

TEST(Fusion, FaceAndAttributesRankTheRest) {
  // With a threshold of 0.82 given explicitly (the engine's default, 0.914, cannot reach the +4 cap: 25·0.086 =
  // 2.15), face weight 25·(cos − 0.82) bounded to ±4:
  //   A: attributes 12 + face 25·0.08 = 2.0 → 14.0
  //   B: attributes 14.5, no face                 → 14.5
  //   C: attributes 10 + face 25·0.17 = 4.25 → cap 4 → 14.0 (tie with A: id order)
  //   D: attributes 16 + face 25·(0.30 − 0.82) = −13 → cap −4 → 12.0
  //   E: face only 0.95 → 3.25
  auto r = Fuse({}, {{"A", 0.90}, {"C", 0.99}, {"D", 0.30}, {"E", 0.95}},
                {Attr("A", 12), Attr("B", 14.5), Attr("C", 10), Attr("D", 16)}, [] {
                  FusionOptions o;
                  o.face_threshold = 0.82;
                  return o;
                }());
  EXPECT_EQ(Ids(r), (V{"B", "A", "C", "D", "E"}));
  EXPECT_NEAR(r[0].score, 14.5, 1e-12);
  EXPECT_NEAR(r[1].score, 14.0, 1e-12);
  EXPECT_NEAR(r[2].score, 14.0, 1e-12);
  EXPECT_NEAR(*r[2].face_weight, 4.0, 1e-12);
  EXPECT_NEAR(*r[3].face_weight, -4.0, 1e-12);
  EXPECT_NEAR(r[4].score, 3.25, 1e-12);
}

TEST(Fusion, InconclusiveDnaCountsBoundedInTheRanking) {
  // LR 10^3 = 9.966 bits; LR 0 (an inconsistency no mutation explains, 1 locus) counts −log2(10000) = −13.29.
  auto r = Fuse({Dna("P", 3, 15, 0), Dna("Z", -std::numeric_limits<double>::infinity(), 20, 1)}, {},
                {Attr("P", 1), Attr("Q", 10), Attr("Z", 20)});
  EXPECT_EQ(Ids(r), (V{"P", "Q", "Z"}));
  EXPECT_NEAR(r[0].score, 1 + 3 * std::log2(10.0), 1e-9);
  EXPECT_NEAR(r[2].score, 20 - std::log2(10000.0), 1e-9);
}

TEST(Fusion, ReasonsExplainEveryNumberInChinese) {
  auto r = Fuse({Dna("S", 6.36, 20, 0)}, {{"S", 0.91}}, {Attr("S", 7.5)});
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].reasons.size(), 3u);
  EXPECT_NE(r[0].reasons[0].find("DNA 支持亲缘关系"), std::string::npos);
  EXPECT_NE(r[0].reasons[0].find("2.3×10^6"), std::string::npos);
  EXPECT_NE(r[0].reasons[0].find("比较 20 个位点"), std::string::npos);
  EXPECT_NE(r[0].reasons[1].find("人脸相似度 0.910"), std::string::npos);
  // 25·(0.910 − 0.914) = −0.1 bits at the default threshold, which the reason states to three places.
  EXPECT_NE(r[0].reasons[1].find("0.914 以上视为相像"), std::string::npos) << r[0].reasons[1];
  EXPECT_NE(r[0].reasons[1].find("权重 -0.1"), std::string::npos) << r[0].reasons[1];
  EXPECT_NE(r[0].reasons[1].find("人脸只用于排序，不能单独认定身份"), std::string::npos);
  EXPECT_NE(r[0].reasons[2].find("+7.5"), std::string::npos);
  EXPECT_NE(r[0].reasons[2].find("姓名"), std::string::npos);
  EXPECT_EQ(FormatLr(3), "1000");
  EXPECT_EQ(FormatLr(-std::numeric_limits<double>::infinity()), "0");
}

// The default face threshold against the face engine's own descriptors: the golden descriptors of the package's
// demo photographs (src/tracing/face/golden/golden.json, made by face-api.js itself), lengths, distances and
// cosines worked out here from the numbers, not by the fusion.
struct Pair {
  double cosine, distance;
};
double Dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}
std::vector<std::vector<std::vector<double>>> DemoFacesByPhoto() {
  std::vector<std::vector<std::vector<double>>> out;
  const nlohmann::json golden = face::testing::Golden();
  for (const auto& image : golden["images"]) {
    out.emplace_back();
    for (const auto& f : image["faces"]) out.back().push_back(f["descriptor"].get<std::vector<double>>());
  }
  return out;
}
double FaceWeight(double cosine, const FusionOptions& o = {}) {
  auto r = Fuse({}, {{"X", cosine}}, {}, o);
  return *r.at(0).face_weight;
}

TEST(FusionFace, DefaultThresholdIsDlibsDistanceAtTheEngineDescriptorLength) {
  const auto photos = DemoFacesByPhoto();
  double sum = 0;
  int n = 0;
  for (const auto& faces : photos) {
    for (const auto& d : faces) {
      ASSERT_EQ(d.size(), 128u);
      sum += std::sqrt(Dot(d, d));
      ++n;
    }
  }
  ASSERT_EQ(n, 20);
  const double length = sum / n;
  EXPECT_NEAR(length, 1.457, 0.001) << "not unit vectors";
  // d² = |a|² + |b|² − 2|a||b|cos with |a| = |b| = L and d = 0.6.
  const double derived = 1 - 0.6 * 0.6 / (2 * length * length);
  EXPECT_NEAR(derived, 0.9152, 0.0001);
  EXPECT_NEAR(FusionOptions{}.face_threshold, derived, 0.0015);
  EXPECT_EQ(FusionOptions{}.face_threshold, kFaceCosineThreshold);
  EXPECT_NEAR(CosineAtDistance(0.6, 1.0), 0.82, 1e-12);  // the unit-vector figure it replaces
}

TEST(FusionFace, SamePhotoSameFaceCountsForDifferentPeopleNotBeyondDlib) {
  const auto photos = DemoFacesByPhoto();
  // Same person, same photo: a face against its own descriptor, cosine 1 → 25·(1 − 0.914) = +2.15 bits.
  const auto& one = photos.at(0).at(0);
  const double self = Dot(one, one) / (std::sqrt(Dot(one, one)) * std::sqrt(Dot(one, one)));
  EXPECT_NEAR(self, 1, 1e-12);
  EXPECT_NEAR(FaceWeight(self), 2.15, 1e-9);

  // Two faces in one photograph are different people: 29 such pairs in the demo set (3+0+3+3+10+10).
  std::vector<Pair> pairs;
  for (const auto& faces : photos) {
    for (size_t i = 0; i < faces.size(); ++i) {
      for (size_t j = i + 1; j < faces.size(); ++j) {
        const auto& a = faces[i];
        const auto& b = faces[j];
        double sq = 0;
        for (size_t k = 0; k < a.size(); ++k) sq += (a[k] - b[k]) * (a[k] - b[k]);
        pairs.push_back({Dot(a, b) / std::sqrt(Dot(a, a) * Dot(b, b)), std::sqrt(sq)});
      }
    }
  }
  ASSERT_EQ(pairs.size(), 29u);
  int in_favour = 0, in_favour_old = 0, under_dlib = 0;
  for (const Pair& p : pairs) {
    const double w = FaceWeight(p.cosine);
    // The default agrees with dlib's rule on the raw descriptors for every pair: ≤ 0 bits at distance ≥ 0.6.
    EXPECT_EQ(w > 0, p.distance < 0.6) << "cosine " << p.cosine << " distance " << p.distance;
    if (p.distance >= 0.6) {
      EXPECT_LE(w, 0);
    }
    in_favour += w > 0;
    under_dlib += p.distance < 0.6;
    in_favour_old += FaceWeight(p.cosine, [] {
                       FusionOptions o;
                       o.face_threshold = 0.82;
                       return o;
                     }()) > 0;
  }
  // Three pairs of different people are closer than dlib's 0.6 (0.573, 0.594, 0.595; docs/tracing-face.md): a face
  // cannot identify alone, and they gain at most 25·(0.926 − 0.914) ≈ 0.3 bits. The old 0.82 favoured 28 of 29.
  EXPECT_EQ(under_dlib, 3);
  EXPECT_EQ(in_favour, 3);
  EXPECT_EQ(in_favour_old, 28);
  for (const Pair& p : pairs) EXPECT_LT(FaceWeight(p.cosine), 0.35);

  // Face alone never puts a case into the DNA-supported tier, whatever the cosine, and the reason says so.
  auto r = Fuse({}, {{"A", 1.0}}, {});
  EXPECT_EQ(r[0].tier, Tier::kRanked);
  EXPECT_NE(r[0].reasons[1].find("不能单独认定身份"), std::string::npos);
}

TEST(Fusion, DuplicateIdsKeepTheFirstEntry) {
  auto r = Fuse({}, {{"A", 0.9}, {"A", 0.1}}, {});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(*r[0].face_cosine, 0.9);
}

}  // namespace
}  // namespace doudi::fusion
