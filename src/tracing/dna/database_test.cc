#include "tracing/dna/database.h"

#include <gtest/gtest.h>

namespace doudi::dna {
namespace {

AlleleFrequencies Freq() {
  return *AlleleFrequencies::Parse("locus,allele,frequency\nA,9,0.5\nA,10,0.5\nB,14,0.5\nB,15,0.5\n");
}

TEST(Database, EachFamilyGetsTheStrongestHypothesisItsMembersAllow) {
  auto f = Freq();
  auto set = ParseProfiles(
      "profile_id,family_id,relation,A,B\n"
      "p1,P,father,9/9,14/14\n"
      "p2,S,sibling,9/10,\n"        // sibling typed at one locus
      "p3,P,sibling,9/10,14/15\n"   // unused: the parents are there
      "p4,P,mother,10/10,15/15\n"
      "p5,S,sibling,10/10,14/15\n"  // the sibling typed at more loci is used
      "p6,M,mother,9/10,14/15\n"
      "p7,C,child,9/9,15/15\n"
      "p8,X,self,10/10,14/14\n"
      "p9,Q,parent,9/9,14/14\n"
      "p10,Q,parent,10/10,15/15\n"
      "p11,Q,father,9/9,15/15\n"    // a third parent: rejected
      "p12,P,father,9/10,14/15\n",  // a second father: rejected
      ProfileKind::kReference, &f);
  ASSERT_TRUE(set.ok());
  // The third parent and the second father are rejected while parsing, before their alleles are interned.
  ASSERT_EQ(set->rejected.size(), 2u);
  EXPECT_EQ(set->rejected[0].line, 12);
  EXPECT_EQ(set->rejected[0].code, "dna.family.parents");
  EXPECT_EQ(set->rejected[1].line, 13);
  EXPECT_NE(set->rejected[1].message.find("已有父亲样本（第 2 行）"), std::string::npos) << set->rejected[1].message;
  std::vector<RowError> rejected;
  DatabaseStats stats;
  ReferenceDatabase db = BuildReferenceDatabase(*set, &rejected, &stats);
  EXPECT_TRUE(rejected.empty());
  EXPECT_EQ(stats.families, 6u);
  EXPECT_EQ(stats.references_used, 8u);    // P: 2, Q: 2, S, M, C, X
  EXPECT_EQ(stats.references_unused, 2u);  // p3 and the other sibling p2
  ASSERT_EQ(db.num_families(), 6u);
  EXPECT_EQ(db.num_references(), 8u);
  // Families are numbered in segment order: parents (P, Q), mother (M), child (C), sibling (S), self (X).
  std::vector<std::pair<std::string, Hypothesis>> want = {{"P", Hypothesis::kParents}, {"Q", Hypothesis::kParents},
                                                          {"M", Hypothesis::kMother},  {"C", Hypothesis::kChild},
                                                          {"S", Hypothesis::kSibling}, {"X", Hypothesis::kSelf}};
  for (uint32_t i = 0; i < 6; ++i) {
    EXPECT_EQ(db.family_label(i), want[i].first);
    EXPECT_EQ(db.hypothesis(i), want[i].second);
  }
  auto a = [&](std::string_view x) { return f.Find(0, *ParseAllele(x)); };
  EXPECT_EQ(db.Genotypes(0, 0)[0], Genotype::Of(a("9"), a("9")));    // P's father p1
  EXPECT_EQ(db.Genotypes(0, 1)[0], Genotype::Of(a("10"), a("10")));  // P's mother p4
  EXPECT_EQ(db.Genotypes(4, 0)[0], Genotype::Of(a("10"), a("10")));  // S's sibling p5
  EXPECT_EQ(db.Genotypes(4, 1)[0], Genotype{});                      // no second member
}

TEST(Database, ProfileSetsBuiltByHandAreCheckedForParentsToo) {
  ProfileSet set;
  set.loci = {0};
  auto add = [&](const char* id, Relation r, int line) {
    set.profiles.push_back({id, "F", r, line, {Genotype::Of(1, 1), Genotype{}}});
  };
  add("a", Relation::kMother, 2);
  add("b", Relation::kMother, 3);
  add("c", Relation::kParent, 4);
  add("d", Relation::kFather, 5);
  std::vector<RowError> rejected;
  ReferenceDatabase db = BuildReferenceDatabase(set, &rejected);
  ASSERT_EQ(rejected.size(), 2u);
  EXPECT_EQ(rejected[0].line, 3);  // second mother
  EXPECT_EQ(rejected[1].line, 5);  // third parent
  EXPECT_EQ(db.hypothesis(0), Hypothesis::kParents);
}

TEST(Database, FortyBytesPerTwentyLocusReference) {
  std::vector<int> loci(20);
  for (int i = 0; i < 20; ++i) loci[i] = i;
  DatabaseBuilder b(loci);
  std::vector<Genotype> g(20, Genotype::Of(1, 2));
  // Row counts that fill whole 4 KiB pages (2,048 genotypes): each column is rounded up to one.
  // (The 2,048 parents rows hold 4,096 genotypes a column.)
  for (int i = 0; i < 4096; ++i) b.AddFamily("", Hypothesis::kParent, g);
  for (int i = 0; i < 2048; ++i) b.AddFamily("", Hypothesis::kParents, g, g);
  ReferenceDatabase db = std::move(b).Build();
  EXPECT_EQ(db.num_references(), 8192u);
  EXPECT_EQ(db.packed_bytes(), 8192u * 40);
  for (const Segment& s : db.segments()) {
    for (size_t c = 0; c < s.num_columns; ++c) EXPECT_EQ(reinterpret_cast<uintptr_t>(s.column(c)) % 4096, 0u);
  }
  EXPECT_EQ(db.label_bytes(), 0u);
  EXPECT_EQ(db.family_label(7), "#7");
  EXPECT_EQ(db.hypothesis(2047), Hypothesis::kParents);  // the parents segment comes first
  EXPECT_EQ(db.hypothesis(2048), Hypothesis::kParent);
  EXPECT_EQ(db.Genotypes(6143, 0)[19], Genotype::Of(1, 2));
}

}  // namespace
}  // namespace doudi::dna
