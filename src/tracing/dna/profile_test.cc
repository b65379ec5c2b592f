#include "tracing/dna/profile.h"

#include <gtest/gtest.h>

namespace doudi::dna {
namespace {

AlleleFrequencies Freq() {
  return *AlleleFrequencies::Parse(
      "locus,allele,frequency\nTH01,6,0.1\nTH01,9,0.5\nTH01,9.3,0.4\nvWA,14,0.3\nvWA,15,0.3\nvWA,16,0.4\n");
}

int Idx(const AlleleFrequencies& f, int locus, std::string_view allele) { return f.Find(locus, *ParseAllele(allele)); }

TEST(Profiles, ParsesCellsRelationsAndUntypedLoci) {
  auto f = Freq();
  auto set = ParseProfiles(
      "profile_id,family_id,relation,TH01,vWA\n"
      "R1,F1,father,9.3/6,15/15\n"
      "R2,F1,母亲,,14/16\n"
      "R3,F2,sibling, 9 / 9.3 ,\n",
      ProfileKind::kReference, &f);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_TRUE(set->rejected.empty());
  EXPECT_EQ(set->loci, (std::vector<int>{0, 1}));
  ASSERT_EQ(set->profiles.size(), 3u);
  const Profile& r1 = set->profiles[0];
  EXPECT_EQ(r1.id, "R1");
  EXPECT_EQ(r1.family_id, "F1");
  EXPECT_EQ(r1.relation, Relation::kFather);
  EXPECT_EQ(r1.line, 2);
  EXPECT_EQ(r1.genotypes[0], Genotype::Of(Idx(f, 0, "6"), Idx(f, 0, "9.3")));
  EXPECT_TRUE(r1.genotypes[1].homozygous());
  EXPECT_EQ(set->profiles[1].relation, Relation::kMother);
  EXPECT_FALSE(set->profiles[1].genotypes[0].typed());
  EXPECT_EQ(set->profiles[2].typed_loci(), 1);
}

TEST(Profiles, BadRowsAreRejectedWithLineAndFieldAndTheOthersKept) {
  auto f = Freq();
  auto set = ParseProfiles(
      "profile_id,family_id,relation,TH01,vWA\n"
      "R1,F1,father,9/9.3,15/16\n"
      "R2,F1,mother,9-9.3,15/16\n"   // line 3: malformed cell
      "R3,F1,uncle,9/9.3,15/16\n"    // line 4: relation
      "R4,,father,9/9.3,15/16\n"     // line 5: no family
      "R5,F2,father,9/9.3\n"         // line 6: ragged
      "R1,F2,father,9/9,15/15\n"     // line 7: duplicate id
      "R6,F2,father,9/9.33,15/15\n"  // line 8: bad allele
      "R7,F2,father,,\n"             // line 9: nothing typed
      "R8,F3,child,15,14/14\n"       // line 10: one allele only
      "R9,F3,child,9/9,14/14\n",
      ProfileKind::kReference, &f);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->profiles.size(), 2u);
  EXPECT_EQ(set->profiles[0].id, "R1");
  EXPECT_EQ(set->profiles[1].id, "R9");
  ASSERT_EQ(set->rejected.size(), 8u);
  struct Want {
    int line;
    const char* field;
    const char* code;
  } want[] = {{3, "TH01", "dna.profile.genotype"}, {4, "relation", "dna.profile.relation"},
              {5, "family_id", "dna.profile.family"}, {6, "-", "dna.csv.ragged_row"},
              {7, "profile_id", "dna.profile.duplicate"}, {8, "TH01", "dna.profile.genotype"},
              {9, "-", "dna.profile.no_loci"}, {10, "TH01", "dna.profile.genotype"}};
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(set->rejected[i].line, want[i].line);
    EXPECT_EQ(set->rejected[i].field, want[i].field) << i;
    EXPECT_EQ(set->rejected[i].code, want[i].code) << i;
    EXPECT_NE(set->rejected[i].message.find("第 " + std::to_string(want[i].line) + " 行"), std::string::npos)
        << set->rejected[i].message;
  }
  EXPECT_NE(set->rejected[0].message.find("9-9.3"), std::string::npos);
}

