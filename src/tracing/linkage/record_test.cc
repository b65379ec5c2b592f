#include "tracing/linkage/record.h"

#include <gtest/gtest.h>

namespace doudi::linkage {
namespace {

TEST(LinkageRecords, EmptyFileIsAnError) {
  auto r = ParseRecords("", Side::kMissing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "csv.empty");
}

TEST(LinkageRecords, MissingRequiredColumnNamesIt) {
  auto r = ParseRecords("id,name\nM1,张三\n", Side::kMissing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "csv.missing_column");
  EXPECT_NE(r.status().message().find("lost_date"), std::string::npos);
}

TEST(LinkageRecords, BadRowsAreRejectedWithLineAndFieldAndTheOthersRead) {
  const std::string csv =
      "id,name,sex,birth_date,age_at_lost,lost_date,height_cm,hukou_division,lost_division,dialect,marks\n"
      "M1,张小明,男,1990-03-01,,2000-05-01,120,421002,421002,西南官话,左眉痣\n"  // line 2: good
      "M2,李四,男,,,2000-02-30,,,,,\n"                                             // line 3: bad date
      "M3,王五,男,,12,2001-01-01,,4210029,,,\n"                                    // line 4: bad code format
      "M4,赵六,女,,12,2001-01-01,,,999999,,\n"                                     // line 5: unknown code
      "M5,钱七,女,,12\n"                                                           // line 6: ragged
      "M1,孙八,男,,12,2001-01-01,,,,,\n"                                           // line 7: duplicate id
      "M7,周九,X,,12,2001-01-01,,,,,\n"                                            // line 8: bad sex
      "M8,吴十,男,,200,2001-01-01,,,,,\n"                                          // line 9: bad age
      "M9,郑一,男,,8,2001-01-01,500,,,,\n"                                         // line 10: bad height
      "M10,,男,,8,2001-01-01,,421023,4210,,\n";                                    // line 11: good (historical code)
  auto r = ParseRecords(csv, Side::kMissing);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->records.size(), 2u);
  EXPECT_EQ(r->records[0].id, "M1");
  EXPECT_EQ(r->records[1].id, "M10");
  struct Want {
    int line;
    const char* field;
    const char* code;
  };
  const Want want[] = {{3, "lost_date", "linkage.date"},
                       {4, "hukou_division", "linkage.division.format"},
                       {5, "lost_division", "linkage.division.unknown"},
                       {6, "", "csv.ragged_row"},
                       {7, "id", "linkage.id.duplicate"},
                       {8, "sex", "linkage.sex"},
                       {9, "age_at_lost", "linkage.age"},
                       {10, "height_cm", "linkage.height"}};
  ASSERT_EQ(r->rejected.size(), std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    EXPECT_EQ(r->rejected[i].line, want[i].line);
    EXPECT_EQ(r->rejected[i].field, want[i].field);
    EXPECT_EQ(r->rejected[i].code, want[i].code);
    EXPECT_NE(r->rejected[i].message.find("第 " + std::to_string(want[i].line) + " 行"), std::string::npos)
        << r->rejected[i].message;
  }
}

TEST(LinkageRecords, AgesAnchoredAtTheReferenceDate) {
  auto r = ParseRecords(
      "id,sex,estimated_age,found_date,height_cm\nU1,女,30-40,2020-01-01,158\nU2,,8,2020-01-01,\nU3,未知,,2020-01-01,\n",
      Side::kFound);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->records.size(), 3u);
  const Record& u1 = r->records[0];
  EXPECT_EQ(u1.sex, Sex::kFemale);
  EXPECT_NEAR(u1.age, 35, 1e-5);
  EXPECT_NEAR(u1.birth_year, 1985.0, 0.01);
  EXPECT_NEAR(u1.birth_uncertainty, 1 + 3.5 + 5, 1e-5);  // estimate of a 35-year-old plus half the range
  EXPECT_NEAR(r->records[1].birth_uncertainty, 1.8, 1e-5);
  EXPECT_EQ(r->records[1].sex, Sex::kUnknown);
  EXPECT_FALSE(r->records[2].has_birth);
  EXPECT_EQ(u1.height_cm, 158);
}

}  // namespace
}  // namespace doudi::linkage
