#include "tracing/dna/frequencies.h"

#include <cmath>

#include <gtest/gtest.h>

namespace doudi::dna {
namespace {

TEST(Allele, Designations) {
  EXPECT_EQ(*ParseAllele("15"), 150);
  EXPECT_EQ(*ParseAllele(" 9.3 "), 93);
  EXPECT_EQ(*ParseAllele("33.2"), 332);
  EXPECT_EQ(*ParseAllele("15.0"), 150);
  for (const char* bad : {"", "x", "9.", ".3", "9.33", "1000", "-1", "0", "9,3", "15a"}) {
    auto r = ParseAllele(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().error_code(), "dna.allele.malformed");
  }
  EXPECT_EQ(FormatAllele(93), "9.3");
  EXPECT_EQ(FormatAllele(150), "15");
}

TEST(Frequencies, NormalisedPerLocusThenFloored) {
  // Locus A sums to 0.98; its 0.0002 allele is below the minimum 5/(2·1000) = 0.0025.
  auto f = AlleleFrequencies::Parse(
      "# comment\nlocus,allele,frequency\nA,10,0.49\nA,11,0.4898\nA,12,0.0002\nB,7,1\n", {.sample_size = 1000});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->num_loci(), 2);
  const LocusAlleles& a = f->locus(0);
  EXPECT_EQ(a.name, "A");
  ASSERT_EQ(a.size(), 3);
  // Most frequent first.
  EXPECT_EQ(a.tenths[1], 100);
  EXPECT_EQ(a.tenths[2], 110);
  EXPECT_EQ(a.tenths[3], 120);
  EXPECT_NEAR(a.frequency[1], 0.49 / 0.98, 1e-15);
  EXPECT_NEAR(a.frequency[2], 0.4898 / 0.98, 1e-15);
  EXPECT_EQ(a.frequency[3], 0.0025);  // floored, not renormalised
  EXPECT_EQ(f->min_frequency(), 0.0025);
  EXPECT_EQ(f->Find(0, 110), 2);
  EXPECT_EQ(f->Find(0, 130), 0);
}

TEST(Frequencies, UnlistedAllelesAreInternedAtTheMinimum) {
  auto f = AlleleFrequencies::Parse("locus,allele,frequency\nA,10,0.5\nA,11,0.5\n", {.min_frequency = 0.001});
  ASSERT_TRUE(f.ok());
  auto i = f->Intern(0, 93);
  ASSERT_TRUE(i.ok());
  EXPECT_EQ(*i, 3);
  EXPECT_EQ(f->locus(0).frequency[3], 0.001);
  EXPECT_EQ(f->locus(0).listed, 2);
  EXPECT_EQ(*f->Intern(0, 93), 3);  // the same index again
  EXPECT_EQ(*f->Intern(0, 100), 1);
}

TEST(Frequencies, LocusNamesMatchLoosely) {
  auto f = AlleleFrequencies::Parse("locus,allele,frequency\nPentaE,10,1\nvWA,14,1\n");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->FindLocus("Penta E"), 0);
  EXPECT_EQ(f->FindLocus("PENTA_E"), 0);
  EXPECT_EQ(f->FindLocus("VWA"), 1);
  EXPECT_EQ(f->FindLocus("TH01"), -1);
}

TEST(Frequencies, EveryBadRowIsReportedWithItsLineAndField) {
  auto f = AlleleFrequencies::Parse(
      "locus,allele,frequency\n"
      "A,10,0.5\n"
      "A,x,0.2\n"        // line 3: allele
      "A,11,abc\n"       // line 4: frequency
      "A,10,0.5\n"       // line 5: duplicate
      "A,12\n"           // line 6: ragged
      "B,7,0.5\nB,8,0.3\n");  // B sums to 0.8
  ASSERT_FALSE(f.ok());
  const auto& d = f.status().details();
  ASSERT_EQ(d.size(), 5u) << f.status().ToString();
  EXPECT_EQ(d[0].code, "dna.allele.malformed");
  EXPECT_NE(d[0].message.find("第 3 行 allele"), std::string::npos) << d[0].message;
  EXPECT_EQ(d[1].code, "dna.freq.value");
  EXPECT_NE(d[1].message.find("第 4 行 frequency"), std::string::npos);
  EXPECT_EQ(d[2].code, "dna.freq.duplicate");
  EXPECT_NE(d[2].message.find("第 2 行"), std::string::npos);  // names the first listing
  EXPECT_EQ(d[3].code, "dna.freq.ragged_row");
  EXPECT_EQ(d[4].code, "dna.freq.sum");
  EXPECT_EQ(d[4].field, "B");
  EXPECT_NE(d[4].message.find("0.8000"), std::string::npos) << d[4].message;
  EXPECT_NE(f.status().message().find("5 处错误"), std::string::npos);
}

TEST(Frequencies, EmptyAndHeaderless) {
  EXPECT_EQ(AlleleFrequencies::Parse("").status().error_code(), "dna.freq.empty");
  EXPECT_EQ(AlleleFrequencies::Parse("locus,allele,frequency\n").status().error_code(), "dna.freq.empty");
  EXPECT_EQ(AlleleFrequencies::Parse("A,10,0.5\n").status().error_code(), "dna.freq.header");
  EXPECT_EQ(AlleleFrequencies::Parse("locus,allele,frequency\nA,10,\"0.5\n").status().error_code(),
            "csv.unterminated_quote");
  EXPECT_EQ(AlleleFrequencies::Parse("locus,allele,frequency\nA,10,1\n", {.sample_size = 0}).status().error_code(),
            "dna.freq.min_frequency");
}

TEST(Frequencies, EmbeddedChineseTable) {
  auto f = AlleleFrequencies::Default();
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->num_loci(), 59);
  const int se33 = f->FindLocus("SE33");
  ASSERT_GE(se33, 0);
  EXPECT_EQ(f->locus(se33).size(), 74);
  // SE33's listed frequencies sum to 0.954 (see data/str/SOURCE.md): accepted at the default tolerance only.
  auto strict = AlleleFrequencies::Default({.sum_tolerance = 0.01});
  ASSERT_FALSE(strict.ok());
  ASSERT_EQ(strict.status().details().size(), 1u);
  EXPECT_EQ(strict.status().details()[0].field, "SE33");
  // Minimum 5/(2·5000) = 0.0005 by default.
  EXPECT_EQ(f->min_frequency(), 0.0005);
  const int d3 = f->FindLocus("D3S1358");
  EXPECT_NEAR(f->locus(d3).frequency[f->Find(d3, 150)], 0.3493 / 0.9998, 1e-12);
}

}  // namespace
}  // namespace doudi::dna