TEST(Profiles, RejectedRowsAddNoAlleles) {
  auto f = Freq();
  auto set = ParseProfiles(
      "profile_id,family_id,relation,TH01,vWA\n"
      "R1,F1,father,8/10,17/15\n"     // 8, 10, 17 are new: interned
      "R2,F1,mother,11/12,x\n",       // rejected: its new alleles 11, 12 must not be added
      ProfileKind::kReference, &f);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->profiles.size(), 1u);
  EXPECT_EQ(f.locus(0).size(), 5);  // 6, 9, 9.3 + 8, 10
  EXPECT_EQ(f.locus(1).size(), 4);  // 14, 15, 16 + 17
  EXPECT_EQ(f.Find(0, 110), 0);
  EXPECT_EQ(f.locus(0).frequency[4], f.min_frequency());
}

TEST(Profiles, UnknownAndDuplicateLocusColumnsAreReportedAndIgnored) {
  auto f = Freq();
  auto set = ParseProfiles(
      "profile_id,family_id,relation,TH01,D99S999,th01,vWA\n"
      "Q1,,,9/9,1/2,6/6,14/15\n",
      ProfileKind::kQuery, &f);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->rejected.size(), 2u);
  EXPECT_EQ(set->rejected[0].code, "dna.csv.unknown_locus");
  EXPECT_EQ(set->rejected[0].field, "D99S999");
  EXPECT_EQ(set->rejected[0].line, 1);
  EXPECT_EQ(set->rejected[1].code, "dna.csv.duplicate_locus");
  ASSERT_EQ(set->profiles.size(), 1u);
  EXPECT_FALSE(set->profiles[0].relation.has_value());  // queries may leave family and relation empty
  EXPECT_EQ(set->profiles[0].genotypes[0], Genotype::Of(Idx(f, 0, "9"), Idx(f, 0, "9")));  // the first TH01
  EXPECT_EQ(set->loci, (std::vector<int>{0, 1}));
}

TEST(Profiles, UnreadableFilesFailAsAWhole) {
  auto f = Freq();
  EXPECT_EQ(ParseProfiles("", ProfileKind::kQuery, &f).status().error_code(), "dna.csv.empty");
  EXPECT_EQ(ParseProfiles("\n\n", ProfileKind::kQuery, &f).status().error_code(), "dna.csv.empty");
  EXPECT_EQ(ParseProfiles("id,TH01\nQ1,9/9\n", ProfileKind::kQuery, &f).status().error_code(), "dna.csv.header");
  EXPECT_EQ(ParseProfiles("profile_id,family_id,relation,X1\nQ1,,,9/9\n", ProfileKind::kQuery, &f)
                .status()
                .error_code(),
            "dna.csv.no_loci");
  auto q = ParseProfiles("profile_id,family_id,relation,TH01\nQ1,,,\"9/9\n", ProfileKind::kQuery, &f);
  EXPECT_EQ(q.status().error_code(), "csv.unterminated_quote");
  EXPECT_NE(q.status().message().find("第 2 行"), std::string::npos);
}

TEST(Profiles, RelationNames) {
  EXPECT_EQ(*ParseRelation("parent"), Relation::kParent);
  EXPECT_EQ(*ParseRelation("兄弟姐妹"), Relation::kSibling);
  EXPECT_EQ(*ParseRelation("本人"), Relation::kSelf);
  EXPECT_EQ(ParseRelation("Father").status().error_code(), "dna.profile.relation");
  EXPECT_EQ(RelationName(Relation::kChild), "child");
}

}  // namespace
}  // namespace doudi::dna
