#include "tracing/fusion/fusion.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

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
  // Face weight 25·(cos − 0.82) bounded to ±4:
  //   A: attributes 12 + face 25·0.08 = 2.0 → 14.0
  //   B: attributes 14.5, no face                 → 14.5
  //   C: attributes 10 + face 25·0.17 = 4.25 → cap 4 → 14.0 (tie with A: id order)
  //   D: attributes 16 + face 25·(0.30 − 0.82) = −13 → cap −4 → 12.0
  //   E: face only 0.95 → 3.25
  auto r = Fuse({}, {{"A", 0.90}, {"C", 0.99}, {"D", 0.30}, {"E", 0.95}},
                {Attr("A", 12), Attr("B", 14.5), Attr("C", 10), Attr("D", 16)});
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
  EXPECT_NE(r[0].reasons[1].find("不能单独认定身份"), std::string::npos);
  EXPECT_NE(r[0].reasons[2].find("+7.5"), std::string::npos);
  EXPECT_NE(r[0].reasons[2].find("姓名"), std::string::npos);
  EXPECT_EQ(FormatLr(3), "1000");
  EXPECT_EQ(FormatLr(-std::numeric_limits<double>::infinity()), "0");
}

TEST(Fusion, DuplicateIdsKeepTheFirstEntry) {
  auto r = Fuse({}, {{"A", 0.9}, {"A", 0.1}}, {});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_DOUBLE_EQ(*r[0].face_cosine, 0.9);
}

}  // namespace
}  // namespace doudi::fusion
